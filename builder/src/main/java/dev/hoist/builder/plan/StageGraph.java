package dev.hoist.builder.plan;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The stages a target needs, in build order, found by a depth-first walk that refuses cycles, and
 * grouped in waves that may run in parallel.
 */
final class StageGraph {
  private final Map<Integer, Set<Integer>> deps;
  private final int size;

  /**
   * @param size the number of stages
   * @param deps for each stage index, the indexes it depends on
   */
  StageGraph(int size, Map<Integer, Set<Integer>> deps) {
    this.size = size;
    this.deps = deps;
  }

  /** A cycle: the stages on it, starting and ending with the same one. */
  record Cycle(List<Integer> path) {}

  /**
   * The stages {@code target} needs (itself last), each after its dependencies; or the first cycle
   * found.
   */
  Result order(int target) {
    List<Integer> order = new ArrayList<>();
    int[] state = new int[size];
    List<Integer> path = new ArrayList<>();
    Optional<Cycle> cycle = visit(target, state, path, order);
    return new Result(order, cycle);
  }

  record Result(List<Integer> order, Optional<Cycle> cycle) {}

  private Optional<Cycle> visit(int s, int[] state, List<Integer> path, List<Integer> order) {
    if (state[s] == 2) {
      return Optional.empty();
    }
    path.add(s);
    if (state[s] == 1) {
      return Optional.of(new Cycle(List.copyOf(path.subList(path.indexOf(s), path.size()))));
    }
    state[s] = 1;
    for (int d : new TreeSet<>(deps.getOrDefault(s, Set.of()))) {
      Optional<Cycle> c = visit(d, state, path, order);
      if (c.isPresent()) {
        return c;
      }
    }
    state[s] = 2;
    path.remove(path.size() - 1);
    order.add(s);
    return Optional.empty();
  }

  /** Waves of {@code stages}: a stage's wave is one more than the latest wave it depends on. */
  List<List<Integer>> waves(List<Integer> stages) {
    Map<Integer, Integer> level = new TreeMap<>();
    for (int s : stages) { // stages are in dependency order
      int l = 0;
      for (int d : deps.getOrDefault(s, Set.of())) {
        l = Math.max(l, level.get(d) + 1);
      }
      level.put(s, l);
    }
    List<List<Integer>> waves = new ArrayList<>();
    level.forEach(
        (s, l) -> {
          while (waves.size() <= l) {
            waves.add(new ArrayList<>());
          }
          waves.get(l).add(s);
        });
    return waves;
  }
}

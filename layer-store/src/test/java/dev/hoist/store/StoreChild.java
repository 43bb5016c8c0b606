package dev.hoist.store;

import dev.hoist.image.Reference;
import java.nio.file.Path;

/**
 * A second process working on a store, for tests of what the file lock and leases do across
 * processes: {@code tag ROOT REF-PREFIX N} names the store's only image N times; {@code lease ROOT}
 * writes a blob (so takes a lease), prints "ready" and waits to be killed; {@code churn ROOT}
 * writes and names images until killed.
 */
public final class StoreChild {
  public static void main(String[] args) throws Exception {
    Path root = Path.of(args[1]);
    try (Store store = Store.open(root)) {
      switch (args[0]) {
        case "tag" -> {
          var target = store.indexEntries().get(0);
          System.out.println("ready");
          System.out.flush();
          for (int i = 0; i < Integer.parseInt(args[3]); i++) {
            store.tag(
                Reference.parse(args[2] + ":" + i), target.withAnnotations(java.util.Map.of()));
          }
        }
        case "lease" -> {
          store.putBytes("application/octet-stream", "child".getBytes());
          System.out.println("ready");
          System.out.flush();
          Thread.sleep(60_000);
        }
        case "churn" -> {
          // writes and names images until killed: a crash can hit any instant of a write
          System.out.println("ready");
          System.out.flush();
          for (long seed = 1; ; seed++) {
            TestImages.TestImage image = TestImages.put(store, seed, 2);
            store.tag(Reference.parse("churn:" + (seed % 5)), image.descriptor());
          }
        }
        default -> throw new IllegalArgumentException(args[0]);
      }
    }
  }

  /** Starts this class in a new JVM with the test's class path. */
  static Process start(String... args) throws java.io.IOException {
    java.util.List<String> command = new java.util.ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.add("-cp");
    command.add(System.getProperty("java.class.path"));
    command.add("-XX:TieredStopAtLevel=1");
    command.add(StoreChild.class.getName());
    command.addAll(java.util.List.of(args));
    return new ProcessBuilder(command).redirectErrorStream(true).start();
  }
}

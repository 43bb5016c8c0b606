package dev.hoist.runtime;

import java.util.Locale;
import java.util.OptionalDouble;
import java.util.OptionalLong;

/**
 * Resource limits of a step, applied through cgroups where the host allows.
 *
 * @param memoryBytes {@code --memory}
 * @param pidsLimit {@code --pids-limit}
 * @param cpus {@code --cpus}, a fraction of CPUs
 */
public record Resources(OptionalLong memoryBytes, OptionalLong pidsLimit, OptionalDouble cpus) {
  /** No limits. */
  public static final Resources NONE =
      new Resources(OptionalLong.empty(), OptionalLong.empty(), OptionalDouble.empty());

  public Resources {
    memoryBytes.ifPresent(m -> positive("memory", m));
    pidsLimit.ifPresent(p -> positive("pids limit", p));
    if (cpus.isPresent() && !(cpus.getAsDouble() > 0)) {
      throw new IllegalArgumentException(
          "--cpus must be greater than 0, got " + cpus.getAsDouble());
    }
  }

  /** True when no limit is set. */
  public boolean isEmpty() {
    return memoryBytes.isEmpty() && pidsLimit.isEmpty() && cpus.isEmpty();
  }

  /** Returns a copy with a memory limit. */
  public Resources withMemory(long bytes) {
    return new Resources(OptionalLong.of(bytes), pidsLimit, cpus);
  }

  /** Returns a copy with a pids limit. */
  public Resources withPidsLimit(long pids) {
    return new Resources(memoryBytes, OptionalLong.of(pids), cpus);
  }

  /** Returns a copy with a CPU limit. */
  public Resources withCpus(double count) {
    return new Resources(memoryBytes, pidsLimit, OptionalDouble.of(count));
  }

  /** The CFS quota for {@link #cpus} with a 100 ms period, in microseconds. */
  long cpuQuotaMicros() {
    return Math.round(cpus.orElseThrow() * CPU_PERIOD_MICROS);
  }

  static final long CPU_PERIOD_MICROS = 100_000;

  /**
   * Parses docker's memory sizes: {@code 512}, {@code 64k}, {@code 300m}, {@code 1g}, {@code 1.5g}.
   */
  public static long parseBytes(String text) {
    String value = text.strip().toLowerCase(Locale.ROOT);
    if (value.endsWith("b")) {
      value = value.substring(0, value.length() - 1);
    }
    long unit = 1;
    if (!value.isEmpty()) {
      switch (value.charAt(value.length() - 1)) {
        case 'k' -> unit = 1L << 10;
        case 'm' -> unit = 1L << 20;
        case 'g' -> unit = 1L << 30;
        case 't' -> unit = 1L << 40;
        default -> unit = 1;
      }
      if (unit != 1) {
        value = value.substring(0, value.length() - 1);
      }
    }
    try {
      double number = Double.parseDouble(value);
      if (!(number > 0)) {
        throw new NumberFormatException();
      }
      return (long) (number * unit);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(
          "invalid size '" + text + "': write a positive number with an optional k, m or g suffix");
    }
  }

  private static void positive(String what, long value) {
    if (value <= 0) {
      throw new IllegalArgumentException(what + " must be greater than 0, got " + value);
    }
  }
}

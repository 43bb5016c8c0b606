package dev.hoist.store.layer;

import dev.hoist.image.CountingInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * How far a compressed stream (a layer, a gzipped archive, an archive given to ADD) may decompress
 * before hoist refuses it as a decompression bomb.
 *
 * <p>A stream is refused once its output passes {@code ratioThreshold} bytes <em>and</em> is more
 * than {@code maxRatio} times the compressed bytes read so far, or once its output passes {@code
 * maxSize}. Real layers measured: a tar of {@code /usr} compresses about 2.5:1 with gzip; zeros
 * reach about 1 000:1 with gzip -9 and 32 000:1 with zstd -19. So a legitimate layer above 1 GiB
 * that compresses more than 100:1 is rare, and the environment variables {@value #RATIO_ENV} and
 * {@value #SIZE_ENV} raise the limits when one is genuine.
 *
 * @param ratioThreshold output size below which the ratio is not checked
 * @param maxRatio output bytes allowed per compressed byte once past the threshold
 * @param maxSize output bytes allowed whatever the ratio
 */
public record DecompressionLimit(long ratioThreshold, long maxRatio, long maxSize) {
  /** Environment variable: the largest ratio allowed, e.g. {@code 1000}. */
  public static final String RATIO_ENV = "HOIST_MAX_LAYER_RATIO";

  /** Environment variable: the largest decompressed size, e.g. {@code 128g}. */
  public static final String SIZE_ENV = "HOIST_MAX_LAYER_SIZE";

  private static final long GIB = 1L << 30;

  /** 1 GiB, 100:1 and 64 GiB. */
  public static final DecompressionLimit DEFAULT = new DecompressionLimit(GIB, 100, 64 * GIB);

  public DecompressionLimit {
    if (ratioThreshold < 0 || maxRatio < 1 || maxSize < 1) {
      throw new IllegalArgumentException(
          "decompression limit needs a threshold >= 0, a ratio >= 1 and a size >= 1");
    }
  }

  /** The limits of this process: {@link #DEFAULT} changed by the environment variables. */
  public static DecompressionLimit fromEnvironment() {
    return fromEnvironment(System.getenv());
  }

  /**
   * {@link #DEFAULT} changed by {@value #RATIO_ENV} (a whole number) and {@value #SIZE_ENV} (bytes,
   * or a number with k, m, g or t for KiB to TiB).
   *
   * @throws IllegalArgumentException naming the variable when a value cannot be read
   */
  public static DecompressionLimit fromEnvironment(Map<String, String> env) {
    long ratio = DEFAULT.maxRatio();
    long size = DEFAULT.maxSize();
    String r = env.get(RATIO_ENV);
    if (r != null && !r.isBlank()) {
      ratio = parse(RATIO_ENV, r, false);
    }
    String s = env.get(SIZE_ENV);
    if (s != null && !s.isBlank()) {
      size = parse(SIZE_ENV, s, true);
    }
    return new DecompressionLimit(DEFAULT.ratioThreshold(), ratio, size);
  }

  /** Opens a decompressor reading {@code compressed}. */
  @FunctionalInterface
  public interface Decompressor {
    InputStream open(InputStream compressed) throws IOException;
  }

  /**
   * The decompressed bytes of {@code compressed}: reading fails with one line naming {@code label}
   * (e.g. {@code layer sha256:ab…}), the limit passed and the variable that raises it, as soon as a
   * limit is passed.
   */
  public InputStream decompress(InputStream compressed, Decompressor decompressor, String label)
      throws IOException {
    Objects.requireNonNull(label, "label");
    CountingInputStream counted = new CountingInputStream(compressed);
    return new LimitedDecompressionStream(decompressor.open(counted), counted, this, label);
  }

  /** Why {@code output} bytes from {@code input} compressed bytes are refused, if they are. */
  String violation(long output, long input) {
    if (output > maxSize) {
      return "decompresses to more than "
          + human(maxSize)
          + "; refusing it (set "
          + SIZE_ENV
          + " higher, e.g. 128g, if it is genuine)";
    }
    if (output > ratioThreshold && output / Math.max(input, 1) > maxRatio) {
      return "decompresses to more than "
          + maxRatio
          + " times its compressed size ("
          + human(output)
          + " from "
          + human(input)
          + "), a likely decompression bomb; refusing it (set "
          + RATIO_ENV
          + " higher if it is genuine)";
    }
    return "";
  }

  private static long parse(String name, String value, boolean size) {
    String v = value.strip().toLowerCase(Locale.ROOT);
    long unit = 1;
    if (size) {
      v = v.endsWith("ib") ? v.substring(0, v.length() - 2) : v;
      v = v.endsWith("b") ? v.substring(0, v.length() - 1) : v;
      int shift = v.isEmpty() ? -1 : "kmgt".indexOf(v.charAt(v.length() - 1));
      if (shift >= 0) {
        unit = 1L << (10 * (shift + 1));
        v = v.substring(0, v.length() - 1);
      }
    }
    try {
      long n = Long.parseLong(v);
      if (n >= 1 && n <= Long.MAX_VALUE / unit) {
        return n * unit;
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    throw new IllegalArgumentException(
        name
            + "="
            + value
            + " is not "
            + (size ? "a size such as 68719476736, 64g or 512m" : "a whole number such as 100")
            + ": fix or unset it");
  }

  private static String human(long bytes) {
    String[] units = {"B", "KiB", "MiB", "GiB", "TiB", "PiB", "EiB"};
    int i = 0;
    double v = bytes;
    while (v >= 1024 && i < units.length - 1) {
      v /= 1024;
      i++;
    }
    return (v == Math.rint(v) ? String.valueOf((long) v) : String.format(Locale.ROOT, "%.1f", v))
        + " "
        + units[i];
  }
}

package dev.hoist.store.layer;

import dev.hoist.image.Compression;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import java.util.zip.Deflater;

/**
 * How a layer is written.
 *
 * @param compression gzip (the default, what every registry and runtime reads), zstd or none
 * @param gzipLevel Deflater level 1..9
 * @param zstdLevel zstd level 1..19
 * @param sourceDateEpoch when present, every mtime later than it is clamped to it (reproducible
 *     builds, as BuildKit does with {@code SOURCE_DATE_EPOCH})
 * @param subsecondTimes keep nanoseconds of mtimes (costs a pax header per file); off by default,
 *     as Docker and BuildKit write whole seconds
 */
public record LayerOptions(
    Compression compression,
    int gzipLevel,
    int zstdLevel,
    Optional<Instant> sourceDateEpoch,
    boolean subsecondTimes) {
  /** zlib's default, which is also what BuildKit uses (Go's gzip.DefaultCompression). */
  public static final int DEFAULT_GZIP_LEVEL = Deflater.DEFAULT_COMPRESSION;

  public static final int DEFAULT_ZSTD_LEVEL = 3;

  public LayerOptions {
    Objects.requireNonNull(compression, "compression");
    Objects.requireNonNull(sourceDateEpoch, "sourceDateEpoch");
    if (gzipLevel != Deflater.DEFAULT_COMPRESSION && (gzipLevel < 1 || gzipLevel > 9)) {
      throw new IllegalArgumentException("gzip level must be 1..9, got " + gzipLevel);
    }
    if (zstdLevel < 1 || zstdLevel > 19) {
      throw new IllegalArgumentException("zstd level must be 1..19, got " + zstdLevel);
    }
  }

  /** gzip at the default level, times as they are, whole seconds. */
  public static LayerOptions defaults() {
    return new LayerOptions(
        Compression.GZIP, DEFAULT_GZIP_LEVEL, DEFAULT_ZSTD_LEVEL, Optional.empty(), false);
  }

  public LayerOptions withCompression(Compression c) {
    return new LayerOptions(c, gzipLevel, zstdLevel, sourceDateEpoch, subsecondTimes);
  }

  public LayerOptions withGzipLevel(int level) {
    return new LayerOptions(compression, level, zstdLevel, sourceDateEpoch, subsecondTimes);
  }

  public LayerOptions withZstdLevel(int level) {
    return new LayerOptions(compression, gzipLevel, level, sourceDateEpoch, subsecondTimes);
  }

  public LayerOptions withSourceDateEpoch(Optional<Instant> epoch) {
    return new LayerOptions(compression, gzipLevel, zstdLevel, epoch, subsecondTimes);
  }

  public LayerOptions withSubsecondTimes(boolean keep) {
    return new LayerOptions(compression, gzipLevel, zstdLevel, sourceDateEpoch, keep);
  }

  /** The mtime written for a file whose mtime is {@code t}. */
  Instant normalise(Instant t) {
    Instant out = subsecondTimes ? t : Instant.ofEpochSecond(t.getEpochSecond());
    if (sourceDateEpoch.isPresent() && out.isAfter(sourceDateEpoch.get())) {
      out = sourceDateEpoch.get();
    }
    return out;
  }
}

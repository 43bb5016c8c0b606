package dev.hoist.store.layer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.github.luben.zstd.ZstdOutputStream;
import dev.hoist.image.Digest;
import dev.hoist.testkit.BusyboxRootfs;
import dev.hoist.testkit.CompressionBombs;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Layers that decompress past a {@link DecompressionLimit} are refused in one line, while they are
 * read; genuine layers and bombs under a raised limit apply. The limits are injected small so the
 * bombs are megabytes; {@code DecompressionBombBuildTest} runs the defaults against 1 GiB bombs.
 */
class DecompressionLimitTest {
  private static final long MIB = 1 << 20;
  private static final Digest LAYER = Digest.sha256("bomb".getBytes(StandardCharsets.UTF_8));
  private static final String LABEL = "layer " + LAYER;

  @TempDir Path tmp;

  enum Codec {
    GZIP,
    ZSTD
  }

  /** {@code prefix} then {@code zeros} zero bytes, compressed as hard as {@code codec} can. */
  private Path compressed(Codec codec, byte[] prefix, long zeros) throws IOException {
    Path file = tmp.resolve("layer." + codec);
    if (codec == Codec.GZIP) {
      return CompressionBombs.gzip(file, prefix, zeros).file();
    }
    try (OutputStream out = new ZstdOutputStream(Files.newOutputStream(file), 19)) {
      out.write(prefix);
      byte[] block = new byte[(int) MIB];
      for (long left = zeros; left > 0; left -= block.length) {
        out.write(block, 0, (int) Math.min(left, block.length));
      }
    }
    return file;
  }

  private static byte[] smallTar() {
    return CompressionBombs.tar("small.txt", "small\n".getBytes(StandardCharsets.UTF_8));
  }

  private AppliedLayer apply(Path layer, DecompressionLimit limit) throws IOException {
    Path root = Files.createDirectories(tmp.resolve("root"));
    try (InputStream in = Files.newInputStream(layer)) {
      return new LayerApplier(ApplyOptions.tree(LAYER), limit).apply(in, root);
    }
  }

  @ParameterizedTest
  @MethodSource("codecs")
  void bombPastTheRatio_isRefusedInOneLineNamingTheLayerAndTheVariable(Codec codec)
      throws IOException {
    Path bomb = compressed(codec, smallTar(), 16 * MIB);
    DecompressionLimit limit = new DecompressionLimit(MIB, 100, 1L << 40);

    DecompressionBombException e =
        assertThrows(DecompressionBombException.class, () -> apply(bomb, limit));

    assertEquals(1, e.getMessage().lines().count(), e.getMessage());
    assertTrue(
        e.getMessage()
            .startsWith(LABEL + ": decompresses to more than 100 times its compressed size ("),
        e.getMessage());
    assertTrue(
        e.getMessage().endsWith("set HOIST_MAX_LAYER_RATIO higher if it is genuine)"),
        e.getMessage());
  }

  @ParameterizedTest
  @MethodSource("codecs")
  void layerPastTheSizeCap_isRefusedWhateverItsRatio(Codec codec) throws IOException {
    byte[] noise = new byte[(int) (3 * MIB)];
    new Random(42).nextBytes(noise);
    Path layer = compressed(codec, CompressionBombs.tar("noise", noise), 0);
    DecompressionLimit limit = new DecompressionLimit(0, 100, MIB);

    DecompressionBombException e =
        assertThrows(DecompressionBombException.class, () -> apply(layer, limit));

    assertEquals(
        LABEL
            + ": decompresses to more than 1 MiB; refusing it (set HOIST_MAX_LAYER_SIZE higher,"
            + " e.g. 128g, if it is genuine)",
        e.getMessage());
  }

  @ParameterizedTest
  @MethodSource("codecs")
  void bombUnderARaisedRatio_appliesWithItsDiffId(Codec codec) throws IOException {
    Path bomb = compressed(codec, smallTar(), 16 * MIB);
    DecompressionLimit limit = new DecompressionLimit(MIB, 1_000_000, 1L << 40);

    AppliedLayer applied = apply(bomb, limit);

    assertEquals(smallTar().length + 16 * MIB, applied.uncompressedSize());
    assertEquals("small\n", Files.readString(tmp.resolve("root/small.txt")));
  }

  @Test
  void bombBelowTheThreshold_appliesWhateverItsRatio() throws IOException {
    Path bomb = compressed(Codec.GZIP, smallTar(), 16 * MIB);

    AppliedLayer applied = apply(bomb, new DecompressionLimit(32 * MIB, 2, 1L << 40));

    assertEquals(smallTar().length + 16 * MIB, applied.uncompressedSize());
  }

  @Test
  void genuineLayer_appliesUnderTheStrictestRatio() throws IOException {
    Path rootfs = BusyboxRootfs.create(tmp.resolve("rootfs"));
    LayerFile layer =
        new LayerWriter(LayerOptions.defaults())
            .write(LayerSource.directory(rootfs), tmp.resolve("busybox.tar.gz"));

    AppliedLayer applied = apply(layer.path(), new DecompressionLimit(0, 100, 1L << 40));

    assertEquals(layer.layer().diffId(), applied.diffId());
    assertTrue(Files.isRegularFile(tmp.resolve("root/bin/busybox")));
  }

  @ParameterizedTest
  @CsvSource({
    "'', '', 100, 68719476736",
    "1000, '', 1000, 68719476736",
    "'', 128g, 100, 137438953472",
    "'', 512m, 100, 536870912",
    "'', 2GiB, 100, 2147483648",
    "'', 1048576, 100, 1048576",
    "5, 1T, 5, 1099511627776"
  })
  void environment_setsTheLimits(String ratio, String size, long maxRatio, long maxSize) {
    DecompressionLimit limit =
        DecompressionLimit.fromEnvironment(
            Map.of("HOIST_MAX_LAYER_RATIO", ratio, "HOIST_MAX_LAYER_SIZE", size));

    assertEquals(new DecompressionLimit(1L << 30, maxRatio, maxSize), limit);
  }

  static Stream<Arguments> badEnvironment() {
    return Stream.of(
        Arguments.of("HOIST_MAX_LAYER_RATIO", "abc"),
        Arguments.of("HOIST_MAX_LAYER_RATIO", "0"),
        Arguments.of("HOIST_MAX_LAYER_RATIO", "1.5"),
        Arguments.of("HOIST_MAX_LAYER_SIZE", "-5"),
        Arguments.of("HOIST_MAX_LAYER_SIZE", "12x"),
        Arguments.of("HOIST_MAX_LAYER_SIZE", "99999999999t"));
  }

  @ParameterizedTest
  @MethodSource("badEnvironment")
  void badEnvironmentValue_failsInOneLineNamingTheVariable(String variable, String value) {
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> DecompressionLimit.fromEnvironment(Map.of(variable, value)));

    assertTrue(e.getMessage().startsWith(variable + "=" + value + " is not "), e.getMessage());
    assertEquals(1, e.getMessage().lines().count());
  }

  static List<Codec> codecs() {
    return List.of(Codec.values());
  }
}

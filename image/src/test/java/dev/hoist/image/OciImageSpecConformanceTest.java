package dev.hoist.image;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.hoist.testkit.OciValidator;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The 81 validation fixtures of the OCI image-spec (from {@code ../shared/conformance}, see its
 * SOURCE.md): {@link OciValidator} must agree with every expectation, and every valid manifest,
 * index and config must parse with hoist's model, keeping its exact bytes and digest.
 */
class OciImageSpecConformanceTest {
  private static final int FIXTURES = 81;

  record Fixture(
      String file,
      String source,
      String mediaType,
      boolean valid,
      Optional<Digest> expectedDigest,
      String comment,
      byte[] bytes) {

    boolean backcompat() {
      return file.startsWith("backcompat-");
    }

    /** The media type to validate with: the Docker one for Docker-typed backcompat documents. */
    String validatorType() {
      if (!backcompat()) {
        return mediaType;
      }
      return switch (mediaType) {
        case OciValidator.INDEX -> OciValidator.DOCKER_MANIFEST_LIST;
        case OciValidator.MANIFEST -> OciValidator.DOCKER_MANIFEST;
        case OciValidator.CONFIG -> OciValidator.DOCKER_CONFIG;
        default -> throw new IllegalStateException("unexpected backcompat type " + mediaType);
      };
    }
  }

  private static List<Fixture> fixtures;
  private static String absent;

  /** Each test is reported as skipped, with the reason, when the suite is not beside the repo. */
  @BeforeEach
  void requireSuite() {
    Assumptions.assumeTrue(absent == null, absent);
  }

  @BeforeAll
  static void readFixtures() throws IOException {
    String root = System.getProperty("hoist.conformance", "");
    Path dir = Path.of(root.isEmpty() ? "../shared/conformance" : root, "oci-image-spec/fixtures");
    Path index = dir.resolve("index.tsv");
    if (!Files.isRegularFile(index)) {
      System.out.println(
          "OCI image-spec conformance suite is absent: no " + index + "; skipping its fixtures");
      absent = "OCI image-spec conformance suite is absent (" + index + " not found)";
      return;
    }
    List<Fixture> out = new ArrayList<>();
    List<String> lines = Files.readAllLines(index, StandardCharsets.UTF_8);
    for (String line : lines.subList(1, lines.size())) {
      if (line.isBlank()) {
        continue;
      }
      String[] f = line.split("\t", -1);
      out.add(
          new Fixture(
              f[0],
              f[1],
              f[2],
              f[3].equals("valid"),
              f[4].isEmpty() ? Optional.empty() : Optional.of(Digest.parse(f[4])),
              f.length > 5 ? f[5] : "",
              Files.readAllBytes(dir.resolve(f[0]))));
    }
    fixtures = List.copyOf(out);
  }

  @Test
  void ociValidator_agreesWithEveryFixtureExpectation() {
    List<String> disagreements = new ArrayList<>();
    for (Fixture f : fixtures) {
      List<String> problems = OciValidator.validate(f.validatorType(), f.bytes());
      if (problems.isEmpty() != f.valid()) {
        disagreements.add(
            f.file()
                + " expected "
                + (f.valid() ? "valid" : "invalid")
                + " ("
                + f.comment()
                + ") but validator said "
                + (problems.isEmpty() ? "valid" : problems));
      }
    }
    int agree = fixtures.size() - disagreements.size();
    System.out.println(
        "OCI image-spec fixtures: "
            + agree
            + "/"
            + fixtures.size()
            + " agree with their expectation");
    assertEquals(FIXTURES, fixtures.size(), "fixture count in index.tsv");
    assertEquals(List.of(), disagreements);
  }

  @Test
  void invalidFixtures_areRejectedWithAReason() {
    for (Fixture f : fixtures) {
      if (!f.valid()) {
        List<String> problems = OciValidator.validate(f.validatorType(), f.bytes());
        problems.forEach(
            p -> assertTrue(!p.isBlank() && !p.contains("\n"), f.file() + ": " + problems));
      }
    }
  }

  @Test
  void backcompatFixtures_haveTheDigestUpstreamRecorded() {
    List<Fixture> withDigest =
        fixtures.stream().filter(f -> f.expectedDigest().isPresent()).toList();
    assertEquals(4, withDigest.size());
    for (Fixture f : withDigest) {
      assertEquals(f.expectedDigest().get(), Digest.sha256(f.bytes()), f.file());
    }
  }

  @Test
  void validFixtures_parseWithHoistsModelKeepingExactBytesAndDigest() {
    int parsed = 0;
    List<String> refused = new ArrayList<>();
    for (Fixture f : fixtures) {
      if (!f.valid() || !isModelled(f.mediaType())) {
        continue;
      }
      Digest want = f.expectedDigest().orElse(Digest.sha256(f.bytes()));
      if (usesDigestAlgorithmHoistLacks(f)) {
        InvalidImageJsonException e =
            assertThrows(InvalidImageJsonException.class, () -> parse(f), f.file());
        assertTrue(e.getMessage().contains("unsupported digest algorithm"), e.getMessage());
        refused.add(f.file());
        continue;
      }
      Object model = parse(f);
      byte[] raw;
      Digest digest;
      if (model instanceof Manifest m) {
        raw = m.raw();
        digest = m.digest();
        assertEquals(f.bytes().length, m.size(), f.file());
      } else if (model instanceof Index i) {
        raw = i.raw();
        digest = i.digest();
      } else {
        ImageConfig c = (ImageConfig) model;
        raw = c.raw();
        digest = c.digest();
        assertEquals(f.bytes().length, c.size(), f.file());
      }
      assertArrayEquals(f.bytes(), raw, f.file());
      assertEquals(want, digest, f.file());
      parsed++;
    }
    System.out.println(
        "hoist's model parsed "
            + parsed
            + " valid manifest/index/config fixtures byte for byte; refused "
            + refused
            + " (digest algorithms other than sha256/sha512)");
    assertEquals(List.of("manifest/006-valid.json"), refused);
    assertTrue(parsed >= 20, "parsed only " + parsed + " fixtures");
  }

  @Test
  void backcompatFixtures_parseAsDockerTypes() {
    for (Fixture f : fixtures) {
      if (!f.backcompat()) {
        continue;
      }
      switch (f.mediaType()) {
        case OciValidator.MANIFEST ->
            assertTrue(Manifest.parse(f.bytes()).isDocker(), f.file() + " is a Docker manifest");
        case OciValidator.INDEX ->
            assertEquals(
                Optional.of(MediaTypes.DOCKER_MANIFEST_LIST),
                Index.parse(f.bytes()).mediaType(),
                f.file());
        default -> assertEquals("linux", ImageConfig.parse(f.bytes()).platform().os(), f.file());
      }
    }
  }

  private static boolean isModelled(String mediaType) {
    return mediaType.equals(OciValidator.MANIFEST)
        || mediaType.equals(OciValidator.INDEX)
        || mediaType.equals(OciValidator.CONFIG);
  }

  /**
   * hoist's {@link Digest} knows sha256 and sha512 only; fixtures that use experimental algorithms
   * such as {@code sha256+b64} are refused with a clear message instead.
   */
  private static boolean usesDigestAlgorithmHoistLacks(Fixture f) {
    String text = new String(f.bytes(), StandardCharsets.UTF_8);
    return text.matches("(?s).*\"digest\"\\s*:\\s*\"(?!sha256:|sha512:)[^\"]*\".*");
  }

  private static Object parse(Fixture f) {
    return switch (f.mediaType()) {
      case OciValidator.MANIFEST -> Manifest.parse(f.bytes());
      case OciValidator.INDEX -> Index.parse(f.bytes());
      default -> ImageConfig.parse(f.bytes());
    };
  }
}

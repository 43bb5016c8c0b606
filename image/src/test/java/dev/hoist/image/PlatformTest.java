package dev.hoist.image;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class PlatformTest {

  @ParameterizedTest(name = "{0} -> {1}")
  @CsvSource(
      delimiter = '|',
      textBlock =
          """
          linux/amd64          | linux/amd64
          linux/arm64/v8       | linux/arm64
          linux/arm64/8        | linux/arm64
          linux/arm64/v8.0     | linux/arm64
          linux/aarch64        | linux/arm64
          linux/arm64/v9       | linux/arm64/v9
          x86_64               | linux/amd64
          x86-64               | linux/amd64
          amd64                | linux/amd64
          linux/amd64/v1       | linux/amd64
          linux/amd64/v3       | linux/amd64/v3
          arm                  | linux/arm/v7
          linux/arm            | linux/arm/v7
          linux/arm/7          | linux/arm/v7
          linux/arm/v6         | linux/arm/v6
          linux/arm/6          | linux/arm/v6
          linux/armhf          | linux/arm/v7
          linux/armel          | linux/arm/v6
          linux/i386           | linux/386
          linux/i686           | linux/386
          Linux/AMD64          | linux/amd64
          ' linux/s390x '      | linux/s390x
          windows/amd64        | windows/amd64
          linux/ppc64le        | linux/ppc64le
          linux/riscv64        | linux/riscv64
          """)
  void parse_normalisesAsContainerd(String text, String normalised) {
    assertEquals(normalised, Platform.parse(text).toString());
  }

  @Test
  void parse_ofALoneOs_takesTheHostArchitecture() {
    Platform p = Platform.parse("linux");
    assertEquals("linux", p.os());
    assertEquals(Platform.host().architecture(), p.architecture());
  }

  @ParameterizedTest(name = "[{index}] {0}")
  @ValueSource(strings = {"", "linux/", "/amd64", "linux//v7", "linux/arm/v7/extra"})
  void parse_refusesMalformedText_sayingTheExpectedForm(String text) {
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> Platform.parse(text));
    assertTrue(e.getMessage().contains("expected os/arch[/variant]"), e.getMessage());
  }

  @Test
  void host_isNormalised() {
    Platform host = Platform.host();
    assertEquals(host, host.normalized());
    assertTrue(
        List.of("amd64", "arm64", "386", "arm", "ppc64le", "s390x", "riscv64")
            .contains(host.architecture()),
        host.toString());
  }

  @ParameterizedTest(name = "{0} matches {1}: {2}")
  @CsvSource(
      delimiter = '|',
      textBlock =
          """
          linux/amd64     | linux/amd64     | true
          linux/amd64     | linux/x86_64    | true
          linux/amd64     | windows/amd64   | false
          linux/amd64     | linux/arm64     | false
          linux/arm64     | linux/arm64/v8  | true
          linux/arm64/v8  | linux/arm64     | true
          linux/arm64     | linux/arm64/v9  | true
          linux/arm64/v9  | linux/arm64     | false
          linux/arm       | linux/arm/v7    | true
          linux/arm/v7    | linux/arm       | true
          linux/arm/v7    | linux/arm/v6    | false
          linux/arm/v6    | linux/arm/v7    | false
          """)
  void matches_comparesNormalisedOsArchitectureAndVariant(
      String wanted, String candidate, boolean matches) {
    assertEquals(matches, Platform.parse(wanted).matches(Platform.parse(candidate)));
  }

  @ParameterizedTest(name = "{0} -> {1}")
  @CsvSource(
      delimiter = '|',
      textBlock =
          """
          linux/arm/v8  | v8 v7 v6 v5
          linux/arm/v7  | v7 v6 v5
          linux/arm/v6  | v6 v5
          linux/arm/v5  | v5
          linux/arm64   | -
          linux/amd64/v3| v3
          """)
  void compatibleVariants_listWhatStillRuns_bestFirst(String platform, String variants) {
    List<Optional<String>> want =
        variants.equals("-")
            ? List.of(Optional.empty())
            : java.util.Arrays.stream(variants.split(" ")).map(Optional::of).toList();
    assertEquals(want, Platform.parse(platform).compatibleVariants());
  }

  private static final Map<String, Digest> DIGESTS =
      Map.of(
          "linux/amd64", digest('1'),
          "linux/arm/v6", digest('2'),
          "linux/arm/v7", digest('3'),
          "linux/arm64/v8", digest('4'),
          "windows/amd64", digest('5'),
          "linux/arm64/v9", digest('6'));

  private static Digest digest(char c) {
    return new Digest("sha256", String.valueOf(c).repeat(64));
  }

  private static Index multiArch(String... platforms) {
    return Index.of(
        java.util.Arrays.stream(platforms)
            .map(
                p -> {
                  String[] parts = p.split("/");
                  Platform platform =
                      Platform.of(parts[0], parts[1], parts.length > 2 ? parts[2] : null);
                  return Descriptor.of(MediaTypes.OCI_MANIFEST, DIGESTS.get(p), 100)
                      .withPlatform(platform);
                })
            .toList());
  }

  @ParameterizedTest(name = "{0} -> {1}")
  @CsvSource(
      delimiter = '|',
      textBlock =
          """
          linux/amd64     | linux/amd64
          x86_64          | linux/amd64
          windows/amd64   | windows/amd64
          linux/arm64     | linux/arm64/v8
          linux/arm64/v8  | linux/arm64/v8
          linux/arm       | linux/arm/v7
          linux/arm/v7    | linux/arm/v7
          linux/arm/v6    | linux/arm/v6
          linux/arm/v8    | linux/arm/v7
          linux/s390x     | none
          linux/arm/v5    | none
          """)
  void select_picksTheManifestForAPlatform(String wanted, String chosen) {
    Index index =
        multiArch(
            "windows/amd64",
            "linux/arm64/v9",
            "linux/arm/v6",
            "linux/amd64",
            "linux/arm/v7",
            "linux/arm64/v8");
    Optional<Digest> got = index.select(Platform.parse(wanted)).map(Descriptor::digest);
    assertEquals(chosen.equals("none") ? Optional.empty() : Optional.of(DIGESTS.get(chosen)), got);
  }

  @Test
  void select_ofAVariantLessArm64_takesAnyArm64WhenNoPlainOneExists() {
    Index index = multiArch("linux/amd64", "linux/arm64/v9");
    assertEquals(
        Optional.of(DIGESTS.get("linux/arm64/v9")),
        index.select(Platform.parse("linux/arm64")).map(Descriptor::digest));
  }

  @Test
  void select_ofArmV7_fallsBackToV6WhenThatIsAllThereIs() {
    Index index = multiArch("linux/amd64", "linux/arm/v6");
    assertEquals(
        Optional.of(DIGESTS.get("linux/arm/v6")),
        index.select(Platform.parse("linux/arm/v7")).map(Descriptor::digest));
  }

  @Test
  void select_ignoresOsVersionAndFeaturesOfCandidates() {
    Platform windows =
        new Platform(
            "windows",
            "amd64",
            Optional.empty(),
            Optional.of("10.0.17763.5329"),
            List.of("win32k"));
    Index index =
        Index.of(
            List.of(Descriptor.of(MediaTypes.OCI_MANIFEST, digest('7'), 1).withPlatform(windows)));
    assertEquals(
        Optional.of(digest('7')),
        index.select(Platform.parse("windows/amd64")).map(Descriptor::digest));
  }

  @Test
  void platforms_namesEveryEntryForAnErrorMessage() {
    Index index =
        Index.of(
            List.of(
                Descriptor.of(MediaTypes.OCI_MANIFEST, digest('1'), 1)
                    .withPlatform(Platform.parse("linux/arm/v7")),
                Descriptor.of(MediaTypes.OCI_MANIFEST, digest('2'), 1)));
    assertEquals(List.of("linux/arm/v7", "unknown"), index.platforms());
  }
}

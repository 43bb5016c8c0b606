package dev.hoist.image;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** Models with every field set, shared by the image module's tests. */
final class ImageFixtures {
  static final Digest CONFIG_DIGEST = sha('c');
  static final Digest LAYER_1 = sha('1');
  static final Digest LAYER_2 = sha('2');
  static final Digest DIFF_1 = sha('d');
  static final Digest DIFF_2 = sha('e');
  static final Instant T0 = Instant.parse("2024-05-06T07:08:09Z");
  static final Instant T1 = Instant.parse("2024-05-06T07:08:10.123456789Z");

  private ImageFixtures() {}

  static Digest sha(char c) {
    return new Digest(Digest.SHA256, String.valueOf(c).repeat(64));
  }

  static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  static Healthcheck healthcheck() {
    return new Healthcheck(
        List.of("CMD-SHELL", "wget -q -O- http://localhost/ || exit 1"),
        Optional.of(Duration.ofSeconds(30)),
        Optional.of(Duration.ofMillis(1500)),
        Optional.of(Duration.ofSeconds(5)),
        Optional.of(Duration.ofNanos(1)),
        Optional.of(3));
  }

  /** A container config with every field set, including values that need JSON escaping. */
  static ContainerConfig everyContainerField() {
    return new ContainerConfig(
        Optional.of("1000:1000"),
        Set.of("8080/tcp", "53/udp"),
        List.of("PATH=/usr/local/bin:/usr/bin:/bin", "QUOTE=a \"b\" \\ c", "EMPTY="),
        Optional.of(List.of("/bin/sh", "-c")),
        Optional.of(List.of("echo hello")),
        Set.of("/data", "/var/log"),
        Optional.of("/srv/app"),
        Map.of("org.opencontainers.image.title", "app", "é", "ünïcode"),
        Optional.of("SIGTERM"),
        Optional.of(true),
        Optional.of(healthcheck()),
        List.of("RUN echo onbuild"),
        Optional.of(List.of("/bin/bash", "-o", "pipefail", "-c")));
  }

  static ImageConfig everyConfigField() {
    Platform platform =
        new Platform("linux", "arm", Optional.of("v7"), Optional.of("6.1"), List.of("feature-a"));
    return new ImageConfig.Builder(platform)
        .created(Optional.of(T1))
        .author(Optional.of("hoist tests <tests@hoist.dev>"))
        .config(everyContainerField())
        .addLayer(DIFF_1, History.of(T0, "/bin/sh -c #(nop) ADD file:abc in / ", "base", false))
        .addHistory(
            new History(
                Optional.of(T0),
                Optional.of("ENV A=1"),
                Optional.of("someone"),
                Optional.empty(),
                true))
        .addLayer(DIFF_2, History.of(T1, "RUN make", null, false))
        .build();
  }

  static Descriptor layer(Digest digest, long size) {
    return Descriptor.of(MediaTypes.OCI_LAYER_GZIP, digest, size);
  }

  static Manifest everyManifestField() {
    return Manifest.of(
        MediaTypes.OCI_MANIFEST,
        Descriptor.of(MediaTypes.OCI_CONFIG, CONFIG_DIGEST, 1234),
        List.of(
            layer(LAYER_1, 100)
                .withAnnotations(Map.of("org.opencontainers.image.title", "layer one")),
            new Descriptor(
                MediaTypes.OCI_LAYER_NONDISTRIBUTABLE_GZIP,
                LAYER_2,
                200,
                List.of("https://example.com/layer.tar.gz"),
                Map.of(),
                Optional.empty(),
                Optional.empty())),
        Map.of(
            "org.opencontainers.image.created", "2024-05-06T07:08:09Z",
            "org.opencontainers.image.source", "https://example.com/repo"));
  }

  static Index everyIndexField() {
    Platform windows =
        new Platform(
            "windows",
            "amd64",
            Optional.empty(),
            Optional.of("10.0.17763.5329"),
            List.of("win32k"));
    return Index.of(
        Optional.of(MediaTypes.OCI_INDEX),
        List.of(
            Descriptor.of(MediaTypes.OCI_MANIFEST, sha('a'), 500)
                .withPlatform(Platform.parse("linux/arm/v7"))
                .withAnnotations(
                    Map.of("org.opencontainers.image.ref.name", "docker.io/library/x:1")),
            Descriptor.of(MediaTypes.OCI_MANIFEST, sha('b'), 501).withPlatform(windows),
            new Descriptor(
                MediaTypes.OCI_MANIFEST,
                sha('f'),
                502,
                List.of(),
                Map.of(),
                Optional.empty(),
                Optional.of("application/vnd.example.sbom+json"))),
        Map.of("org.opencontainers.image.vendor", "hoist"));
  }
}

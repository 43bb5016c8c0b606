package dev.hoist.builder.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.hoist.builder.build.NamedContext;
import dev.hoist.image.Reference;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class BuildContextOptionTest {
  @TempDir Path tmp;

  @Test
  void aDirectory_isALocalContext_relativeToTheWorkingDirectory() throws IOException {
    Files.createDirectories(tmp.resolve("src"));
    Map<String, NamedContext> got = BuildContextOption.parse(List.of("src=src"), tmp);
    assertEquals(Map.of("src", new NamedContext.Local(tmp.resolve("src"))), got);
  }

  @Test
  void dockerImage_isAnImage_andTheNameIsKeyedAsBuildxKeysIt() {
    Map<String, NamedContext> got =
        BuildContextOption.parse(
            List.of("docker.io/library/alpine:latest=docker-image://busybox:1.36"), tmp);
    assertEquals(Map.of("alpine", new NamedContext.Image(Reference.parse("busybox:1.36"))), got);
  }

  @Test
  void ociLayout_needsALayout_andIsReadWhenTheBuildNeedsIt() throws IOException {
    Path layout = Files.createDirectories(tmp.resolve("layout"));
    Files.writeString(layout.resolve("index.json"), "{\"schemaVersion\":2,\"manifests\":[]}");
    NamedContext got =
        BuildContextOption.parse(List.of("base=oci-layout://" + layout + ":v1"), tmp).get("base");
    assertTrue(got instanceof NamedContext.Imported, String.valueOf(got));
    assertEquals("oci-layout://" + layout + ":v1", ((NamedContext.Imported) got).display());
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> BuildContextOption.parse(List.of("base=oci-layout://" + tmp), tmp));
    assertTrue(e.getMessage().contains("is not an OCI layout"), e.getMessage());
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "x=https://example.com/repo.git",
        "x=git@github.com:a/b.git",
        "x=target:other",
        "x=s3://bucket/key",
        "noequals",
        "=dir",
        "Upper=.",
        "scratch=.",
        "x=/does/not/exist",
        "x=docker-image://no such:image"
      })
  void badValues_areOneLineNamingTheOption(String value) {
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class, () -> BuildContextOption.parse(List.of(value), tmp));
    assertTrue(e.getMessage().startsWith("--build-context " + value + ": "), e.getMessage());
    assertEquals(1, e.getMessage().lines().count());
  }
}

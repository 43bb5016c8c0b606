package dev.hoist.builder.cli;

import dev.hoist.builder.build.NamedContext;
import dev.hoist.builder.plan.ContextNames;
import dev.hoist.image.Descriptor;
import dev.hoist.image.Digest;
import dev.hoist.image.Index;
import dev.hoist.image.Reference;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * {@code --build-context NAME=VALUE}, as buildx reads it: VALUE is a local directory, {@code
 * docker-image://REF} or {@code oci-layout://DIR[:TAG][@DIGEST]}; NAME is keyed as BuildKit looks
 * it up ({@link ContextNames#key}), so {@code alpine} and {@code docker.io/library/alpine} are one.
 */
final class BuildContextOption {
  private static final String FORMS =
      "NAME=DIR, NAME=docker-image://REF or NAME=oci-layout://DIR[:TAG][@sha256:DIGEST]";

  private BuildContextOption() {}

  /** Every {@code --build-context} by key; a later one of the same key wins, as in buildx. */
  static Map<String, NamedContext> parse(List<String> values, Path cwd) {
    Map<String, NamedContext> out = new LinkedHashMap<>();
    for (String value : values) {
      int eq = value.indexOf('=');
      if (eq <= 0) {
        throw invalid(value, "write it as " + FORMS);
      }
      String name = value.substring(0, eq);
      if (ContextNames.reserved(name)) {
        throw invalid(
            value, "'" + name + "' always means what the Dockerfile says; no context replaces it");
      }
      String key;
      try {
        key = ContextNames.key(name);
      } catch (IllegalArgumentException e) {
        throw invalid(
            value, "'" + name + "' is not a valid context name (a lower-case stage or image name)");
      }
      out.put(key, context(value, value.substring(eq + 1), cwd));
    }
    return out;
  }

  private static NamedContext context(String option, String value, Path cwd) {
    if (value.startsWith("docker-image://")) {
      try {
        return new NamedContext.Image(Reference.parse(value.substring("docker-image://".length())));
      } catch (IllegalArgumentException e) {
        throw invalid(option, e.getMessage());
      }
    }
    if (value.startsWith("oci-layout://")) {
      return ociLayout(option, value.substring("oci-layout://".length()), cwd);
    }
    if (value.startsWith("target:")) {
      throw invalid(option, "target: names a bake target; hoist build takes " + FORMS);
    }
    if (value.matches("[a-zA-Z][a-zA-Z0-9+.-]*://.*") || value.startsWith("git@")) {
      throw invalid(
          option,
          "hoist does not fetch build contexts from URLs or git repositories yet; use " + FORMS);
    }
    Path dir = cwd.resolve(value).toAbsolutePath().normalize();
    if (!Files.isDirectory(dir)) {
      throw invalid(option, dir + " is not a directory");
    }
    return new NamedContext.Local(dir);
  }

  /** {@code DIR[:TAG][@DIGEST]}: the tag defaults to {@code latest}; a digest wins over it. */
  private static NamedContext ociLayout(String option, String spec, Path cwd) {
    Optional<Digest> digest = Optional.empty();
    int at = spec.lastIndexOf('@');
    if (at >= 0) {
      try {
        digest = Optional.of(Digest.parse(spec.substring(at + 1)));
      } catch (IllegalArgumentException e) {
        throw invalid(option, e.getMessage());
      }
      spec = spec.substring(0, at);
    }
    Optional<String> tag = Optional.empty();
    int colon = spec.lastIndexOf(':');
    if (colon > spec.lastIndexOf('/')) {
      tag = Optional.of(spec.substring(colon + 1));
      spec = spec.substring(0, colon);
    }
    Path dir = cwd.resolve(spec).toAbsolutePath().normalize();
    if (!Files.isRegularFile(dir.resolve("index.json"))) {
      throw invalid(option, dir + " is not an OCI layout (it has no index.json)");
    }
    Optional<Digest> wanted = digest;
    Optional<String> tagged = tag;
    String display =
        "oci-layout://"
            + dir
            + tag.map(t -> ":" + t).orElse("")
            + digest.map(d -> "@" + d).orElse("");
    return new NamedContext.Imported(
        display,
        (store, platform) -> {
          OciLayoutDir layout = new OciLayoutDir(dir);
          Descriptor root = root(layout, dir, tagged, wanted);
          Descriptor manifest = IndexChoice.one(layout, root, platform, display);
          layout.copyInto(store, manifest);
          return manifest;
        });
  }

  /** The image the layout's index.json lists by digest, or names by tag. */
  private static Descriptor root(
      OciLayoutDir layout, Path dir, Optional<String> tag, Optional<Digest> digest)
      throws IOException {
    if (digest.isEmpty()) {
      return layout.find(Optional.of(tag.orElse("latest")));
    }
    for (Descriptor d : Index.parse(Files.readAllBytes(dir.resolve("index.json"))).manifests()) {
      if (d.digest().equals(digest.get())) {
        return d;
      }
    }
    throw new IllegalArgumentException(dir + "/index.json lists no image " + digest.get());
  }

  private static IllegalArgumentException invalid(String option, String why) {
    return new IllegalArgumentException("--build-context " + option + ": " + why);
  }
}

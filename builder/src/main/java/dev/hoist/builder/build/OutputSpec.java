package dev.hoist.builder.build;

import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Where a build's result goes, as {@code docker buildx build -o} says it: {@code type=image} (the
 * store, the default), {@code type=docker,dest=x.tar} (a docker-archive), {@code
 * type=oci,dest=x.tar} (an OCI archive), {@code type=tar,dest=x.tar} (the root filesystem as a tar)
 * or {@code type=local,dest=DIR} (the root filesystem as files). A bare path means {@code
 * type=local}, as in buildx.
 */
public record OutputSpec(Type type, Optional<Path> dest) {
  /** The kinds of output. */
  public enum Type {
    IMAGE,
    DOCKER,
    OCI,
    TAR,
    LOCAL
  }

  public OutputSpec {
    Objects.requireNonNull(type, "type");
    Objects.requireNonNull(dest, "dest");
    if (type != Type.IMAGE && dest.isEmpty()) {
      throw new IllegalArgumentException(
          "--output type=" + type.name().toLowerCase(Locale.ROOT) + " needs dest=PATH");
    }
  }

  public static final OutputSpec STORE = new OutputSpec(Type.IMAGE, Optional.empty());

  public static OutputSpec parse(String text) {
    if (!text.contains("=")) {
      return new OutputSpec(Type.LOCAL, Optional.of(Path.of(text)));
    }
    Map<String, String> kv = CsvOptions.parse(text, "");
    if (kv.containsValue("") || !kv.containsKey("type")) {
      throw new IllegalArgumentException(
          "invalid --output '" + text + "': write type=TYPE[,dest=PATH]");
    }
    String type = kv.getOrDefault("type", "local").toLowerCase(Locale.ROOT);
    Optional<Path> dest = Optional.ofNullable(kv.get("dest")).map(Path::of);
    return switch (type) {
      case "image", "registry" -> STORE;
      case "docker" -> new OutputSpec(Type.DOCKER, dest);
      case "oci" -> new OutputSpec(Type.OCI, dest);
      case "tar" -> new OutputSpec(Type.TAR, dest);
      case "local" -> new OutputSpec(Type.LOCAL, dest);
      default ->
          throw new IllegalArgumentException(
              "unknown --output type '" + type + "': use image, docker, oci, tar or local");
    };
  }
}

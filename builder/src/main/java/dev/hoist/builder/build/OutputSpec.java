package dev.hoist.builder.build;

import dev.hoist.image.Reference;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * Where a build's result goes, as {@code docker buildx build -o} says it: {@code type=image} (the
 * store, the default; {@code push=true} also pushes it), {@code type=registry} (the store, then
 * pushed), {@code type=docker,dest=x.tar} (a docker-archive), {@code type=oci,dest=x.tar} (an OCI
 * archive), {@code type=tar,dest=x.tar} (the root filesystem as a tar) or {@code
 * type=local,dest=DIR} (the root filesystem as files). A bare path means {@code type=local}, as in
 * buildx. Keys hoist does not honour are refused rather than dropped.
 *
 * @param name {@code name=}: one more name for the image, as {@code -t} gives
 * @param push whether the image's names are pushed after the build
 */
public record OutputSpec(Type type, Optional<Path> dest, Optional<Reference> name, boolean push) {
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
    Objects.requireNonNull(name, "name");
    if (type != Type.IMAGE && dest.isEmpty()) {
      throw new IllegalArgumentException(
          "--output type=" + type.name().toLowerCase(Locale.ROOT) + " needs dest=PATH");
    }
    if (dest.isPresent() && dest.get().toString().equals("-")) {
      // buildx streams to stdout here; hoist would write a file named "-".
      throw new IllegalArgumentException(
          "--output to - (stdout) is not supported by hoist: give dest=FILE or a directory");
    }
  }

  public static final OutputSpec STORE =
      new OutputSpec(Type.IMAGE, Optional.empty(), Optional.empty(), false);

  public static OutputSpec parse(String text) {
    if (!text.contains("=")) {
      return new OutputSpec(Type.LOCAL, Optional.of(Path.of(text)), Optional.empty(), false);
    }
    Map<String, String> kv = CsvOptions.parse(text, "");
    if (kv.containsValue("") || !kv.containsKey("type")) {
      throw new IllegalArgumentException(
          "invalid --output '" + text + "': write type=TYPE[,dest=PATH]");
    }
    String type = kv.get("type").toLowerCase(Locale.ROOT);
    Type kind =
        switch (type) {
          case "image", "registry" -> Type.IMAGE;
          case "docker" -> Type.DOCKER;
          case "oci" -> Type.OCI;
          case "tar" -> Type.TAR;
          case "local" -> Type.LOCAL;
          default ->
              throw new IllegalArgumentException(
                  "unknown --output type '"
                      + type
                      + "': use image, registry, docker, oci, tar or local");
        };
    Set<String> known =
        switch (kind) {
          case IMAGE ->
              type.equals("image") ? Set.of("type", "name", "push") : Set.of("type", "name");
          case DOCKER, OCI -> Set.of("type", "dest", "name");
          case TAR, LOCAL -> Set.of("type", "dest");
        };
    for (String key : kv.keySet()) {
      if (!known.contains(key)) {
        throw new IllegalArgumentException(
            "--output type="
                + type
                + " takes "
                + String.join(", ", known.stream().sorted().toList())
                + "; hoist does not support '"
                + key
                + "': remove it"
                + (key.equals("compression")
                    ? " (--compression sets how layers are compressed)"
                    : ""));
      }
    }
    boolean push = type.equals("registry") || flag(kv.getOrDefault("push", "false"));
    return new OutputSpec(
        kind,
        Optional.ofNullable(kv.get("dest")).map(Path::of),
        Optional.ofNullable(kv.get("name")).map(Reference::parse),
        push);
  }

  private static boolean flag(String value) {
    return switch (value.toLowerCase(Locale.ROOT)) {
      case "true" -> true;
      case "false" -> false;
      default ->
          throw new IllegalArgumentException(
              "--output push=" + value + ": write push=true or push=false");
    };
  }
}

package dev.hoist.builder.build;

import dev.hoist.image.Platform;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code --annotation [TYPE[PLATFORM]:]KEY=VALUE}, as buildx writes it. hoist builds one image
 * manifest and no index, so only the {@code manifest} type (the default) is honoured; {@code
 * index}, {@code manifest-descriptor} and {@code index-descriptor} are refused rather than dropped.
 * A {@code manifest[PLATFORM]:} annotation must name the platform being built.
 */
public final class ManifestAnnotations {
  private ManifestAnnotations() {}

  /** The manifest annotations {@code specs} give, for an image of {@code target}. */
  public static Map<String, String> parse(List<String> specs, Platform target) {
    Map<String, String> out = new LinkedHashMap<>();
    for (String spec : specs) {
      int eq = spec.indexOf('=');
      if (eq <= 0) {
        throw new IllegalArgumentException(
            "invalid --annotation '" + spec + "': write [manifest:]KEY=VALUE");
      }
      String key = spec.substring(0, eq);
      String value = spec.substring(eq + 1);
      int colon = key.indexOf(':');
      // A bare key may itself hold ':' only when what precedes it is no annotation type.
      if (colon > 0 && isType(key.substring(0, colon))) {
        String type = key.substring(0, colon);
        key = key.substring(colon + 1);
        requireManifest(spec, type, target);
      }
      if (key.isEmpty()) {
        throw new IllegalArgumentException(
            "invalid --annotation '" + spec + "': the key is empty; write [manifest:]KEY=VALUE");
      }
      out.put(key, value);
    }
    return out;
  }

  private static boolean isType(String prefix) {
    String base = prefix.contains("[") ? prefix.substring(0, prefix.indexOf('[')) : prefix;
    return List.of("manifest", "index", "manifest-descriptor", "index-descriptor").contains(base);
  }

  private static void requireManifest(String spec, String type, Platform target) {
    int bracket = type.indexOf('[');
    String base = bracket < 0 ? type : type.substring(0, bracket);
    if (!base.equals("manifest")) {
      throw new IllegalArgumentException(
          "--annotation '"
              + spec
              + "': hoist writes one image manifest and no index, so only manifest annotations"
              + " apply; write manifest:KEY=VALUE or KEY=VALUE");
    }
    if (bracket >= 0) {
      if (!type.endsWith("]")) {
        throw new IllegalArgumentException(
            "invalid --annotation '" + spec + "': write manifest[OS/ARCH]:KEY=VALUE");
      }
      Platform named = Platform.parse(type.substring(bracket + 1, type.length() - 1));
      if (!named.normalized().equals(target.normalized())) {
        throw new IllegalArgumentException(
            "--annotation '"
                + spec
                + "' is for "
                + named
                + ", and this build makes a "
                + target
                + " image: drop it or build for "
                + named);
      }
    }
  }
}

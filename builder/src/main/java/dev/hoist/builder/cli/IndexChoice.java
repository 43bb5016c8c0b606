package dev.hoist.builder.cli;

import dev.hoist.image.BlobSource;
import dev.hoist.image.Descriptor;
import dev.hoist.image.Index;
import dev.hoist.image.MediaTypes;
import dev.hoist.image.Platform;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * What {@code hoist copy} takes from a multi-platform image held locally (an OCI layout or the
 * store): every platform ({@code --all}, which needs each manifest the index lists) or one.
 */
final class IndexChoice {
  private IndexChoice() {}

  /**
   * {@code root} itself, once every manifest its index lists is in {@code source}; a plain manifest
   * as it is. {@code where} names the source in the message, e.g. {@code oci:DIR:TAG}.
   */
  static Descriptor every(BlobSource source, Descriptor root, String where) throws IOException {
    if (!MediaTypes.isIndex(root.mediaType())) {
      return root;
    }
    Index index = index(source, root);
    Optional<String> nonImage = index.firstNonImage();
    if (nonImage.isPresent()) {
      throw new IllegalArgumentException(
          where + ": " + nonImage.get() + "; copy one platform with --platform instead of --all");
    }
    List<String> missing = new ArrayList<>();
    for (Descriptor child : index.manifests()) {
      if (!source.contains(child.digest())) {
        missing.add(child.platform().map(Platform::toString).orElse(child.digest().toString()));
      }
    }
    if (!missing.isEmpty()) {
      throw new IllegalArgumentException(
          where
              + " holds "
              + (index.manifests().size() - missing.size())
              + " of the "
              + index.manifests().size()
              + " manifests its index "
              + root.digest()
              + " lists (missing: "
              + String.join(", ", missing)
              + "); fetch every platform first (hoist pull --all-platforms, or hoist copy --all"
              + " from where it came from), or copy one platform without --all");
    }
    return root;
  }

  /**
   * The manifest for {@code platform} when {@code root} is an index (it must be in {@code source});
   * a plain manifest as it is.
   */
  static Descriptor one(BlobSource source, Descriptor root, Platform platform, String where)
      throws IOException {
    if (!MediaTypes.isIndex(root.mediaType())) {
      return root;
    }
    Index index = index(source, root);
    Optional<Descriptor> chosen = index.select(platform);
    if (chosen.isEmpty()) {
      throw new IllegalArgumentException(
          where
              + ": no image for platform "
              + platform
              + " in its index (it lists "
              + String.join(", ", index.platforms())
              + "); choose one with --platform, or copy them all with --all");
    }
    if (!source.contains(chosen.get().digest())) {
      throw new IllegalArgumentException(
          where
              + ": the image for platform "
              + platform
              + " ("
              + chosen.get().digest()
              + ") is not there, only its index; fetch it first, or choose another with"
              + " --platform");
    }
    return chosen.get();
  }

  private static Index index(BlobSource source, Descriptor root) throws IOException {
    return Index.parse(OciLayoutDir.read(source, root), Optional.of(root.mediaType()));
  }
}

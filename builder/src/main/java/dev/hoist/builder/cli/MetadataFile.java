package dev.hoist.builder.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.hoist.builder.build.BuildResult;
import dev.hoist.image.Descriptor;
import dev.hoist.image.Reference;
import dev.hoist.store.AtomicFiles;
import java.io.IOException;
import java.nio.file.Path;
import java.util.stream.Collectors;

/**
 * {@code --metadata-file}: the JSON buildx writes after a build, with the keys CI actions read
 * ({@code containerimage.digest}, {@code containerimage.config.digest}, {@code
 * containerimage.descriptor}, {@code image.name}). {@code buildx.build.ref} names a build in a
 * BuildKit daemon's history, which hoist does not have, so it is left out. Written atomically, and
 * only after the build and its pushes and exports succeeded.
 */
final class MetadataFile {
  private MetadataFile() {}

  static void write(Path file, BuildResult result) throws IOException {
    ObjectMapper json = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    ObjectNode root = json.createObjectNode();
    Descriptor manifest = result.manifest();
    root.put("containerimage.config.digest", result.imageId().toString());
    ObjectNode descriptor = root.putObject("containerimage.descriptor");
    descriptor.put("mediaType", manifest.mediaType());
    descriptor.put("digest", manifest.digest().toString());
    descriptor.put("size", manifest.size());
    root.put("containerimage.digest", manifest.digest().toString());
    if (!result.tags().isEmpty()) {
      root.put(
          "image.name",
          result.tags().stream().map(Reference::toString).collect(Collectors.joining(",")));
    }
    Path target = file.toAbsolutePath();
    AtomicFiles.write(target.getParent(), target, json.writeValueAsBytes(root));
  }
}

package dev.hoist.builder.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.hoist.image.Reference;
import dev.hoist.store.Store;
import dev.hoist.store.StoredImage;
import java.io.IOException;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/**
 * {@code hoist inspect REF}: the image config as stored (pretty-printed); with {@code --manifest},
 * an object with id, names, manifest (and index) and config.
 */
@Command(name = "inspect", description = "Print an image's config (and manifest) as JSON.")
final class InspectCommand implements Callable<Integer> {
  private static final ObjectMapper JSON =
      new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  @ParentCommand Hoist hoist;
  @Spec CommandSpec spec;

  @Parameters(paramLabel = "REF", description = "Image name, id (prefix) or digest.")
  String ref;

  @Option(names = "--manifest", description = "Also print the manifest (and index).")
  boolean manifest;

  @Override
  public Integer call() throws IOException {
    StoredImage image;
    try (Store store = StoreAccess.open(hoist)) {
      image = store.resolve(ref);
    }
    JsonNode config = JSON.readTree(image.config().raw());
    JsonNode printed = config;
    if (manifest) {
      ObjectNode n = JSON.createObjectNode();
      n.put("Id", image.id().toString());
      ArrayNode names = n.putArray("RepoTags");
      image.names().stream().map(Reference::toString).forEach(names::add);
      n.put("Digest", image.target().digest().toString());
      image.index().ifPresent(i -> n.set("Index", readTree(i.raw())));
      n.set("Manifest", readTree(image.manifest().raw()));
      n.set("Config", config);
      printed = n;
    }
    var out = spec.commandLine().getOut();
    out.println(JSON.writeValueAsString(printed));
    out.flush();
    return 0;
  }

  private static JsonNode readTree(byte[] raw) {
    try {
      return JSON.readTree(raw);
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }
}

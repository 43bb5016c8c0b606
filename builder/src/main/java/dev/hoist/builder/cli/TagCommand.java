package dev.hoist.builder.cli;

import dev.hoist.image.Reference;
import dev.hoist.store.Store;
import dev.hoist.store.StoredImage;
import java.io.IOException;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/** {@code hoist tag SRC DST}: names a stored image again. */
@Command(name = "tag", description = "Give a stored image another name.")
final class TagCommand implements Callable<Integer> {
  @ParentCommand Hoist hoist;

  @Parameters(index = "0", paramLabel = "SRC", description = "Image name, id (prefix) or digest.")
  String source;

  @Parameters(index = "1", paramLabel = "DST", description = "New name, NAME[:TAG].")
  String target;

  @Override
  public Integer call() throws IOException {
    Reference name = Reference.parse(target);
    if (name.digest().isPresent()) {
      throw new IllegalArgumentException(
          "cannot tag as '" + target + "': a name to tag with has a tag, not a digest");
    }
    try (Store store = StoreAccess.open(hoist)) {
      StoredImage image = store.resolve(source);
      store.tag(name, image.target().withAnnotations(Map.of()));
    }
    return 0;
  }
}

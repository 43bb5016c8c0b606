package dev.hoist.builder.cli;

import dev.hoist.image.Descriptor;
import dev.hoist.image.Reference;
import dev.hoist.registry.RegistryClient;
import dev.hoist.registry.TransferListener;
import dev.hoist.store.Store;
import dev.hoist.store.StoredImage;
import java.io.IOException;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/** {@code hoist push REF [DEST]}: sends a stored image to its registry, or to DEST. */
@Command(name = "push", description = "Push a stored image to a registry.")
final class PushCommand implements Callable<Integer> {
  @ParentCommand Hoist hoist;

  @Option(
      names = {"-q", "--quiet"},
      description = "Print only the pushed digest.")
  boolean quiet;

  @Parameters(index = "0", paramLabel = "REF", description = "Stored image name, id or digest.")
  String ref;

  @Parameters(
      index = "1",
      arity = "0..1",
      paramLabel = "DEST",
      description = "Where to push, NAME[:TAG] (default: REF itself).")
  String dest;

  @Override
  public Integer call() throws IOException {
    Reference target = Reference.parse(dest != null ? dest : ref);
    try (Store store = StoreAccess.open(hoist);
        RegistryClient client = RegistryClients.create(hoist)) {
      StoredImage image = store.resolve(ref);
      Descriptor root = image.target();
      if (image.index().isPresent()) {
        for (Descriptor child : image.index().get().manifests()) {
          if (!store.contains(child.digest())) {
            // Only this platform was pulled: push what is here rather than fail, and say so.
            root = image.manifestDescriptor();
            hoist
                .err()
                .println(
                    "hoist: note: "
                        + ref
                        + " is an index of "
                        + image.index().get().manifests().size()
                        + " platforms and only "
                        + image.config().platform()
                        + " is stored; pushing that one (hoist pull --all-platforms fetches"
                        + " them all)");
            break;
          }
        }
      }
      // A blob that came from another repository of the same registry can be mounted from it.
      Optional<String> mountFrom =
          image.names().stream()
              .filter(n -> n.registry().equals(target.registry()))
              .map(Reference::repository)
              .filter(r -> !r.equals(target.repository()))
              .findFirst();
      TransferListener progress =
          quiet
              ? TransferListener.NONE
              : new TransferProgress(
                  hoist.out(), TransferProgress.isTerminal(hoist.out()), "Pushing");
      Descriptor pushed = client.push(target, root, store, mountFrom, progress);
      if (quiet) {
        hoist.out().println(pushed.digest());
      } else {
        hoist
            .out()
            .println(
                target.tag().orElse(target.identifier())
                    + ": digest: "
                    + pushed.digest()
                    + " size: "
                    + pushed.size());
      }
    }
    return 0;
  }
}

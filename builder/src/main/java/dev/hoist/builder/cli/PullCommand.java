package dev.hoist.builder.cli;

import dev.hoist.image.Platform;
import dev.hoist.image.Reference;
import dev.hoist.registry.PullResult;
import dev.hoist.registry.RegistryClient;
import dev.hoist.registry.TransferListener;
import dev.hoist.store.Store;
import java.io.IOException;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/** {@code hoist pull REF}: fetches an image for this platform (or {@code --platform}). */
@Command(name = "pull", description = "Fetch an image from a registry into the store.")
final class PullCommand implements Callable<Integer> {
  @ParentCommand Hoist hoist;

  @Option(
      names = "--platform",
      paramLabel = "OS/ARCH[/VARIANT]",
      description = "Platform to pull from a multi-platform image (default: this host's).")
  String platform;

  @Option(
      names = {"-q", "--quiet"},
      description = "Print only the image reference.")
  boolean quiet;

  @Parameters(index = "0", paramLabel = "REF", description = "Image, e.g. busybox or host/x:tag.")
  String ref;

  @Override
  public Integer call() throws IOException {
    Reference reference = Reference.parse(ref);
    Platform wanted = platform == null ? Platform.host() : Platform.parse(platform);
    try (Store store = StoreAccess.open(hoist);
        RegistryClient client = RegistryClients.create(hoist)) {
      TransferListener progress =
          quiet
              ? TransferListener.NONE
              : new TransferProgress(
                  hoist.out(), TransferProgress.isTerminal(hoist.out()), "Downloading");
      PullResult r = client.pull(reference, wanted, store, progress);
      // The platform's manifest is named: its every blob is here (an index's others are not).
      store.tag(reference, r.manifestDescriptor());
      if (!quiet) {
        hoist
            .out()
            .println("Digest: " + r.index().map(i -> i.digest()).orElse(r.manifest().digest()));
        hoist
            .out()
            .println(
                "Status: "
                    + (r.bytesDownloaded() > 0
                        ? "Downloaded newer image for "
                        : "Image is up to date for ")
                    + reference.familiar());
      }
      hoist.out().println(reference);
    }
    return 0;
  }
}

package dev.hoist.builder.cli;

import dev.hoist.image.Digest;
import dev.hoist.image.Platform;
import dev.hoist.image.Reference;
import dev.hoist.registry.PullAllResult;
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

/**
 * {@code hoist pull REF}: fetches an image for this platform (or {@code --platform}), or with
 * {@code --all-platforms} the whole index, as {@code nerdctl pull --all-platforms} does.
 */
@Command(name = "pull", description = "Fetch an image from a registry into the store.")
final class PullCommand implements Callable<Integer> {
  @ParentCommand Hoist hoist;

  @Option(
      names = "--platform",
      paramLabel = "OS/ARCH[/VARIANT]",
      description = "Platform to pull from a multi-platform image (default: this host's).")
  String platform;

  @Option(
      names = "--all-platforms",
      description =
          "Pull every platform of a multi-platform image and name its index (to push or copy"
              + " --all it whole later).")
  boolean allPlatforms;

  @Option(
      names = {"-q", "--quiet"},
      description = "Print only the image reference.")
  boolean quiet;

  @Parameters(index = "0", paramLabel = "REF", description = "Image, e.g. busybox or host/x:tag.")
  String ref;

  @Override
  public Integer call() throws IOException {
    Reference reference = Reference.parse(ref);
    if (allPlatforms && platform != null) {
      throw new IllegalArgumentException(
          "--all-platforms pulls every platform and --platform "
              + platform
              + " only one: give one of them, not both");
    }
    Platform wanted = platform == null ? Platform.host() : Platform.parse(platform);
    try (Store store = StoreAccess.open(hoist);
        RegistryClient client = RegistryClients.create(hoist)) {
      TransferListener progress =
          quiet
              ? TransferListener.NONE
              : new TransferProgress(
                  hoist.out(), TransferProgress.isTerminal(hoist.out()), "Downloading");
      if (allPlatforms) {
        PullAllResult r = client.pullAll(reference, store, progress);
        // Every manifest the index lists is stored with its blobs: the index itself can be named.
        store.tag(reference, r.root());
        report(reference, r.root().digest(), r.bytesDownloaded());
      } else {
        PullResult r = client.pull(reference, wanted, store, progress);
        // The platform's manifest is named: its every blob is here (an index's others are not).
        store.tag(reference, r.manifestDescriptor());
        report(
            reference,
            r.index().map(i -> i.digest()).orElse(r.manifest().digest()),
            r.bytesDownloaded());
      }
      hoist.out().println(reference);
    }
    return 0;
  }

  private void report(Reference reference, Digest digest, long bytesDownloaded) {
    if (quiet) {
      return;
    }
    hoist.out().println("Digest: " + digest);
    hoist
        .out()
        .println(
            "Status: "
                + (bytesDownloaded > 0 ? "Downloaded newer image for " : "Image is up to date for ")
                + reference.familiar());
  }
}

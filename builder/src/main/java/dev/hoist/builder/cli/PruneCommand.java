package dev.hoist.builder.cli;

import dev.hoist.builder.build.BuildCache;
import dev.hoist.store.PruneOptions;
import dev.hoist.store.PruneResult;
import dev.hoist.store.Store;
import dev.hoist.store.snapshot.Snapshots;
import java.io.IOException;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/**
 * {@code hoist prune}: removes blobs no name reaches and snapshots no image uses; with {@code
 * --cache}, the build cache too. Safe beside running builds (see the store's lease rule).
 */
@Command(
    name = "prune",
    description = "Remove unreferenced blobs and snapshots (and the build cache).")
final class PruneCommand implements Callable<Integer> {
  @ParentCommand Hoist hoist;
  @Spec CommandSpec spec;

  @Option(names = "--cache", description = "Also empty the build cache.")
  boolean cache;

  @Override
  public Integer call() throws IOException {
    PruneResult result;
    try (Store store = StoreAccess.open(hoist)) {
      PruneOptions options =
          PruneOptions.defaults().withCache(cache).withHook(new Snapshots(store));
      if (!cache) {
        // Like docker image prune: the build cache is kept unless asked, and so are its layers.
        options = options.withRoots(BuildCache.layers(store));
      }
      result = store.prune(options);
    }
    PrintWriter out = spec.commandLine().getOut();
    out.println(
        "Deleted blobs: " + result.blobs() + " (" + HumanUnits.size(result.blobBytes()) + ")");
    for (PruneResult.Part part : result.parts()) {
      out.println(
          "Deleted "
              + part.what()
              + ": "
              + part.count()
              + " ("
              + HumanUnits.size(part.bytes())
              + ")");
    }
    out.println("Total reclaimed space: " + HumanUnits.size(result.totalBytes()));
    out.flush();
    return 0;
  }
}

package dev.hoist.builder.cli;

import dev.hoist.image.Reference;
import dev.hoist.store.Store;
import dev.hoist.store.archive.ArchiveLoader;
import dev.hoist.store.archive.LoadedImage;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** {@code hoist load -i FILE}: reads a docker-archive or OCI archive (plain or gzipped). */
@Command(name = "load", description = "Read images from a docker-archive or OCI archive tar.")
final class LoadCommand implements Callable<Integer> {
  @ParentCommand Hoist hoist;
  @Spec CommandSpec spec;

  @Option(
      names = {"-i", "--input"},
      required = true,
      paramLabel = "FILE",
      description = "The tar to read.")
  Path input;

  @Option(
      names = {"-q", "--quiet"},
      description = "Print nothing.")
  boolean quiet;

  @Override
  public Integer call() throws IOException {
    List<LoadedImage> loaded;
    try (Store store = StoreAccess.open(hoist)) {
      loaded = new ArchiveLoader(store).load(input);
    }
    if (!quiet) {
      PrintWriter out = spec.commandLine().getOut();
      for (LoadedImage image : loaded) {
        if (image.names().isEmpty()) {
          out.println("Loaded image ID: " + image.id());
        }
        for (Reference name : image.names()) {
          out.println("Loaded image: " + name.familiar());
        }
      }
      out.flush();
    }
    return 0;
  }
}

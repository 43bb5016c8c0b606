package dev.hoist.builder.cli;

import dev.hoist.image.Reference;
import dev.hoist.store.Store;
import dev.hoist.store.StoredImage;
import java.io.IOException;
import java.io.PrintWriter;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/**
 * {@code hoist rmi REF...}: removes names (or, by id, images); their blobs go on {@code hoist
 * prune}. Every REF is tried; the status is 1 when any failed.
 */
@Command(name = "rmi", description = "Remove image names; blobs are freed by 'hoist prune'.")
final class RmiCommand implements Callable<Integer> {
  @ParentCommand Hoist hoist;
  @Spec CommandSpec spec;

  @Parameters(arity = "1..*", paramLabel = "REF", description = "Image names, ids or digests.")
  List<String> refs;

  @Option(
      names = {"-f", "--force"},
      description = "Remove an image by id even when it has several names.")
  boolean force;

  @Override
  public Integer call() throws IOException {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    int status = 0;
    try (Store store = StoreAccess.open(hoist)) {
      for (String ref : refs) {
        try {
          StoredImage image = store.resolve(ref);
          List<String> removed = store.remove(ref, force);
          for (String name : removed) {
            out.println("Untagged: " + Reference.parse(name).familiar());
          }
          if (store.images().stream().noneMatch(i -> i.id().equals(image.id()))) {
            out.println("Deleted: " + image.id());
          }
        } catch (IOException | IllegalArgumentException e) {
          err.println("hoist: " + Failures.describe(e));
          status = Hoist.EXIT_FAILURE;
        }
      }
    }
    out.flush();
    err.flush();
    return status;
  }
}

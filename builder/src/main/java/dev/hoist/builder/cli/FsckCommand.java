package dev.hoist.builder.cli;

import dev.hoist.store.FsckReport;
import dev.hoist.store.Store;
import java.io.IOException;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/**
 * {@code hoist fsck}: checks every blob against its digest and every reference; prints one line a
 * problem and exits 1 when there is any.
 */
@Command(name = "fsck", description = "Verify every blob and every reference of the store.")
final class FsckCommand implements Callable<Integer> {
  @ParentCommand Hoist hoist;
  @Spec CommandSpec spec;

  @Override
  public Integer call() throws IOException {
    FsckReport report;
    Store opened;
    try (Store store = StoreAccess.open(hoist)) {
      report = store.fsck();
      opened = store;
    }
    PrintWriter out = spec.commandLine().getOut();
    report.problems().forEach(out::println);
    out.printf(
        "checked %d blobs (%s), %d index entries; %d unreferenced blobs (freed by 'hoist prune')%n",
        report.blobs(), HumanUnits.size(report.bytes()), report.entries(), report.unreferenced());
    out.flush();
    if (!report.ok()) {
      PrintWriter err = spec.commandLine().getErr();
      err.println(
          "hoist: store "
              + opened.root()
              + " has "
              + report.problems().size()
              + " problem(s); remove broken images with 'hoist rmi' and pull or build them again");
      err.flush();
      return Hoist.EXIT_FAILURE;
    }
    return 0;
  }
}

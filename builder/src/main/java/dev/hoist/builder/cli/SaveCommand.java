package dev.hoist.builder.cli;

import dev.hoist.store.Store;
import dev.hoist.store.archive.ArchiveFormat;
import dev.hoist.store.archive.ArchiveSaver;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/** {@code hoist save -o FILE REF...}: a tar that {@code docker load} or skopeo reads. */
@Command(name = "save", description = "Write images to a docker-archive or OCI archive tar.")
final class SaveCommand implements Callable<Integer> {
  @ParentCommand Hoist hoist;

  @Option(
      names = {"-o", "--output"},
      required = true,
      paramLabel = "FILE",
      description = "The tar to write (gzipped when it ends in .gz or .tgz).")
  Path output;

  @Option(
      names = "--format",
      paramLabel = "FORMAT",
      description = "docker-archive (default) or oci-archive.")
  String format = "docker-archive";

  @Parameters(arity = "1..*", paramLabel = "REF", description = "Image names, ids or digests.")
  List<String> refs;

  @Override
  public Integer call() throws IOException {
    ArchiveFormat f = ArchiveFormat.parse(format);
    try (Store store = StoreAccess.open(hoist)) {
      new ArchiveSaver(store).save(refs, output, f);
    }
    return 0;
  }
}

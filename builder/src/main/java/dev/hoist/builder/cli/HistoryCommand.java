package dev.hoist.builder.cli;

import dev.hoist.image.Descriptor;
import dev.hoist.image.History;
import dev.hoist.store.Store;
import dev.hoist.store.StoredImage;
import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/**
 * {@code hoist history REF}: one row a history entry, newest first, as {@code docker history}:
 * entries that made a layer show its stored size, config-only steps show {@code 0B}.
 */
@Command(name = "history", description = "Show the steps that made an image.")
final class HistoryCommand implements Callable<Integer> {
  private static final int CREATED_BY_WIDTH = 45;

  @ParentCommand Hoist hoist;
  @Spec CommandSpec spec;

  @Parameters(paramLabel = "REF", description = "Image name, id (prefix) or digest.")
  String ref;

  @Option(names = "--no-trunc", description = "Do not shorten CREATED BY or the image id.")
  boolean noTrunc;

  @Override
  public Integer call() throws IOException {
    StoredImage image;
    try (Store store = StoreAccess.open(hoist)) {
      image = store.resolve(ref);
    }
    List<Descriptor> layers = image.manifest().layers();
    List<History> history = new ArrayList<>(image.config().history());
    if (history.isEmpty()) {
      // a config without history (some tools write none): one anonymous row a layer
      for (int i = 0; i < layers.size(); i++) {
        history.add(
            new History(
                Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(), false));
      }
    }
    List<String[]> rows = new ArrayList<>();
    int layer = 0;
    Instant now = Instant.now();
    for (History h : history) {
      String size = "0B";
      if (!h.emptyLayer() && layer < layers.size()) {
        size = HumanUnits.size(layers.get(layer++).size());
      }
      String createdBy = h.createdBy().orElse("").replace('\n', ' ');
      if (!noTrunc && createdBy.length() > CREATED_BY_WIDTH) {
        createdBy = createdBy.substring(0, CREATED_BY_WIDTH - 1) + "…";
      }
      rows.add(
          new String[] {
            "<missing>",
            h.created().map(t -> HumanUnits.ago(t, now)).orElse("N/A"),
            createdBy,
            size,
            h.comment().orElse("")
          });
    }
    Collections.reverse(rows);
    if (!rows.isEmpty()) {
      rows.get(0)[0] = noTrunc ? image.id().toString() : image.id().shortHex();
    }
    TextTable table = new TextTable("IMAGE", "CREATED", "CREATED BY", "SIZE", "COMMENT");
    rows.forEach(table::row);
    table.print(spec.commandLine().getOut());
    return 0;
  }
}

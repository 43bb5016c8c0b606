package dev.hoist.builder.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.hoist.image.Reference;
import dev.hoist.store.ImageSummary;
import dev.hoist.store.Store;
import java.io.IOException;
import java.io.PrintWriter;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** {@code hoist images}: the stored images, newest first, as {@code docker images} lists them. */
@Command(name = "images", description = "List stored images.")
final class ImagesCommand implements Callable<Integer> {
  private static final ObjectMapper JSON = new ObjectMapper();

  @ParentCommand Hoist hoist;
  @Spec CommandSpec spec;

  @Parameters(
      arity = "0..1",
      paramLabel = "REPOSITORY[:TAG]",
      description = "Only images of this repository (and tag).")
  String filter;

  @Option(
      names = "--format",
      paramLabel = "FORMAT",
      description = "'table' (default) or 'json' (one object a line).")
  String format = "table";

  @Option(names = "--digests", description = "Show manifest digests.")
  boolean digests;

  @Option(names = "--no-trunc", description = "Show full image ids.")
  boolean noTrunc;

  @Option(
      names = {"-q", "--quiet"},
      description = "Only image ids.")
  boolean quiet;

  @Override
  public Integer call() throws IOException {
    if (!format.equals("table") && !format.equals("json")) {
      throw new IllegalArgumentException(
          "unknown --format '" + format + "'; use 'table' or 'json'");
    }
    List<ImageSummary> images;
    try (Store store = StoreAccess.open(hoist)) {
      images = new ArrayList<>(store.images());
    }
    Optional<Reference> wanted = Optional.ofNullable(filter).map(ImagesCommand::parseFilter);
    images.removeIf(i -> wanted.isPresent() && !matches(i, wanted.get(), filter));
    images.sort(
        Comparator.comparing((ImageSummary i) -> i.created().orElse(Instant.EPOCH))
            .reversed()
            .thenComparing(i -> i.name().map(Reference::toString).orElse("~")));
    PrintWriter out = spec.commandLine().getOut();
    if (quiet) {
      Set<String> ids = new LinkedHashSet<>();
      images.forEach(i -> ids.add(id(i)));
      ids.forEach(out::println);
      out.flush();
      return 0;
    }
    Instant now = Instant.now();
    if (format.equals("json")) {
      for (ImageSummary i : images) {
        ObjectNode n = JSON.createObjectNode();
        n.put("Repository", repository(i));
        n.put("Tag", tag(i));
        n.put("Digest", i.target().digest().toString());
        n.put("ID", id(i));
        n.put("CreatedAt", i.created().map(Instant::toString).orElse(""));
        n.put("CreatedSince", created(i, now));
        n.put("Size", HumanUnits.size(i.size()));
        n.put("SizeBytes", i.size());
        out.println(JSON.writeValueAsString(n));
      }
      out.flush();
      return 0;
    }
    TextTable table =
        digests
            ? new TextTable("REPOSITORY", "TAG", "DIGEST", "IMAGE ID", "CREATED", "SIZE")
            : new TextTable("REPOSITORY", "TAG", "IMAGE ID", "CREATED", "SIZE");
    for (ImageSummary i : images) {
      String size = HumanUnits.size(i.size());
      if (digests) {
        table.row(
            repository(i), tag(i), i.target().digest().toString(), id(i), created(i, now), size);
      } else {
        table.row(repository(i), tag(i), id(i), created(i, now), size);
      }
    }
    table.print(out);
    return 0;
  }

  private static Reference parseFilter(String text) {
    return Reference.parse(text);
  }

  private static boolean matches(ImageSummary i, Reference wanted, String text) {
    if (i.name().isEmpty()) {
      return false;
    }
    Reference n = i.name().get();
    boolean tagGiven = text.substring(text.lastIndexOf('/') + 1).contains(":");
    return n.name().equals(wanted.name()) && (!tagGiven || n.tag().equals(wanted.tag()));
  }

  private String id(ImageSummary i) {
    return noTrunc ? i.id().toString() : i.id().shortHex();
  }

  static String repository(ImageSummary i) {
    return i.name()
        .map(
            n ->
                new Reference(n.registry(), n.repository(), Optional.empty(), Optional.empty())
                    .familiar())
        .orElse("<none>");
  }

  static String tag(ImageSummary i) {
    return i.name().flatMap(Reference::tag).orElse("<none>");
  }

  private static String created(ImageSummary i, Instant now) {
    return i.created().map(t -> HumanUnits.ago(t, now)).orElse("N/A");
  }
}

package dev.hoist.builder.cli;

import dev.hoist.image.Descriptor;
import dev.hoist.image.Platform;
import dev.hoist.image.Reference;
import dev.hoist.registry.RegistryClient;
import dev.hoist.registry.TransferListener;
import dev.hoist.store.Store;
import dev.hoist.store.StoredImage;
import dev.hoist.store.archive.ArchiveFormat;
import dev.hoist.store.archive.ArchiveLoader;
import dev.hoist.store.archive.ArchiveSaver;
import dev.hoist.store.archive.LoadedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/**
 * {@code hoist copy SRC DST}: copies an image between {@code docker://REF}, {@code oci:DIR[:TAG]},
 * {@code docker-archive:FILE[:REF]} and {@code hoist:REF} (the store), going through the store.
 * From a multi-platform image it takes one platform, or with {@code --all} (as {@code skopeo copy
 * --all}) the index and every manifest it lists, their bytes and so their digests unchanged.
 */
@Command(
    name = "copy",
    description = {
      "Copy an image between docker://REF, oci:DIR[:TAG], docker-archive:FILE[:REF] and"
          + " hoist:REF (the store).",
      "From a multi-platform image (an OCI index or Docker manifest list) it copies this host's"
          + " platform, or --platform's; --all copies the index and every platform, byte for"
          + " byte (not to or from docker-archive:, which holds no index)."
    })
final class CopyCommand implements Callable<Integer> {
  @ParentCommand Hoist hoist;

  @Option(
      names = "--platform",
      paramLabel = "OS/ARCH[/VARIANT]",
      description = "Platform to take from a multi-platform source (default: this host's).")
  String platform;

  @Option(
      names = {"-a", "--all"},
      description =
          "Copy every platform of a multi-platform image: the index and all the manifests it"
              + " lists, with their configs and layers, digests unchanged (as skopeo copy --all).")
  boolean all;

  @Parameters(index = "0", paramLabel = "SRC", description = "Source, TRANSPORT:NAME.")
  String source;

  @Parameters(index = "1", paramLabel = "DST", description = "Destination, TRANSPORT:NAME.")
  String destination;

  /** A parsed {@code TRANSPORT:NAME[:TAG]}. */
  record Location(String transport, String name, Optional<String> tag) {
    static Location parse(String text) {
      int colon = text.indexOf(':');
      if (colon <= 0) {
        throw new IllegalArgumentException(
            "'"
                + text
                + "' names no transport; use docker://REF, oci:DIR[:TAG],"
                + " docker-archive:FILE[:REF] or hoist:REF");
      }
      String transport = text.substring(0, colon);
      String rest = text.substring(colon + 1);
      return switch (transport) {
        case "docker" -> {
          if (!rest.startsWith("//")) {
            throw new IllegalArgumentException("'" + text + "': write docker://REF");
          }
          yield new Location(transport, rest.substring(2), Optional.empty());
        }
        case "hoist" -> new Location(transport, rest, Optional.empty());
        case "oci", "docker-archive" -> {
          int c = rest.indexOf(':');
          yield c < 0
              ? new Location(transport, rest, Optional.empty())
              : new Location(transport, rest.substring(0, c), Optional.of(rest.substring(c + 1)));
        }
        default ->
            throw new IllegalArgumentException(
                "unknown transport '"
                    + transport
                    + "' in '"
                    + text
                    + "'; use docker://, oci:, docker-archive: or hoist:");
      };
    }
  }

  @Override
  public Integer call() throws IOException {
    Location src = Location.parse(source);
    Location dst = Location.parse(destination);
    if (all) {
      checkAll(src, dst);
    }
    try (Store store = StoreAccess.open(hoist);
        RegistryClient client = RegistryClients.create(hoist)) {
      TransferListener progress =
          new TransferProgress(hoist.out(), TransferProgress.isTerminal(hoist.out()), "Copying");
      Descriptor root = read(src, store, client, progress);
      write(dst, root, store, client, progress);
      hoist.out().println("Copied " + root.digest() + " to " + destination);
    }
    return 0;
  }

  /** Refuses what {@code --all} cannot do, before anything is read or written. */
  private void checkAll(Location src, Location dst) {
    if (platform != null) {
      throw new IllegalArgumentException(
          "--all copies every platform and --platform "
              + platform
              + " only one: give one of them, not both");
    }
    for (Location l : List.of(src, dst)) {
      if (l.transport().equals("docker-archive")) {
        throw new IllegalArgumentException(
            "--all: docker-archive:"
                + l.name()
                + " cannot hold a multi-platform index; use oci:DIR for every platform, or drop"
                + " --all to copy one");
      }
    }
  }

  private Platform wanted() {
    return platform == null ? Platform.host() : Platform.parse(platform);
  }

  /** Reads {@code src} into the store; returns what to write: the index with --all, else one. */
  private Descriptor read(Location src, Store store, RegistryClient client, TransferListener l)
      throws IOException {
    return switch (src.transport()) {
      case "docker" -> {
        Reference ref = Reference.parse(src.name());
        yield all
            ? client.pullAll(ref, store, l).root()
            : client.pull(ref, wanted(), store, l).manifestDescriptor();
      }
      case "hoist" -> {
        StoredImage image = store.resolve(src.name());
        if (all) {
          yield IndexChoice.every(store, image.target(), source);
        }
        // Without --platform, the platform the store resolves an index to (this host's if stored).
        yield platform == null
            ? image.manifestDescriptor()
            : IndexChoice.one(store, image.target(), wanted(), source);
      }
      case "oci" -> {
        OciLayoutDir dir = new OciLayoutDir(Path.of(src.name()));
        Descriptor found = dir.find(src.tag());
        Descriptor d =
            all
                ? IndexChoice.every(dir, found, source)
                : IndexChoice.one(dir, found, wanted(), source);
        dir.copyInto(store, d);
        yield d;
      }
      case "docker-archive" -> {
        List<LoadedImage> loaded = new ArchiveLoader(store).load(Path.of(src.name()));
        if (loaded.isEmpty()) {
          throw new IllegalArgumentException("docker-archive:" + src.name() + " holds no image");
        }
        yield loaded.get(0).target();
      }
      default -> throw new IllegalStateException(src.transport());
    };
  }

  private void write(
      Location dst, Descriptor root, Store store, RegistryClient client, TransferListener l)
      throws IOException {
    switch (dst.transport()) {
      case "docker" -> client.push(Reference.parse(dst.name()), root, store, Optional.empty(), l);
      case "hoist" -> store.tag(Reference.parse(dst.name()), root);
      case "oci" -> new OciLayoutDir(Path.of(dst.name())).write(store, root, dst.tag());
      case "docker-archive" -> {
        String name = root.digest().toString();
        if (dst.tag().isPresent()) {
          Reference ref = Reference.parse(dst.tag().get());
          store.tag(ref, root);
          name = ref.toString();
        }
        new ArchiveSaver(store)
            .save(List.of(name), Path.of(dst.name()), ArchiveFormat.DOCKER_ARCHIVE);
      }
      default -> throw new IllegalStateException(dst.transport());
    }
  }
}

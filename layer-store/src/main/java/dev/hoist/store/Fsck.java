package dev.hoist.store;

import dev.hoist.image.Descriptor;
import dev.hoist.image.Digest;
import dev.hoist.image.Index;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Checks a store: the layout files parse, every file under {@code blobs/} is named by a digest and
 * hashes to it, and everything {@code index.json} refers to (manifests, configs, layers) is present
 * and parses. Temp files are not blobs and are ignored. Reads only; takes no lock, since every file
 * it reads is replaced whole.
 */
final class Fsck {
  private final Store store;
  private final List<String> problems = new ArrayList<>();

  Fsck(Store store) {
    this.store = store;
  }

  FsckReport run() throws IOException {
    Path root = store.root();
    checkLayoutFile(root.resolve("oci-layout"));
    List<Descriptor> entries = List.of();
    try {
      entries = Index.parse(Files.readAllBytes(root.resolve("index.json"))).manifests();
    } catch (IOException | IllegalArgumentException e) {
      problems.add("index.json: unreadable: " + e.getMessage());
    }
    int[] blobs = {0};
    long[] bytes = {0};
    Set<Digest> stored = new HashSet<>();
    checkBlobs(root.resolve("blobs"), stored, blobs, bytes);

    Set<Digest> referenced = new HashSet<>();
    for (Descriptor entry : entries) {
      String name = entry.annotation(Store.REF_NAME).orElse("unnamed image " + entry.digest());
      new ReferenceWalker(
              store,
              new ReferenceWalker.Visitor() {
                @Override
                public void present(Descriptor d) {
                  referenced.add(d.digest());
                }

                @Override
                public void missing(Descriptor d, String via) {
                  problems.add(
                      name
                          + ": blob "
                          + d.digest()
                          + " ("
                          + d.mediaType()
                          + ", "
                          + via
                          + ") is missing");
                }

                @Override
                public void invalid(Descriptor d, String via, String why) {
                  referenced.add(d.digest());
                  problems.add(name + ": blob " + d.digest() + " (" + via + ") is invalid: " + why);
                }
              })
          .walk(entry, "index.json");
    }
    int unreferenced = 0;
    for (Digest d : stored) {
      if (!referenced.contains(d)) {
        unreferenced++;
      }
    }
    return new FsckReport(problems, blobs[0], bytes[0], entries.size(), unreferenced);
  }

  private void checkLayoutFile(Path layout) {
    try {
      String text = Files.readString(layout);
      if (!text.contains("\"imageLayoutVersion\"")) {
        problems.add("oci-layout: has no imageLayoutVersion");
      }
    } catch (IOException e) {
      problems.add("oci-layout: unreadable: " + e.getMessage());
    }
  }

  private void checkBlobs(Path blobsDir, Set<Digest> stored, int[] count, long[] bytes)
      throws IOException {
    try (DirectoryStream<Path> algs = Files.newDirectoryStream(blobsDir)) {
      for (Path alg : algs) {
        if (!Files.isDirectory(alg)) {
          problems.add("blobs/" + alg.getFileName() + ": not an algorithm directory");
          continue;
        }
        try (DirectoryStream<Path> files = Files.newDirectoryStream(alg)) {
          for (Path f : files) {
            checkBlob(alg, f, stored, count, bytes);
          }
        }
      }
    }
  }

  private void checkBlob(Path alg, Path f, Set<Digest> stored, int[] count, long[] bytes) {
    String rel = "blobs/" + alg.getFileName() + "/" + f.getFileName();
    Digest digest;
    try {
      digest = new Digest(alg.getFileName().toString(), f.getFileName().toString());
    } catch (IllegalArgumentException e) {
      problems.add(rel + ": file name is not a digest (" + e.getMessage() + ")");
      return;
    }
    if (!Files.isRegularFile(f, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
      problems.add("blob " + digest + ": not a regular file");
      return;
    }
    stored.add(digest);
    count[0]++;
    try {
      FileDigests.Result r = FileDigests.of(f, digest.algorithm());
      bytes[0] += r.size();
      if (!r.digest().equals(digest)) {
        problems.add(
            "blob " + digest + ": corrupt, its " + r.size() + " bytes hash to " + r.digest());
      }
    } catch (IOException e) {
      problems.add("blob " + digest + ": unreadable: " + e.getMessage());
    }
  }
}

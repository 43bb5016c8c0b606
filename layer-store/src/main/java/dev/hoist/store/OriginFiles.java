package dev.hoist.store;

import dev.hoist.image.BlobOrigins.Origin;
import dev.hoist.image.Digest;
import java.io.IOException;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Blob origins on disk: {@code .hoist/origins/<algorithm>/<hex>/<registry/repository,
 * URL-encoded>}, one empty file per origin, its modification time saying when it was last seen.
 * Creating an empty file is atomic (it exists or it does not), so concurrent pulls and pushes
 * record origins without a lock and without read-modify-write races. Origins are hints, so they are
 * not fsynced: one lost in a crash only costs an upload instead of a mount. A blob's origins go
 * when the blob does ({@link Store#delete} and prune).
 */
final class OriginFiles {
  /** A push tries this many mount sources at most; older origins are not read. */
  static final int MAX_ORIGINS = 5;

  private final Path dir;
  private final Store store;

  OriginFiles(Path dir, Store store) {
    this.dir = dir;
    this.store = store;
  }

  private Path dirOf(Digest digest) {
    return dir.resolve(digest.algorithm()).resolve(digest.hex());
  }

  void add(Digest digest, Origin origin) throws IOException {
    Path d = dirOf(digest);
    Path f =
        d.resolve(
            URLEncoder.encode(
                origin.registry() + "/" + origin.repository(), StandardCharsets.UTF_8));
    for (int attempt = 0; attempt < 2; attempt++) {
      try {
        Files.createDirectories(d);
        Files.createFile(f);
        return;
      } catch (FileAlreadyExistsException known) {
        Files.setLastModifiedTime(f, FileTime.from(Instant.now()));
        return;
      } catch (NoSuchFileException prunedMeanwhile) {
        // a prune removed the directory between our two calls: make it again once
      }
    }
  }

  List<Origin> of(Digest digest) throws IOException {
    record Seen(Origin origin, FileTime time) {}
    List<Seen> seen = new ArrayList<>();
    try (DirectoryStream<Path> files = Files.newDirectoryStream(dirOf(digest))) {
      for (Path f : files) {
        String name = URLDecoder.decode(f.getFileName().toString(), StandardCharsets.UTF_8);
        int slash = name.indexOf('/');
        if (slash <= 0 || slash == name.length() - 1) {
          continue; // not an origin file; ignored rather than trusted
        }
        try {
          seen.add(
              new Seen(
                  new Origin(name.substring(0, slash), name.substring(slash + 1)),
                  Files.getLastModifiedTime(f)));
        } catch (NoSuchFileException gone) {
          // removed meanwhile
        }
      }
    } catch (NoSuchFileException none) {
      return List.of();
    }
    return seen.stream()
        .sorted(Comparator.comparing(Seen::time).reversed())
        .limit(MAX_ORIGINS)
        .map(Seen::origin)
        .toList();
  }

  /** Forgets the origins of a blob that is gone. */
  void forget(Digest digest) throws IOException {
    try {
      FileTrees.deleteRecursively(dirOf(digest));
    } catch (DirectoryNotEmptyException | NoSuchFileException raced) {
      // a pull recorded an origin meanwhile (the blob is back) or another forget won
    }
  }

  /**
   * Forgets the origins of every blob that is not stored. Only digest-named directories are
   * touched, and nothing behind a symbolic link: anything else under {@code origins/} is left
   * alone.
   */
  void forgetMissing() throws IOException {
    if (!Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS)) {
      return;
    }
    try (DirectoryStream<Path> algs = Files.newDirectoryStream(dir)) {
      for (Path alg : algs) {
        if (!Files.isDirectory(alg, LinkOption.NOFOLLOW_LINKS)) {
          continue;
        }
        try (DirectoryStream<Path> blobs = Files.newDirectoryStream(alg)) {
          for (Path b : blobs) {
            Digest d;
            try {
              d = new Digest(alg.getFileName().toString(), b.getFileName().toString());
            } catch (IllegalArgumentException notADigest) {
              continue;
            }
            if (!Files.exists(store.blobPath(d))) {
              forget(d);
            }
          }
        }
      }
    }
  }
}

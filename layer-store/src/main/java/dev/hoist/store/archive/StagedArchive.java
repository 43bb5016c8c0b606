package dev.hoist.store.archive;

import dev.hoist.image.Digest;
import dev.hoist.store.Store;
import dev.hoist.store.TempBlob;
import dev.hoist.store.layer.DecompressionBombException;
import dev.hoist.store.layer.DecompressionLimit;
import java.io.BufferedInputStream;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.zip.GZIPInputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;

/**
 * An image archive (a plain or gzipped tar) read once, front to back: every regular file streamed
 * into a temp file of the store while its sha256 is computed, links remembered by name. Nothing is
 * created under an entry's own name, so no entry can write outside the store's temp dir; names that
 * try to leave the archive ({@code ..}, absolute paths, links pointing out) are refused. Closing
 * deletes every temp file not moved into the store.
 */
final class StagedArchive implements Closeable {
  /** A regular file of the archive, now a temp file. */
  record Staged(String name, TempBlob blob, Digest digest, long size, boolean gzip) {
    Path file() {
      return blob.file();
    }
  }

  static final int MAX_ENTRIES = 200_000;
  private static final int MAX_LINK_HOPS = 16;

  private final Path archive;
  private final Map<String, Staged> files = new HashMap<>();
  private final Map<String, String> links = new HashMap<>();
  private final List<TempBlob> temps = new ArrayList<>();

  private StagedArchive(Path archive) {
    this.archive = archive;
  }

  static StagedArchive read(Store store, Path archive) throws IOException {
    StagedArchive staged = new StagedArchive(archive);
    try (InputStream raw = new BufferedInputStream(Files.newInputStream(archive), 1 << 16)) {
      raw.mark(2);
      boolean gzip = raw.read() == 0x1f && raw.read() == 0x8b;
      raw.reset();
      InputStream in =
          gzip
              ? DecompressionLimit.fromEnvironment()
                  .decompress(raw, c -> new GZIPInputStream(c, 1 << 16), "archive " + archive)
              : raw;
      TarArchiveInputStream tar = new TarArchiveInputStream(in);
      TarArchiveEntry e;
      int count = 0;
      while ((e = tar.getNextEntry()) != null) {
        if (++count > MAX_ENTRIES) {
          throw new ArchiveException(
              archive, "has more than " + MAX_ENTRIES + " entries; it is not an image archive");
        }
        String name = staged.clean(e.getName());
        if (e.isDirectory() || name.isEmpty()) {
          continue;
        }
        if (e.isSymbolicLink()) {
          staged.links.put(name, staged.linkTarget(name, e.getLinkName(), true));
        } else if (e.isLink()) {
          staged.links.put(name, staged.linkTarget(name, e.getLinkName(), false));
        } else if (e.isFile()) {
          staged.files.put(name, staged.stage(store, name, tar));
        }
        // devices, fifos and the like are not part of an image archive: skipped
      }
    } catch (IOException | RuntimeException e) {
      staged.close();
      if (e instanceof ArchiveException ae) {
        throw ae;
      }
      if (DecompressionBombException.in(e).isPresent()) {
        throw DecompressionBombException.in(e).get(); // already names the archive and the limit
      }
      throw new ArchiveException(archive, "is not a readable tar: " + e.getMessage(), e);
    }
    return staged;
  }

  private Staged stage(Store store, String name, InputStream entry) throws IOException {
    TempBlob blob = store.newTempBlob();
    temps.add(blob);
    OutputStream out = blob.stream();
    byte[] head = new byte[2];
    byte[] buf = new byte[1 << 16];
    int n;
    int headLen = 0;
    while ((n = entry.read(buf)) > 0) {
      for (int i = 0; headLen < 2 && i < n; i++) {
        head[headLen++] = buf[i];
      }
      out.write(buf, 0, n);
    }
    Digest digest = blob.finish();
    boolean gzip = headLen == 2 && (head[0] & 0xff) == 0x1f && (head[1] & 0xff) == 0x8b;
    return new Staged(name, blob, digest, blob.size(), gzip);
  }

  /** The entry name as a relative path inside the archive, or an error if it leaves it. */
  private String clean(String raw) throws ArchiveException {
    String n = raw;
    while (n.startsWith("./")) {
      n = n.substring(2);
    }
    if (n.startsWith("/")) {
      throw new ArchiveException(archive, "entry '" + raw + "' has an absolute path; refusing it");
    }
    List<String> parts = new ArrayList<>();
    for (String p : n.split("/")) {
      if (p.isEmpty() || p.equals(".")) {
        continue;
      }
      if (p.equals("..")) {
        throw new ArchiveException(
            archive, "entry '" + raw + "' climbs out with '..'; refusing it");
      }
      parts.add(p);
    }
    return String.join("/", parts);
  }

  private String linkTarget(String name, String target, boolean symbolic) throws ArchiveException {
    if (!symbolic || target.startsWith("/")) {
      return clean(target);
    }
    int slash = name.lastIndexOf('/');
    String base = slash < 0 ? "" : name.substring(0, slash);
    List<String> parts = new ArrayList<>(base.isEmpty() ? List.of() : List.of(base.split("/")));
    for (String p : target.split("/")) {
      if (p.isEmpty() || p.equals(".")) {
        continue;
      }
      if (p.equals("..")) {
        if (parts.isEmpty()) {
          throw new ArchiveException(
              archive, "link '" + name + "' -> '" + target + "' points out of the archive");
        }
        parts.remove(parts.size() - 1);
      } else {
        parts.add(p);
      }
    }
    return String.join("/", parts);
  }

  /** The file at {@code name}, following links inside the archive. */
  Optional<Staged> file(String name) throws ArchiveException {
    String n = clean(name);
    for (int hops = 0; hops <= MAX_LINK_HOPS; hops++) {
      Staged s = files.get(n);
      if (s != null) {
        return Optional.of(s);
      }
      String next = links.get(n);
      if (next == null) {
        return Optional.empty();
      }
      n = next;
    }
    throw new ArchiveException(archive, "entry '" + name + "' is a loop of links");
  }

  Staged require(String name, String what) throws ArchiveException {
    return file(name)
        .orElseThrow(
            () -> new ArchiveException(archive, what + " '" + name + "' is not in the archive"));
  }

  /** A small file's bytes (JSON), at most {@code max} bytes. */
  byte[] bytes(Staged s, long max) throws IOException {
    if (s.size() > max) {
      throw new ArchiveException(
          archive, "'" + s.name() + "' is " + s.size() + " bytes; more than " + max + " allowed");
    }
    return Files.readAllBytes(s.file());
  }

  boolean has(String name) throws ArchiveException {
    return file(name).isPresent();
  }

  Path archive() {
    return archive;
  }

  @Override
  public void close() throws IOException {
    IOException first = null;
    for (TempBlob t : temps) {
      try {
        t.close();
      } catch (IOException e) {
        first = first == null ? e : first;
      }
    }
    if (first != null) {
      throw first;
    }
  }
}

package dev.hoist.builder.copy;

import dev.hoist.image.Digest;
import dev.hoist.image.DigestingInputStream;
import dev.hoist.image.DigestingOutputStream;
import dev.hoist.store.posix.FileStat;
import dev.hoist.store.posix.Posix;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Hashes everything a COPY reads, in the order the planner visits it: targets, types, effective
 * modes and owners, xattrs, link targets, hardlink structure and file bytes; never mtimes, which
 * change on every checkout. Nothing is written.
 */
final class InputDigester implements CopySink {
  private final DigestingOutputStream digest =
      new DigestingOutputStream(OutputStream.nullOutputStream());
  private final DataOutputStream out = new DataOutputStream(digest);
  private final CopySpec spec;
  private final boolean fromContext;
  private final boolean replacesMode;
  private final Fetcher fetcher;
  private final Map<List<Long>, String> hardlinks = new HashMap<>();
  private final List<String> trail = new ArrayList<>();

  InputDigester(CopySpec spec, boolean fromContext, Fetcher fetcher) throws IOException {
    this.spec = spec;
    this.fromContext = fromContext;
    this.replacesMode = Copier.parseChmod(spec).map(ModeChange::replacesMode).orElse(false);
    this.fetcher = fetcher;
    words();
  }

  /** The spec's own words: the same files copied elsewhere or otherwise are another step. */
  private void words() throws IOException {
    out.writeUTF("hoist.copy.v1");
    out.writeBoolean(spec.add());
    list(spec.sources());
    out.writeUTF(spec.destination());
    out.writeUTF(spec.workdir());
    out.writeUTF(spec.chown().orElse("\0"));
    out.writeUTF(spec.chmod().orElse("\0"));
    out.writeBoolean(spec.parents());
    list(spec.excludes());
    out.writeUTF(spec.checksum().orElse("\0"));
    out.writeBoolean(fromContext);
    if (spec.unpack().isPresent()) { // only when given, so that other steps keep their keys
      out.writeUTF("unpack=" + spec.unpack().get());
    }
  }

  private void list(List<String> words) throws IOException {
    out.writeInt(words.size());
    for (String w : words) {
      out.writeUTF(w);
    }
  }

  Digest digest() throws IOException {
    out.flush();
    return digest.digest();
  }

  /**
   * Each target the COPY writes, with the digest of everything read up to and including it ({@code
   * TARGET\tHEX16}), at most {@link CopyInputs#MAX_TRAIL} of them: two trails part at the first
   * file that changed, was added or was removed.
   */
  List<String> trail() {
    return trail.size() > CopyInputs.MAX_TRAIL ? List.of() : List.copyOf(trail);
  }

  private void mark(String target) throws IOException {
    if (trail.size() <= CopyInputs.MAX_TRAIL) {
      out.flush();
      trail.add(target + "\t" + digest.peek().hex().substring(0, 16));
    }
  }

  @Override
  public void ensureDir(String target) throws IOException {
    out.writeUTF("ensure");
    out.writeUTF(target);
    mark(target);
  }

  @Override
  public void directory(String target, SourceNode source) throws IOException {
    entry("dir", target, source);
    mark(target);
  }

  @Override
  public void file(String target, SourceNode source) throws IOException {
    FileStat stat = source.stat();
    if (stat.isRegular() && stat.nlink() > 1) {
      List<Long> key = List.of(stat.dev(), stat.ino());
      String first = hardlinks.putIfAbsent(key, target);
      if (first != null) {
        out.writeUTF("hardlink");
        out.writeUTF(target);
        out.writeUTF(first);
        mark(target);
        return;
      }
    }
    entry("file", target, source);
    if (stat.isRegular()) {
      out.writeLong(stat.size());
      try (InputStream in = Files.newInputStream(source.real(), LinkOption.NOFOLLOW_LINKS)) {
        long n = in.transferTo(out);
        out.writeLong(n); // a file that grew while read must not hash like its first bytes
      }
    } else if (stat.isSymlink()) {
      out.writeUTF(Files.readSymbolicLink(source.real()).toString());
    } else {
      out.writeLong(stat.rdev());
    }
    mark(target);
  }

  @Override
  public void extract(String targetDir, SourceNode archive) throws IOException {
    out.writeUTF("extract");
    out.writeUTF(targetDir);
    try (InputStream in = Files.newInputStream(archive.real(), LinkOption.NOFOLLOW_LINKS)) {
      out.writeLong(in.transferTo(out));
    }
    mark(targetDir);
  }

  @Override
  public void inline(String target, byte[] content) throws IOException {
    out.writeUTF("inline");
    out.writeUTF(target);
    out.writeInt(content.length);
    out.write(content);
    mark(target);
  }

  /**
   * With {@code --checksum} the URL's content is known without fetching it; otherwise it is
   * downloaded and hashed (nothing else tells whether it changed).
   */
  @Override
  public void download(String target, URI url, Optional<String> extractInto) throws IOException {
    out.writeUTF("download");
    out.writeUTF(target);
    out.writeUTF(url.toString());
    if (extractInto.isPresent()) {
      out.writeUTF("extract-into:" + extractInto.get());
    }
    if (spec.checksum().isPresent()) {
      mark(target);
      return; // the words already hold it; the staged bytes are checked against it
    }
    Fetcher.Response response;
    try {
      response = fetcher.open(url);
    } catch (IOException e) {
      throw CopyException.of(spec, e.getMessage(), e);
    }
    try (DigestingInputStream in = new DigestingInputStream(response.body())) {
      in.transferTo(OutputStream.nullOutputStream());
      out.writeUTF(in.digest().toString());
    }
    out.writeBoolean(response.lastModified().isPresent()); // the file's mtime comes from it
    if (response.lastModified().isPresent()) {
      out.writeLong(response.lastModified().get().getEpochSecond());
    }
    mark(target);
  }

  private void entry(String kind, String target, SourceNode source) throws IOException {
    FileStat stat = source.stat();
    out.writeUTF(kind);
    out.writeUTF(target);
    out.writeInt(stat.type());
    out.writeInt(stat.isSymlink() ? 0777 : replacesMode ? 0 : stat.permissions());
    boolean ownOwner = !fromContext && spec.chown().isEmpty();
    out.writeInt(ownOwner ? stat.uid() : 0);
    out.writeInt(ownOwner ? stat.gid() : 0);
    for (String name : Posix.llistxattr(source.real())) {
      Optional<byte[]> value = Posix.lgetxattr(source.real(), name);
      if (value.isPresent() && !name.startsWith("trusted.overlay.")) {
        out.writeUTF(name);
        out.writeInt(value.get().length);
        out.write(value.get());
      }
    }
    out.writeUTF("\0");
  }
}

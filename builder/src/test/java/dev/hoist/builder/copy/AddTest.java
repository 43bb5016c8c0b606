package dev.hoist.builder.copy;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import dev.hoist.image.Digest;
import dev.hoist.store.posix.FileStat;
import dev.hoist.store.posix.Posix;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.zip.GZIPOutputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.compressors.bzip2.BZip2CompressorOutputStream;
import org.apache.commons.compress.compressors.xz.XZCompressorOutputStream;
import org.apache.commons.compress.compressors.zstandard.ZstdCompressorOutputStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** ADD: local archives extracted safely, other files copied, URLs fetched from a local server. */
class AddTest {
  private static final Instant LAST_MODIFIED = Instant.parse("2015-10-21T07:28:00Z");
  private static final byte[] BODY = "downloaded body\n".getBytes(StandardCharsets.UTF_8);

  @TempDir Path tmp;
  Path ctx;
  HttpServer server;
  String base;

  @BeforeEach
  void setUp() throws IOException {
    ctx = Files.createDirectories(tmp.resolve("ctx"));
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext(
        "/files/",
        exchange -> {
          byte[] body = exchange.getRequestURI().getPath().endsWith("/data.bin") ? BODY : null;
          if (body == null) {
            exchange.sendResponseHeaders(404, -1);
          } else {
            exchange.getResponseHeaders().add("Last-Modified", "Wed, 21 Oct 2015 07:28:00 GMT");
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
          }
          exchange.close();
        });
    server.createContext(
        "/archive.tgz",
        exchange -> {
          byte[] body = compress("tar.gz", tar(false));
          exchange.sendResponseHeaders(200, body.length);
          exchange.getResponseBody().write(body);
          exchange.close();
        });
    server.createContext(
        "/moved",
        exchange -> {
          exchange.getResponseHeaders().add("Location", base + "/files/data.bin");
          exchange.sendResponseHeaders(302, -1);
          exchange.close();
        });
    server.start();
    base = "http://127.0.0.1:" + server.getAddress().getPort();
  }

  @AfterEach
  void tearDown() {
    server.stop(0);
  }

  private static byte[] tar(boolean hostile) throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (TarArchiveOutputStream tar = new TarArchiveOutputStream(bytes)) {
      TarArchiveEntry dir = new TarArchiveEntry("top/");
      dir.setMode(040750);
      tar.putArchiveEntry(dir);
      tar.closeArchiveEntry();
      byte[] content = "F".getBytes(StandardCharsets.UTF_8);
      TarArchiveEntry file = new TarArchiveEntry(hostile ? "../escaped" : "top/f.txt");
      file.setMode(0100640);
      file.setIds(3, 4);
      file.setSize(content.length);
      tar.putArchiveEntry(file);
      tar.write(content);
      tar.closeArchiveEntry();
      TarArchiveEntry link = new TarArchiveEntry("top/l", TarArchiveEntry.LF_SYMLINK);
      link.setLinkName("f.txt");
      tar.putArchiveEntry(link);
      tar.closeArchiveEntry();
    }
    return bytes.toByteArray();
  }

  private static byte[] compress(String kind, byte[] plain) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (OutputStream c =
        switch (kind) {
          case "tar" -> out;
          case "tar.gz" -> new GZIPOutputStream(out);
          case "tar.bz2" -> new BZip2CompressorOutputStream(out);
          case "tar.xz" -> new XZCompressorOutputStream(out);
          case "tar.zst" -> new ZstdCompressorOutputStream(out);
          default -> throw new IllegalArgumentException(kind);
        }) {
      c.write(plain);
    }
    return out.toByteArray();
  }

  private List<String> stage(Specs specs) throws IOException {
    Path staging = Files.createTempDirectory(tmp, "staging");
    Copier.stage(specs.build(), staging);
    return Trees.list(staging);
  }

  @ParameterizedTest
  @ValueSource(strings = {"tar", "tar.gz", "tar.bz2", "tar.xz", "tar.zst"})
  void add_extractsLocalArchivesByTheirBytes(String kind) throws IOException {
    // The name says nothing: Docker looks at the bytes.
    Files.write(ctx.resolve("archive.bin"), compress(kind, tar(false)));
    assertEquals(
        List.of(
            "d 0755 0:0 x",
            "d 0750 0:0 x/top",
            "f 0640 3:4 x/top/f.txt \"F\"",
            "l 0:0 x/top/l -> f.txt"),
        stage(Specs.add(ctx, "/x", "archive.bin")));
  }

  @Test
  void add_unpackFalse_copiesALocalArchiveAsItIs() throws IOException {
    byte[] archive = compress("tar.gz", tar(false));
    Files.write(ctx.resolve("a.tar.gz"), archive);
    Path staging = Files.createTempDirectory(tmp, "staging");
    Copier.stage(Specs.add(ctx, "/x/", "a.tar.gz").unpack(false).build(), staging);
    assertArrayEquals(archive, Files.readAllBytes(staging.resolve("x/a.tar.gz")));
  }

  @Test
  void add_keepsADownloadedArchiveAsAFileByDefault() throws IOException {
    Path staging = Files.createTempDirectory(tmp, "staging");
    Copier.stage(Specs.add(ctx, "/x/", base + "/archive.tgz").build(), staging);
    assertArrayEquals(
        compress("tar.gz", tar(false)), Files.readAllBytes(staging.resolve("x/archive.tgz")));
  }

  @Test
  void add_unpackTrue_extractsADownloadedArchiveIntoTheDestination() throws IOException {
    assertEquals(
        List.of(
            "d 0755 0:0 x",
            "d 0750 0:0 x/top",
            "f 0640 3:4 x/top/f.txt \"F\"",
            "l 0:0 x/top/l -> f.txt"),
        stage(Specs.add(ctx, "/x/", base + "/archive.tgz").unpack(true)));
  }

  @Test
  void add_unpackTrue_writesADownloadThatIsNoArchiveAsAFile() throws IOException {
    Path staging = Files.createTempDirectory(tmp, "staging");
    Copier.stage(Specs.add(ctx, "/dl/", base + "/files/data.bin").unpack(true).build(), staging);
    assertArrayEquals(BODY, Files.readAllBytes(staging.resolve("dl/data.bin")));
  }

  @Test
  void add_chownOverridesTheArchivesOwners() throws IOException {
    Files.write(ctx.resolve("a.tar"), tar(false));
    assertEquals(
        List.of(
            "d 0755 1000:1000 x",
            "d 0750 1000:1000 x/top",
            "f 0640 1000:1000 x/top/f.txt \"F\"",
            "l 1000:1000 x/top/l -> f.txt"),
        stage(Specs.add(ctx, "/x", "a.tar").chown("1000")));
  }

  @Test
  void copy_neverExtractsArchives() throws IOException {
    byte[] archive = compress("tar.gz", tar(false));
    Files.write(ctx.resolve("a.tar.gz"), archive);
    Path staging = Files.createTempDirectory(tmp, "staging");
    Copier.stage(Specs.copy(ctx, "/x/", "a.tar.gz").build(), staging);
    assertArrayEquals(archive, Files.readAllBytes(staging.resolve("x/a.tar.gz")));
  }

  @Test
  void add_copiesACompressedFileThatIsNotATar() throws IOException {
    byte[] gz = compress("tar.gz", "just text, not a tar".getBytes(StandardCharsets.UTF_8));
    Files.write(ctx.resolve("notes.gz"), gz);
    Path staging = Files.createTempDirectory(tmp, "staging");
    Copier.stage(Specs.add(ctx, "/x/", "notes.gz").build(), staging);
    assertArrayEquals(gz, Files.readAllBytes(staging.resolve("x/notes.gz")));
  }

  @Test
  void add_refusesAnArchiveEntryThatEscapes() throws IOException {
    Files.write(ctx.resolve("evil.tar"), tar(true));
    Path staging = Files.createTempDirectory(tmp, "staging");
    CopyException e =
        assertThrows(
            CopyException.class,
            () -> Copier.stage(Specs.add(ctx, "/x/", "evil.tar").build(), staging));
    assertTrue(
        e.getMessage().startsWith("Dockerfile:7: ADD failed: cannot extract: "), e.getMessage());
    assertTrue(e.getMessage().contains("escapes"), e.getMessage());
    assertTrue(Files.notExists(staging.resolve("escaped")));
    assertTrue(Files.notExists(tmp.resolve("escaped")));
  }

  @Test
  void add_downloadsAUrlWithMode0600AndItsLastModifiedTime() throws IOException {
    Path staging = Files.createTempDirectory(tmp, "staging");
    Copier.stage(Specs.add(ctx, "/dl/", base + "/files/data.bin").build(), staging);
    Path file = staging.resolve("dl/data.bin");
    assertArrayEquals(BODY, Files.readAllBytes(file));
    FileStat stat = Posix.lstat(file);
    assertEquals(0600, stat.permissions());
    assertEquals(LAST_MODIFIED, stat.mtime());
  }

  @Test
  void add_followsRedirectsAndNamesTheFileByTheDestination() throws IOException {
    Path staging = Files.createTempDirectory(tmp, "staging");
    Copier.stage(Specs.add(ctx, "/opt/tool.bin", base + "/moved").chmod("0755").build(), staging);
    assertArrayEquals(BODY, Files.readAllBytes(staging.resolve("opt/tool.bin")));
    assertEquals(0755, Posix.lstat(staging.resolve("opt/tool.bin")).permissions());
  }

  @Test
  void add_acceptsTheRightChecksum() throws IOException {
    Path staging = Files.createTempDirectory(tmp, "staging");
    String sum = Digest.sha256(BODY).toString();
    Copier.stage(Specs.add(ctx, "/dl/", base + "/files/data.bin").checksum(sum).build(), staging);
    assertArrayEquals(BODY, Files.readAllBytes(staging.resolve("dl/data.bin")));
  }

  @Test
  void add_failsOnAChecksumMismatch() throws IOException {
    String wrong = Digest.sha256(new byte[0]).toString();
    Specs specs = Specs.add(ctx, "/dl/", base + "/files/data.bin").checksum(wrong);
    CopyException e =
        assertThrows(
            CopyException.class,
            () -> Copier.stage(specs.build(), Files.createTempDirectory(tmp, "staging")));
    assertEquals(
        "Dockerfile:7: ADD failed: checksum mismatch for \""
            + base
            + "/files/data.bin\": expected "
            + wrong
            + ", got "
            + Digest.sha256(BODY)
            + "; check --checksum or the URL",
        e.getMessage());
  }

  @Test
  void add_failsOnAnHttpError() throws IOException {
    Specs specs = Specs.add(ctx, "/dl/", base + "/files/missing");
    CopyException e =
        assertThrows(
            CopyException.class,
            () -> Copier.stage(specs.build(), Files.createTempDirectory(tmp, "staging")));
    assertEquals(
        "Dockerfile:7: ADD failed: cannot download \""
            + base
            + "/files/missing\": the server answered HTTP 404; check the URL",
        e.getMessage());
  }

  @Test
  void add_refusesAMalformedChecksum() throws IOException {
    Specs specs = Specs.add(ctx, "/dl/", base + "/files/data.bin").checksum("md5:abc");
    CopyException e =
        assertThrows(
            CopyException.class,
            () -> Copier.stage(specs.build(), Files.createTempDirectory(tmp, "staging")));
    assertEquals(
        "Dockerfile:7: ADD failed: invalid --checksum \"md5:abc\": write sha256: and 64"
            + " lower-case hex digits (or sha512: and 128)",
        e.getMessage());
  }
}

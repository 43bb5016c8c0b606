package dev.hoist.store;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.hoist.image.BlobWriter;
import dev.hoist.image.Descriptor;
import dev.hoist.image.Digest;
import dev.hoist.image.DigestMismatchException;
import dev.hoist.image.Index;
import dev.hoist.image.MediaTypes;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StoreTest {
  @TempDir Path dir;

  private static byte[] random(int n, long seed) {
    byte[] b = new byte[n];
    new Random(seed).nextBytes(b);
    return b;
  }

  private List<Path> temps(Store store) throws IOException {
    try (var s = Files.list(store.tempDir())) {
      return s.toList();
    }
  }

  @Test
  void open_createsTheOciLayout() throws IOException {
    try (Store store = Store.open(dir.resolve("root"))) {
      Path root = dir.resolve("root");
      assertEquals(
          "{\"imageLayoutVersion\":\"1.0.0\"}", Files.readString(root.resolve("oci-layout")));
      assertEquals(
          List.of(), Index.parse(Files.readAllBytes(root.resolve("index.json"))).manifests());
      for (String d :
          List.of(
              "blobs/sha256", ".hoist/tmp", ".hoist/snapshots", ".hoist/cache", ".hoist/work")) {
        assertTrue(Files.isDirectory(root.resolve(d)), d);
      }
      assertTrue(Files.exists(root.resolve(".hoist/lock")));
      assertEquals(List.of(), store.blobs());
    }
  }

  @Test
  void writer_commitMakesTheBlobVisibleUnderItsDigest() throws IOException {
    byte[] bytes = random(200_000, 1);
    Digest digest = Digest.sha256(bytes);
    try (Store store = Store.open(dir)) {
      assertFalse(store.contains(digest));
      Descriptor d;
      try (BlobWriter w = store.writer(digest, bytes.length)) {
        w.stream().write(bytes, 0, 1000);
        assertFalse(store.contains(digest), "visible before commit");
        w.stream().write(bytes, 1000, bytes.length - 1000);
        assertEquals(bytes.length, w.written());
        d = w.commit(MediaTypes.OCI_LAYER);
      }
      assertEquals(Descriptor.of(MediaTypes.OCI_LAYER, digest, bytes.length), d);
      assertTrue(store.contains(digest));
      assertEquals(bytes.length, store.size(digest));
      try (InputStream in = store.open(digest)) {
        assertArrayEquals(bytes, in.readAllBytes());
      }
      assertEquals(List.of(digest), store.blobs());
      assertEquals(List.of(), temps(store));
    }
  }

  @Test
  void writer_refusesBytesOfAnotherDigestAndKeepsNothing() throws IOException {
    byte[] bytes = random(1000, 2);
    Digest other = Digest.sha256(random(1000, 3));
    try (Store store = Store.open(dir)) {
      try (BlobWriter w = store.writer(other, bytes.length)) {
        w.stream().write(bytes);
        DigestMismatchException e =
            assertThrows(DigestMismatchException.class, () -> w.commit(MediaTypes.OCI_LAYER));
        assertTrue(e.getMessage().contains(other.toString()), e.getMessage());
      }
      assertFalse(store.contains(other));
      assertEquals(List.of(), store.blobs());
      assertEquals(List.of(), temps(store));
    }
  }

  @Test
  void writer_refusesAWrongSize() throws IOException {
    byte[] bytes = random(1000, 4);
    try (Store store = Store.open(dir)) {
      try (BlobWriter w = store.writer(Digest.sha256(bytes), 999)) {
        w.stream().write(bytes);
        IOException e = assertThrows(IOException.class, () -> w.commit(MediaTypes.OCI_LAYER));
        assertTrue(e.getMessage().contains("expected 999 bytes but 1000"), e.getMessage());
      }
      assertEquals(List.of(), store.blobs());
    }
  }

  @Test
  void writer_closeWithoutCommitDiscardsTheTempFile() throws IOException {
    byte[] bytes = random(1000, 5);
    try (Store store = Store.open(dir)) {
      try (BlobWriter w = store.writer(Digest.sha256(bytes), -1)) {
        w.stream().write(bytes);
        assertEquals(1, temps(store).size());
      }
      assertEquals(List.of(), temps(store));
      assertEquals(List.of(), store.blobs());
    }
  }

  @Test
  void put_learnsTheDigestFromTheBytes() throws IOException {
    byte[] bytes = random(70_000, 6);
    try (Store store = Store.open(dir)) {
      Descriptor d = store.put(MediaTypes.OCI_LAYER, new ByteArrayInputStream(bytes));
      assertEquals(Digest.sha256(bytes), d.digest());
      assertEquals(bytes.length, d.size());
      assertArrayEquals(bytes, store.readBlob(d.digest(), 1 << 20));
    }
  }

  @Test
  void putBytes_isIdempotent() throws IOException {
    byte[] bytes = "{\"a\":1}".getBytes(StandardCharsets.UTF_8);
    try (Store store = Store.open(dir)) {
      Descriptor a = store.putBytes(MediaTypes.OCI_CONFIG, bytes);
      Descriptor b = store.putBytes(MediaTypes.OCI_CONFIG, bytes);
      assertEquals(a, b);
      assertEquals(List.of(a.digest()), store.blobs());
    }
  }

  @Test
  void putTempFile_movesAVerifiedFileIntoPlace() throws IOException {
    byte[] bytes = random(5000, 7);
    try (Store store = Store.open(dir)) {
      Path tmp = store.newTempFile(".layer");
      Files.write(tmp, bytes);
      Descriptor d = store.putTempFile(tmp, MediaTypes.OCI_LAYER, Digest.sha256(bytes));
      assertEquals(bytes.length, d.size());
      assertFalse(Files.exists(tmp));
      assertArrayEquals(bytes, Files.readAllBytes(store.blobPath(Digest.sha256(bytes))));
    }
  }

  @Test
  void putTempFile_refusesAFileWhoseDigestDiffersAndDeletesIt() throws IOException {
    try (Store store = Store.open(dir)) {
      Path tmp = store.newTempFile(".layer");
      Files.write(tmp, random(100, 8));
      Digest claimed = Digest.sha256(random(100, 9));
      assertThrows(
          DigestMismatchException.class,
          () -> store.putTempFile(tmp, MediaTypes.OCI_LAYER, claimed));
      assertFalse(Files.exists(tmp));
      assertEquals(List.of(), store.blobs());
    }
  }

  @Test
  void putTempFile_refusesAFileOutsideTheTempDir() throws IOException {
    try (Store store = Store.open(dir.resolve("root"))) {
      Path elsewhere = Files.write(dir.resolve("x"), new byte[] {1});
      IllegalArgumentException e =
          assertThrows(
              IllegalArgumentException.class,
              () ->
                  store.putTempFile(
                      elsewhere, MediaTypes.OCI_LAYER, Digest.sha256(new byte[] {1})));
      assertTrue(e.getMessage().contains("temp dir"), e.getMessage());
    }
  }

  @Test
  void open_streamFailsAtTheEndOfACorruptBlob() throws IOException {
    byte[] bytes = random(10_000, 10);
    try (Store store = Store.open(dir)) {
      Descriptor d = store.putBytes(MediaTypes.OCI_LAYER, bytes);
      bytes[5000] ^= 1;
      Files.write(store.blobPath(d.digest()), bytes);
      try (InputStream in = store.open(d.digest())) {
        CorruptBlobException e = assertThrows(CorruptBlobException.class, in::readAllBytes);
        assertTrue(e.getMessage().contains(d.digest().toString()), e.getMessage());
      }
      assertThrows(CorruptBlobException.class, () -> store.readBlob(d.digest(), 1 << 20));
    }
  }

  @Test
  void readBlob_refusesBlobsLargerThanAsked() throws IOException {
    try (Store store = Store.open(dir)) {
      Descriptor d = store.putBytes(MediaTypes.OCI_LAYER, random(2000, 11));
      IOException e = assertThrows(IOException.class, () -> store.readBlob(d.digest(), 1000));
      assertTrue(e.getMessage().contains("2000 bytes"), e.getMessage());
    }
  }

  @Test
  void open_reclaimsOldTempFilesAndKeepsYoungOnes() throws IOException {
    Store.open(dir).close();
    Path old = Files.write(dir.resolve(".hoist/tmp/old.blob"), new byte[] {1});
    Files.setLastModifiedTime(old, FileTime.from(Instant.now().minusSeconds(2 * 3600)));
    Path young = Files.write(dir.resolve(".hoist/tmp/young.blob"), new byte[] {1});
    Store.open(dir).close();
    assertFalse(Files.exists(old));
    assertTrue(Files.exists(young));
  }

  @Test
  void tempBlob_commitsUnderTheDigestItComputedAndCloseDiscards() throws IOException {
    byte[] bytes = random(100_000, 12);
    try (Store store = Store.open(dir)) {
      try (TempBlob blob = store.newTempBlob()) {
        blob.stream().write(bytes);
        assertEquals(Digest.sha256(bytes), blob.finish());
        Descriptor d = blob.commit(MediaTypes.OCI_LAYER);
        assertEquals(Descriptor.of(MediaTypes.OCI_LAYER, bytes), d);
        assertEquals(d, blob.commit(MediaTypes.OCI_LAYER));
      }
      assertArrayEquals(bytes, store.readBlob(Digest.sha256(bytes), 1 << 20));
      try (TempBlob discarded = store.newTempBlob()) {
        discarded.stream().write(random(10, 13));
      }
      assertEquals(List.of(Digest.sha256(bytes)), store.blobs());
      assertEquals(List.of(), temps(store));
    }
  }
}

package dev.hoist.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.hoist.image.Digest;
import dev.hoist.image.Reference;
import dev.hoist.store.TestImages.TestImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FsckTest {
  @TempDir Path dir;
  Store store;
  TestImage image;

  @BeforeEach
  void setUp() throws IOException {
    store = Store.open(dir);
    image = TestImages.put(store, 1, 2);
    store.tag(Reference.parse("app:1"), image.descriptor());
    TestImages.put(store, 2, 1); // unreferenced blobs are not a problem
  }

  private static void flipOneByte(Path file, int at) throws IOException {
    byte[] bytes = Files.readAllBytes(file);
    bytes[at] ^= 0x20;
    Files.write(file, bytes);
  }

  @Test
  void fsck_passesASoundStoreAndCountsWhatItChecked() throws IOException {
    FsckReport r = store.fsck();
    assertEquals(List.of(), r.problems());
    assertTrue(r.ok());
    assertEquals(7, r.blobs());
    assertEquals(1, r.entries());
    assertEquals(3, r.unreferenced());
  }

  @Test
  void fsck_namesTheBlobWithOneFlippedByte() throws IOException {
    Digest layer = image.layers().get(1).digest();
    flipOneByte(store.blobPath(layer), 100);
    FsckReport r = store.fsck();
    assertFalse(r.ok());
    assertEquals(1, r.problems().size(), r.problems().toString());
    assertTrue(r.problems().get(0).startsWith("blob " + layer + ": corrupt"), r.problems().get(0));
  }

  @Test
  void fsck_namesAMissingLayerAndTheImageThatNeedsIt() throws IOException {
    Digest layer = image.layers().get(0).digest();
    Files.delete(store.blobPath(layer));
    List<String> problems = store.fsck().problems();
    assertEquals(1, problems.size(), problems.toString());
    assertTrue(
        problems.get(0).startsWith("docker.io/library/app:1: blob " + layer), problems.get(0));
    assertTrue(problems.get(0).endsWith("is missing"), problems.get(0));
  }

  @Test
  void fsck_namesACorruptManifestTwiceOver() throws IOException {
    flipOneByte(store.blobPath(image.manifest().digest()), 5);
    List<String> problems = store.fsck().problems();
    assertEquals(2, problems.size(), problems.toString());
    assertTrue(problems.stream().allMatch(p -> p.contains(image.manifest().digest().toString())));
  }

  @Test
  void fsck_reportsAStrayFileAmongTheBlobs() throws IOException {
    Files.write(dir.resolve("blobs/sha256/not-a-digest"), new byte[1]);
    List<String> problems = store.fsck().problems();
    assertEquals(1, problems.size());
    assertTrue(problems.get(0).startsWith("blobs/sha256/not-a-digest"), problems.get(0));
  }

  @Test
  void fsck_ignoresHalfWrittenTempFilesACrashLeaves() throws IOException {
    // What a crash mid-write leaves: a temp file with part of a blob, never a partial blob.
    var writer = store.writer(Digest.sha256(new byte[100]), 100);
    writer.stream().write(new byte[50]);
    writer.stream().flush();
    Files.write(store.tempDir().resolve("index.json.tmp"), "{\"sch".getBytes());
    assertTrue(store.fsck().ok(), store.fsck().problems().toString());
    writer.close();
  }

  @Test
  void fsck_reportsABrokenIndexJson() throws IOException {
    Files.writeString(dir.resolve("index.json"), "{not json");
    List<String> problems = store.fsck().problems();
    assertEquals(1, problems.size());
    assertTrue(problems.get(0).startsWith("index.json: unreadable"), problems.get(0));
  }
}

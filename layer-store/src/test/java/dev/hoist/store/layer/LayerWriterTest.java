package dev.hoist.store.layer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.hoist.image.Digest;
import dev.hoist.store.posix.FileStat;
import dev.hoist.store.posix.Posix;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LayerWriterTest {
  @TempDir Path tmp;

  @Test
  void writeToFile_deletesThePartialFileOnFailure() throws Exception {
    Path notADirectory = Files.writeString(tmp.resolve("plain"), "x");
    Path out = tmp.resolve("layer");
    IOException e =
        assertThrows(
            IOException.class,
            () ->
                new LayerWriter(LayerOptions.defaults())
                    .write(LayerSource.directory(notADirectory), out));
    assertEquals(
        "cannot write a layer from directory " + notADirectory + ": not a directory",
        e.getMessage());
    assertFalse(Files.exists(out));
  }

  @Test
  void writeToFile_neverOverwritesAnExistingFile() throws Exception {
    Path out = Files.writeString(tmp.resolve("layer"), "keep");
    assertThrows(
        FileAlreadyExistsException.class,
        () -> new LayerWriter(LayerOptions.defaults()).write(LayerSource.directory(tmp), out));
    assertEquals("keep", Files.readString(out));
  }

  @Test
  void characterDevice00_isAWhiteoutOnlyInAnOverlayUpperDir() throws Exception {
    Path dir = Files.createDirectory(tmp.resolve("d"));
    Posix.mknod(dir.resolve("gone"), FileStat.S_IFCHR, 0, 0, 0);
    assertEquals(List.of(".wh.gone"), names(LayerSource.overlayUpper(dir)));
    assertEquals(List.of("gone"), names(LayerSource.directory(dir)));
  }

  @Test
  void overlayUpper_refusesRedirectedDirectories() throws Exception {
    Path upper = Files.createDirectory(tmp.resolve("upper"));
    Path moved = Files.createDirectory(upper.resolve("moved"));
    Posix.lsetxattr(moved, "trusted.overlay.redirect", "/old".getBytes());
    IOException e = assertThrows(IOException.class, () -> names(LayerSource.overlayUpper(upper)));
    assertEquals(
        "cannot write a layer from overlay_upper "
            + upper
            + ": moved/ has xattr trusted.overlay.redirect;"
            + " mount the overlay with redirect_dir=off and metacopy=off",
        e.getMessage());
  }

  @Test
  void apply_withoutOwnershipLeavesFilesToTheCaller() throws Exception {
    Path source = Files.createDirectory(tmp.resolve("source"));
    Fixtures.file(source.resolve("f"), "x", 0644, 1000, 1000);
    ByteArrayOutputStream layer = new ByteArrayOutputStream();
    new LayerWriter(LayerOptions.defaults()).write(LayerSource.directory(source), layer);
    Path target = Files.createDirectory(tmp.resolve("target"));
    ApplyOptions options =
        new ApplyOptions(ApplyOptions.Target.TREE, false, "layer x", Optional.<Digest>empty());
    new LayerApplier(options).apply(new ByteArrayInputStream(layer.toByteArray()), target);
    assertEquals(0, Posix.lstat(target.resolve("f")).uid());
    assertEquals(0644, Posix.lstat(target.resolve("f")).permissions());
  }

  private static List<String> names(LayerSource source) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    new LayerWriter(LayerOptions.defaults()).write(source, out);
    List<String> names = new ArrayList<>();
    TarReader reader =
        new TarReader(
            Decompression.open(new ByteArrayInputStream(out.toByteArray())).stream(), "t");
    for (var e = reader.next(); e.isPresent(); e = reader.next()) {
      names.add(e.get().name());
    }
    return names;
  }
}

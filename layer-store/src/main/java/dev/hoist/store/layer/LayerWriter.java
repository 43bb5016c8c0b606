package dev.hoist.store.layer;

import com.github.luben.zstd.ZstdOutputStream;
import dev.hoist.image.DigestingOutputStream;
import java.io.BufferedOutputStream;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Objects;

/**
 * Writes a layer blob in one streaming pass: tar → sha256 (the diff id) → compressor → sha256 and
 * byte count (the blob digest and size) → the caller's stream or file. Nothing is held in memory
 * beyond fixed buffers, and the same tree always gives the same bytes. Compression runs on other
 * threads ({@link ParallelGzipOutputStream}, {@link PipelinedOutputStream}), so walking the tree
 * and hashing overlap with it.
 */
public final class LayerWriter {
  private static final int BUFFER = 128 * 1024;

  private final LayerOptions options;

  public LayerWriter(LayerOptions options) {
    this.options = Objects.requireNonNull(options, "options");
  }

  /**
   * Writes the compressed layer of {@code source} to {@code out}, which is flushed but not closed
   * (the store decides when the blob is complete, e.g. through its {@code BlobWriter}).
   */
  public WrittenLayer write(LayerSource source, OutputStream out) throws IOException {
    Objects.requireNonNull(source, "source");
    Objects.requireNonNull(out, "out");
    DigestingOutputStream compressed = new DigestingOutputStream(new Unclosable(out));
    OutputStream compressor = compressor(compressed);
    DigestingOutputStream tar = new DigestingOutputStream(compressor);
    try (OutputStream buffered = new BufferedOutputStream(tar, BUFFER)) {
      TarWriter writer = new TarWriter(buffered);
      new TreeWalker(source, options, writer).walk();
      writer.finish();
    } // closes the compressor, which writes its trailer; Unclosable keeps the caller's stream open
    out.flush();
    return new WrittenLayer(
        compressed.digest(), tar.digest(), compressed.count(), tar.count(), options.compression());
  }

  /**
   * Writes the layer of {@code source} into {@code file} (created; it must not exist) and fsyncs
   * it. The caller then moves the file to {@code blobs/sha256/<digest>}; on failure the partial
   * file is deleted.
   */
  public LayerFile write(LayerSource source, Path file) throws IOException {
    Objects.requireNonNull(file, "file");
    // Opened outside the try below: a file that already existed is not ours to delete.
    FileChannel channel =
        FileChannel.open(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
    try (channel) {
      WrittenLayer layer = write(source, Channels.newOutputStream(channel));
      channel.force(true);
      return new LayerFile(file, layer);
    } catch (IOException | RuntimeException e) {
      java.nio.file.Files.deleteIfExists(file);
      throw e;
    }
  }

  /**
   * gzip deflates blocks on all cores; zstd compresses on one other thread, which is enough to keep
   * up with walking the tree.
   */
  private OutputStream compressor(OutputStream out) throws IOException {
    return switch (options.compression()) {
      case GZIP -> new ParallelGzipOutputStream(out, options.gzipLevel());
      case ZSTD ->
          new PipelinedOutputStream(
              new ZstdOutputStream(new BufferedOutputStream(out, BUFFER), options.zstdLevel()),
              BUFFER,
              4,
              "hoist-zstd");
      case NONE -> out;
    };
  }

  /** Lets the pipeline close its compressor without closing the caller's stream. */
  private static final class Unclosable extends FilterOutputStream {
    Unclosable(OutputStream out) {
      super(out);
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
      out.write(b, off, len);
    }

    @Override
    public void close() throws IOException {
      out.flush();
    }
  }
}

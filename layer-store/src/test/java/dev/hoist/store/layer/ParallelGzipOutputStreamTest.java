package dev.hoist.store.layer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ParallelGzipOutputStreamTest {
  private static final int B = ParallelGzipOutputStream.BLOCK_SIZE;

  @ParameterizedTest
  @CsvSource({"0, 6", "1, 6", "131071, 6", "131072, 6", "131073, 1", "393233, 9", "2000000, 6"})
  void output_isOneGzipStreamOfTheInput(int size, int level) throws Exception {
    byte[] input = data(size);
    byte[] gz = compress(input, level, 7919);
    assertArrayEquals(input, new GZIPInputStream(new ByteArrayInputStream(gz)).readAllBytes());
  }

  @Test
  void output_isTheSameWhateverTheWriteSizes() throws Exception {
    byte[] input = data(5 * B + 123);
    assertArrayEquals(compress(input, 6, 1), compress(input, 6, 65536));
    assertArrayEquals(compress(input, 6, 1000), compress(input, 6, 3 * B));
  }

  @Test
  void output_isReadByGnuGzip(@TempDir Path tmp) throws Exception {
    byte[] input = data(3 * B + 5);
    Path file = Files.write(tmp.resolve("x.gz"), compress(input, 6, 4096));
    Process p = new ProcessBuilder("gzip", "-dc", file.toString()).start();
    byte[] out = p.getInputStream().readAllBytes();
    assertEquals(0, p.waitFor());
    assertArrayEquals(input, out);
  }

  /** Half repetitive text, half random, like the files of an image. */
  private static byte[] data(int size) {
    byte[] b = new byte[size];
    Random r = new Random(size);
    for (int i = 0; i < size; i += 4096) {
      int n = Math.min(4096, size - i);
      if ((i / 4096) % 2 == 0) {
        byte[] chunk = new byte[n];
        r.nextBytes(chunk);
        System.arraycopy(chunk, 0, b, i, n);
      } else {
        for (int j = 0; j < n; j++) {
          b[i + j] = (byte) "lorem ipsum dolor sit amet ".charAt((i + j) % 27);
        }
      }
    }
    return b;
  }

  private static byte[] compress(byte[] input, int level, int writeSize) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (ParallelGzipOutputStream gz = new ParallelGzipOutputStream(out, level)) {
      for (int i = 0; i < input.length; i += writeSize) {
        gz.write(input, i, Math.min(writeSize, input.length - i));
      }
    }
    return out.toByteArray();
  }
}

package dev.hoist.store.layer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(30)
class PipelinedOutputStreamTest {
  @Test
  void write_passesEveryByteDownstreamInOrderAndCloses() throws Exception {
    byte[] data = new byte[1_000_003];
    new Random(7).nextBytes(data);
    boolean[] closed = {false};
    ByteArrayOutputStream sink =
        new ByteArrayOutputStream() {
          @Override
          public void close() {
            closed[0] = true;
          }
        };
    try (PipelinedOutputStream out = new PipelinedOutputStream(sink, 4096, 2, "test")) {
      Random sizes = new Random(3);
      int pos = 0;
      while (pos < data.length) {
        int n = Math.min(data.length - pos, sizes.nextInt(10_000));
        out.write(data, pos, n);
        pos += n;
      }
      out.write(42);
    }
    byte[] expected = java.util.Arrays.copyOf(data, data.length + 1);
    expected[data.length] = 42;
    assertArrayEquals(expected, sink.toByteArray());
    assertTrue(closed[0]);
  }

  @Test
  void failureDownstream_surfacesInTheWriterWithoutHanging() {
    OutputStream failing =
        new OutputStream() {
          @Override
          public void write(int b) throws IOException {
            throw new IOException("No space left on device");
          }
        };
    IOException e =
        assertThrows(
            IOException.class,
            () -> {
              try (PipelinedOutputStream out = new PipelinedOutputStream(failing, 16, 1, "test")) {
                for (int i = 0; i < 10_000; i++) {
                  out.write(new byte[100], 0, 100);
                }
              }
            });
    assertEquals("No space left on device", e.getMessage());
  }
}

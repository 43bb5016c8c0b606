package dev.hoist.image;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class DigestTest {
  private static final String EMPTY_SHA256 =
      "sha256:e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";
  private static final String EMPTY_SHA512 =
      "sha512:cf83e1357eefb8bdf1542850d66d8007d620e4050b5715dc83f4a921d36ce9ce"
          + "47d0d13c5d85f2b0ff8318d2877eec2f63b931bd47417a81a538327af927da3e";

  @ParameterizedTest(name = "[{index}] {0}")
  @ValueSource(
      strings = {
        EMPTY_SHA256,
        EMPTY_SHA512,
        "sha256:0000000000000000000000000000000000000000000000000000000000000000",
      })
  void parse_andToString_roundTrip(String text) {
    Digest d = Digest.parse(text);
    assertEquals(text, d.toString());
    assertEquals(text.substring(0, 6), d.algorithm());
    assertEquals(text.substring(7), d.hex());
  }

  @ParameterizedTest(name = "[{index}] {0}")
  @CsvSource(
      delimiter = '|',
      textBlock =
          """
          sha256:e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b85     | expected 64 lower-case hex digits
          sha256:e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b8555   | expected 64 lower-case hex digits
          sha256:E3B0C44298FC1C149AFBF4C8996FB92427AE41E4649B934CA495991B7852B855    | expected 64 lower-case hex digits
          sha256:e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b85g    | expected 64 lower-case hex digits
          sha512:e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855    | expected 128 lower-case hex digits
          sha256:                                                                    | expected 64 lower-case hex digits
          md5:d41d8cd98f00b204e9800998ecf8427e                                       | unsupported digest algorithm 'md5'
          SHA256:e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855    | unsupported digest algorithm 'SHA256'
          sha256+b64u:LCa0a2j_xo_5m0U8HTBBNBNCLXBkg7-g-YpeiGJm564                    | unsupported digest algorithm 'sha256+b64u'
          e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855           | expected the form sha256:<64 hex digits>
          :e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855          | expected the form sha256:<64 hex digits>
          """)
  void parse_refusesMalformedDigests_sayingWhy(String text, String reason) {
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> Digest.parse(text));
    assertTrue(e.getMessage().contains(reason), e.getMessage());
    assertTrue(!e.getMessage().contains("\n"), e.getMessage());
  }

  @Test
  void sha256_ofKnownInputs() {
    assertEquals(EMPTY_SHA256, Digest.sha256(new byte[0]).toString());
    assertEquals(
        "sha256:ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad",
        Digest.sha256("abc".getBytes(StandardCharsets.US_ASCII)).toString());
  }

  @Test
  void of_wrapsAFinishedHash_ofEitherAlgorithm() {
    assertEquals(
        EMPTY_SHA512, Digest.of("sha512", Digest.newMessageDigest("sha512").digest()).toString());
    assertEquals(
        EMPTY_SHA256, Digest.of("sha256", Digest.newMessageDigest("sha256").digest()).toString());
    assertThrows(IllegalArgumentException.class, () -> Digest.newMessageDigest("md5"));
  }

  @Test
  void newMessageDigest_ofADigest_usesItsAlgorithm() {
    Digest d = Digest.parse(EMPTY_SHA512);
    assertEquals(d, Digest.of(d.algorithm(), d.newMessageDigest().digest()));
  }

  @Test
  void shortHex_isTheFirst12Digits_asDockerShowsImageIds() {
    assertEquals("e3b0c44298fc", Digest.parse(EMPTY_SHA256).shortHex());
  }

  @Test
  void compareTo_ordersByText() {
    List<Digest> ds =
        new ArrayList<>(
            List.of(
                Digest.parse(EMPTY_SHA512),
                Digest.parse(EMPTY_SHA256),
                Digest.sha256("abc".getBytes(StandardCharsets.US_ASCII))));
    Collections.sort(ds);
    assertEquals(
        List.of("sha256:ba78", "sha256:e3b0", "sha512:cf83"),
        ds.stream().map(d -> d.toString().substring(0, 11)).toList());
  }

  @Test
  void equalDigests_areEqualValues() {
    assertEquals(Digest.parse(EMPTY_SHA256), Digest.sha256(new byte[0]));
    assertEquals(Digest.parse(EMPTY_SHA256).hashCode(), Digest.sha256(new byte[0]).hashCode());
  }

  @ParameterizedTest(name = "[{index}] sha256 of {0} random bytes")
  @ValueSource(ints = {0, 1, 8191, 8192, 100_000})
  void digestingStreams_agreeWithDigestOfTheWholeArray(int size) throws IOException {
    byte[] data = new byte[size];
    new Random(size).nextBytes(data);
    Digest want = Digest.sha256(data);

    DigestingInputStream in = new DigestingInputStream(new ByteArrayInputStream(data));
    ByteArrayOutputStream copy = new ByteArrayOutputStream();
    DigestingOutputStream out = new DigestingOutputStream(copy);
    // Mix single-byte and bulk reads and writes.
    if (size > 0) {
      int first = in.read();
      out.write(first);
    }
    in.transferTo(out);
    assertEquals(want, in.digest());
    assertEquals(size, in.count());
    assertEquals(want, out.digest());
    assertEquals(size, out.count());
    assertArrayEquals(data, copy.toByteArray());
  }

  @Test
  void digestingInputStream_countsSkippedBytesIntoTheDigest() throws IOException {
    byte[] data = new byte[20_000];
    new Random(7).nextBytes(data);
    try (DigestingInputStream in =
        new DigestingInputStream(new ByteArrayInputStream(data), Digest.SHA512)) {
      assertEquals(15_000, in.skip(15_000));
      in.readAllBytes();
      assertEquals(
          Digest.of("sha512", Digest.newMessageDigest("sha512").digest(data)), in.digest());
      assertEquals(20_000, in.count());
    }
  }

  @Test
  void digestingInputStream_refusesMark() {
    InputStream in = new DigestingInputStream(new ByteArrayInputStream(new byte[1]));
    assertTrue(!in.markSupported());
  }

  @Test
  void digestMismatchException_namesBothDigestsAndTheSize() {
    Digest want = Digest.parse(EMPTY_SHA256);
    Digest got = Digest.sha256("abc".getBytes(StandardCharsets.US_ASCII));
    DigestMismatchException e = new DigestMismatchException("blob " + want, want, got, 3);
    assertEquals(want, e.expected());
    assertEquals(got, e.actual());
    assertTrue(e.getMessage().contains(want.toString()), e.getMessage());
    assertTrue(e.getMessage().contains(got.toString()), e.getMessage());
    assertTrue(e.getMessage().contains("3 bytes"), e.getMessage());
  }
}

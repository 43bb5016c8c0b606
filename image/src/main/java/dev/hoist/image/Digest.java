package dev.hoist.image;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Objects;
import java.util.function.Supplier;
import java.util.regex.Pattern;

/**
 * A content digest such as {@code sha256:4a5e…}: the algorithm and the lower-case hex encoding of
 * the hash, validated as the OCI image spec requires (sha256: 64 hex digits, sha512: 128).
 */
public record Digest(String algorithm, String hex) implements Comparable<Digest> {
  public static final String SHA256 = "sha256";
  public static final String SHA512 = "sha512";
  private static final Pattern HEX = Pattern.compile("[a-f0-9]+");

  public Digest {
    Objects.requireNonNull(algorithm, "algorithm");
    Objects.requireNonNull(hex, "hex");
    int expected =
        switch (algorithm) {
          case SHA256 -> 64;
          case SHA512 -> 128;
          default ->
              throw new IllegalArgumentException(
                  "unsupported digest algorithm '" + algorithm + "' (expected sha256 or sha512)");
        };
    if (hex.length() != expected || !HEX.matcher(hex).matches()) {
      throw new IllegalArgumentException(
          "invalid "
              + algorithm
              + " digest '"
              + hex
              + "': expected "
              + expected
              + " lower-case hex digits");
    }
  }

  /** Parses {@code algorithm:hex}, throwing {@link IllegalArgumentException} with the reason. */
  public static Digest parse(String text) {
    Objects.requireNonNull(text, "digest");
    int colon = text.indexOf(':');
    if (colon <= 0) {
      throw new IllegalArgumentException(
          "invalid digest '" + text + "': expected the form sha256:<64 hex digits>");
    }
    return new Digest(text.substring(0, colon), text.substring(colon + 1));
  }

  /** The sha256 digest of {@code bytes}. */
  public static Digest sha256(byte[] bytes) {
    return of(SHA256, newMessageDigest(SHA256).digest(bytes));
  }

  /** Wraps a finished hash of {@code algorithm}. */
  public static Digest of(String algorithm, byte[] hash) {
    return new Digest(algorithm, HexFormat.of().formatHex(hash));
  }

  /**
   * Where {@link #newMessageDigest} gets SHA-256 from instead of the JDK, when set (the CLI sets a
   * native one: see the layer store's {@code NativeDigests}).
   */
  private static volatile Supplier<MessageDigest> sha256;

  /** Makes every SHA-256 {@link #newMessageDigest} returns come from {@code factory}. */
  public static void useSha256(Supplier<MessageDigest> factory) {
    sha256 = Objects.requireNonNull(factory, "factory");
  }

  /** A fresh {@link MessageDigest} for {@code algorithm} ({@code sha256} or {@code sha512}). */
  public static MessageDigest newMessageDigest(String algorithm) {
    Supplier<MessageDigest> factory = sha256;
    if (factory != null && algorithm.equals(SHA256)) {
      return factory.get();
    }
    String jdkName =
        switch (algorithm) {
          case SHA256 -> "SHA-256";
          case SHA512 -> "SHA-512";
          default ->
              throw new IllegalArgumentException("unsupported digest algorithm " + algorithm);
        };
    try {
      return MessageDigest.getInstance(jdkName);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("the JDK lacks " + jdkName, e);
    }
  }

  /** A fresh {@link MessageDigest} of this digest's algorithm, to verify bytes against it. */
  public MessageDigest newMessageDigest() {
    return newMessageDigest(algorithm);
  }

  /** The first 12 hex digits, as {@code docker images} shows an image id. */
  public String shortHex() {
    return hex.substring(0, 12);
  }

  @Override
  public int compareTo(Digest other) {
    return toString().compareTo(other.toString());
  }

  @Override
  public String toString() {
    return algorithm + ":" + hex;
  }

  // equals and hashCode are written out: a record's generated ones are linked through
  // invokedynamic on first use, which costs milliseconds of every hoist start (JFR) for the
  // value types every command compares.
  @Override
  public boolean equals(Object o) {
    return o instanceof Digest d && hex.equals(d.hex) && algorithm.equals(d.algorithm);
  }

  @Override
  public int hashCode() {
    return 31 * algorithm.hashCode() + hex.hashCode();
  }
}

package dev.hoist.builder.copy;

import dev.hoist.image.Digest;
import java.net.URI;
import java.util.Optional;

/** ADD {@code --checksum}: parsed once, compared with what was downloaded. */
final class Checksums {
  private Checksums() {}

  static Optional<Digest> expected(CopySpec spec) throws CopyException {
    if (spec.checksum().isEmpty()) {
      return Optional.empty();
    }
    String text = spec.checksum().get();
    try {
      return Optional.of(Digest.parse(text));
    } catch (IllegalArgumentException e) {
      throw CopyException.of(
          spec,
          "invalid --checksum "
              + CopyPlanner.quote(text)
              + ": write sha256: and 64 lower-case hex digits (or sha512: and 128)");
    }
  }

  static CopyException mismatch(CopySpec spec, URI url, Digest expected, Digest actual) {
    return CopyException.of(
        spec,
        "checksum mismatch for "
            + CopyPlanner.quote(url.toString())
            + ": expected "
            + expected
            + ", got "
            + actual
            + "; check --checksum or the URL");
  }
}

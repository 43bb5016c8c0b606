package dev.hoist.builder.copy;

import dev.hoist.image.Digest;
import java.util.List;
import java.util.Objects;

/**
 * What a COPY or ADD reads: its digest (part of the step's cache key) and the trail of targets with
 * the running digest after each ({@code TARGET\tHEX16}; empty past {@link #MAX_TRAIL} targets),
 * which tells which file made a cache miss.
 */
public record CopyInputs(Digest digest, List<String> trail) {
  /** Beyond this many targets no trail is kept: the miss is then "the files it copies changed". */
  public static final int MAX_TRAIL = 5000;

  public CopyInputs {
    Objects.requireNonNull(digest, "digest");
    trail = List.copyOf(trail);
  }
}

package dev.hoist.image;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/** One entry of an image's history: the step that made a layer, or changed only the config. */
public record History(
    Optional<Instant> created,
    Optional<String> createdBy,
    Optional<String> author,
    Optional<String> comment,
    boolean emptyLayer) {

  public History {
    Objects.requireNonNull(created, "created");
    Objects.requireNonNull(createdBy, "createdBy");
    Objects.requireNonNull(author, "author");
    Objects.requireNonNull(comment, "comment");
  }

  public static History of(Instant created, String createdBy, String comment, boolean emptyLayer) {
    return new History(
        Optional.ofNullable(created),
        Optional.ofNullable(createdBy),
        Optional.empty(),
        Optional.ofNullable(comment),
        emptyLayer);
  }
}

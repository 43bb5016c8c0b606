package dev.hoist.registry;

import dev.hoist.image.Descriptor;

/**
 * Hears about blob transfers, for progress bars. Called from transfer threads; implementations must
 * be thread-safe and quick. All methods do nothing by default.
 */
public interface TransferListener {
  TransferListener NONE = new TransferListener() {};

  /** How a blob transfer ended. */
  enum Outcome {
    /** Fetched from the registry. */
    DOWNLOADED,
    /** Already in the sink; nothing fetched. */
    ALREADY_PRESENT,
    /** Uploaded to the registry. */
    UPLOADED,
    /** Mounted from another repository of the same registry. */
    MOUNTED,
    /** The registry had it already; nothing uploaded. */
    ALREADY_EXISTS
  }

  default void started(Descriptor blob) {}

  /** {@code done} of {@code blob.size()} bytes moved so far. */
  default void progress(Descriptor blob, long done) {}

  default void finished(Descriptor blob, Outcome outcome) {}
}

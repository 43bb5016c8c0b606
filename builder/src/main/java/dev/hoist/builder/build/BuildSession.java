package dev.hoist.builder.build;

import dev.hoist.builder.context.IgnoreMatcher;
import dev.hoist.runtime.Sandbox;
import dev.hoist.store.Store;
import dev.hoist.store.UniqueNames;
import dev.hoist.store.snapshot.Snapshots;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/** What every stage of one build shares: the store, the sandbox, the cache, the request. */
record BuildSession(
    BuildRequest request,
    Store store,
    Snapshots snapshots,
    BuildCache cache,
    LayerCommit commit,
    Sandbox sandbox,
    BaseImageResolver bases,
    IgnoreMatcher ignore,
    Progress progress,
    Cancellation cancellation,
    Map<Integer, StageImage> stages,
    Map<String, Integer> stageNames) {

  static Map<Integer, StageImage> newStageMap() {
    return new ConcurrentHashMap<>();
  }

  /** The index of the stage {@code --from} names: its AS name, or its number. */
  java.util.Optional<Integer> stageIndex(String from) {
    Integer byName = stageNames.get(from.toLowerCase(java.util.Locale.ROOT));
    if (byName != null) {
      return java.util.Optional.of(byName);
    }
    if (from.matches("[0-9]+")) {
      return java.util.Optional.of(Integer.parseInt(from));
    }
    return java.util.Optional.empty();
  }

  /**
   * A new empty directory for one step's work (an upper dir, a COPY's staged tree) in the store's
   * temp area: on the store's filesystem, so its result is renamed into place, and reclaimed by the
   * store if a killed hoist leaves it behind.
   */
  java.nio.file.Path newScratchDir() throws java.io.IOException {
    return java.nio.file.Files.createDirectories(
        store.tempDir().resolve("build-" + UniqueNames.next()));
  }

  /** Why steps miss the cache, compared with the last build of the same context and Dockerfile. */
  MissReasons missReasons() {
    String build =
        request.context().map(p -> p.toAbsolutePath().normalize().toString()).orElse("-")
            + "\0"
            + request
                .dockerfilePath()
                .map(p -> p.toAbsolutePath().normalize().toString())
                .orElse(request.dockerfileName());
    return new MissReasons(store.cacheDir(), build);
  }

  /** SOURCE_DATE_EPOCH, when the build is to be reproducible. */
  Optional<Instant> sourceDateEpoch() {
    return request.sourceDateEpoch();
  }

  /** The time to record for a step: now, or SOURCE_DATE_EPOCH for a reproducible build. */
  Instant now() {
    return request.sourceDateEpoch().orElseGet(Instant::now);
  }
}

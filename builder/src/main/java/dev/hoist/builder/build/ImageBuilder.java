package dev.hoist.builder.build;

import dev.hoist.builder.context.DockerIgnore;
import dev.hoist.builder.context.IgnoreMatcher;
import dev.hoist.builder.dockerfile.DockerfileParser;
import dev.hoist.builder.instructions.DockerfileStages;
import dev.hoist.builder.instructions.InstructionParser;
import dev.hoist.builder.lint.CheckDirective;
import dev.hoist.builder.plan.BuildPlan;
import dev.hoist.builder.plan.PlanWarning;
import dev.hoist.builder.plan.PlannedStage;
import dev.hoist.builder.plan.Planner;
import dev.hoist.image.ContainerConfig;
import dev.hoist.image.Descriptor;
import dev.hoist.image.ImageConfig;
import dev.hoist.image.Manifest;
import dev.hoist.image.MediaTypes;
import dev.hoist.image.Reference;
import dev.hoist.registry.RegistryClient;
import dev.hoist.runtime.Sandbox;
import dev.hoist.store.Lease;
import dev.hoist.store.Store;
import dev.hoist.store.layer.LayerOptions;
import dev.hoist.store.snapshot.Snapshots;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * Builds a Dockerfile into an image in the store: parse, plan, build each needed stage (steps from
 * the cache where their key is known), then write the target stage's config and manifest and name
 * it. Nothing is tagged unless the whole build succeeded.
 */
public final class ImageBuilder {
  private final Store store;
  private final Sandbox sandbox;
  private final Optional<Supplier<RegistryClient>> registry;
  private final Progress progress;
  private final Cancellation cancellation;

  /**
   * @param registry where base images missing from the store are pulled from, made only when one is
   *     needed (a fully cached build starts no HTTP client); empty for builds that must use only
   *     the store
   */
  public ImageBuilder(
      Store store,
      Sandbox sandbox,
      Optional<Supplier<RegistryClient>> registry,
      Progress progress) {
    this(store, sandbox, registry, progress, new Cancellation());
  }

  /**
   * @param cancellation stops the build when cancelled: running RUN steps are killed, nothing is
   *     tagged, and {@link #build} throws
   */
  public ImageBuilder(
      Store store,
      Sandbox sandbox,
      Optional<Supplier<RegistryClient>> registry,
      Progress progress,
      Cancellation cancellation) {
    this.cancellation = Objects.requireNonNull(cancellation, "cancellation");
    this.store = Objects.requireNonNull(store, "store");
    this.sandbox = Objects.requireNonNull(sandbox, "sandbox");
    this.registry = Objects.requireNonNull(registry, "registry");
    this.progress = Objects.requireNonNull(progress, "progress");
  }

  public BuildResult build(BuildRequest request) throws IOException, InterruptedException {
    long t0 = System.nanoTime();
    // The lease keeps a concurrent prune from removing blobs this build writes before it tags.
    try (Lease lease = store.lease()) {
      BaseImageResolver bases =
          new BaseImageResolver(
              store, registry, request.pull(), progress, cancellation, request.contexts());
      BuildPlan plan = plan(request, bases);
      RunPlatforms.check(plan, request.plan().buildPlatform());
      for (PlanWarning w : plan.warnings()) {
        progress.warning(
            w.range() == null
                ? w.message()
                : w.fileName() + ":" + w.range().start() + ": " + w.message());
      }
      IgnoreMatcher ignore =
          request.context().isPresent()
              ? DockerIgnore.load(request.context().get(), request.dockerfilePath())
              : IgnoreMatcher.NONE;
      Snapshots snapshots = new Snapshots(store);
      LayerOptions layerOptions =
          LayerOptions.defaults()
              .withCompression(request.compression())
              .withSourceDateEpoch(request.sourceDateEpoch());
      Map<String, Integer> names = new HashMap<>();
      for (PlannedStage s : plan.stages()) {
        s.name().ifPresent(n -> names.put(n, s.index()));
      }
      BuildSession session =
          new BuildSession(
              request,
              store,
              snapshots,
              new BuildCache(store.cacheDir(), remoteCaches(request)),
              new LayerCommit(store, snapshots, layerOptions),
              sandbox,
              bases,
              ignore,
              progress,
              cancellation,
              BuildSession.newStageMap(),
              names);
      buildStages(plan, session);
      StageImage target = session.stages().get(plan.target().index());
      // The last moment a cancel stops the build: once tagging starts, it completes.
      cancellation.check();
      if (request.cacheTo().isPresent()) {
        RegistryCache.write(
            registryFor("--cache-to"), request.cacheTo().get(), store, session.cache().used());
      }
      return finish(request, session, target, Duration.ofNanos(System.nanoTime() - t0));
    }
  }

  /**
   * {@code --call check}: parses and plans the build (base images are looked up, as their ENV and
   * ONBUILD matter to the checks) and returns the plan's warnings that the Dockerfile's {@code #
   * check=skip=} directive keeps, building nothing.
   */
  public List<PlanWarning> check(BuildRequest request) throws IOException {
    try (Lease lease = store.lease()) {
      List<PlanWarning> warnings =
          plan(
                  request,
                  new BaseImageResolver(
                      store, registry, request.pull(), progress, cancellation, request.contexts()))
              .warnings();
      CheckDirective directive =
          CheckDirective.parse(
              DockerfileParser.parse(
                      request.dockerfileName(),
                      new String(request.dockerfile(), StandardCharsets.UTF_8))
                  .directives()
                  .check()
                  .orElse(""));
      return warnings.stream().filter(w -> !directive.skips(w.ruleId())).toList();
    }
  }

  private static BuildPlan plan(BuildRequest request, BaseImageResolver bases) throws IOException {
    DockerfileStages stages =
        InstructionParser.parse(
            request.dockerfileName(), new String(request.dockerfile(), StandardCharsets.UTF_8));
    for (String name : request.noCacheStages()) {
      if (stages.stage(name).isEmpty()) {
        throw new BuildException(
            "--no-cache-filter names stage '"
                + name
                + "', which "
                + request.dockerfileName()
                + " does not have: name a stage of its FROM ... AS lines");
      }
    }
    try {
      return Planner.plan(stages, request.plan(), bases);
    } catch (UncheckedIOException e) {
      throw e.getCause();
    }
  }

  private List<BuildCache.Remote> remoteCaches(BuildRequest request) throws IOException {
    List<BuildCache.Remote> remotes = new ArrayList<>();
    for (Reference ref : request.cacheFrom()) {
      RegistryClient client = registryFor("--cache-from");
      remotes.add(new BuildCache.Remote(RegistryCache.read(client, ref, store), client, store));
    }
    return remotes;
  }

  private RegistryClient registryFor(String flag) throws BuildException {
    return registry
        .orElseThrow(
            () -> new BuildException(flag + " needs a registry, and this build may use none"))
        .get();
  }

  /**
   * Builds the plan's stages wave by wave: the stages of a wave depend only on earlier waves, so
   * they run at the same time, each on its own thread.
   */
  private static void buildStages(BuildPlan plan, BuildSession session)
      throws IOException, InterruptedException {
    int count = plan.stages().size();
    for (List<Integer> wave : plan.parallelGroups()) {
      if (wave.size() == 1) {
        PlannedStage stage = plan.stage(wave.get(0));
        session.stages().put(stage.index(), new StageBuilder(session, stage, count).build());
        continue;
      }
      ExecutorService pool = Executors.newFixedThreadPool(wave.size());
      try {
        List<Future<StageImage>> running = new ArrayList<>();
        for (int index : wave) {
          PlannedStage stage = plan.stage(index);
          running.add(pool.submit(() -> new StageBuilder(session, stage, count).build()));
        }
        for (int i = 0; i < wave.size(); i++) {
          session.stages().put(wave.get(i), await(running.get(i)));
        }
      } finally {
        pool.shutdownNow();
        // Let the other stages of the wave stop and clean up (kill their RUN steps, delete their
        // dirs) before the build's lease is released.
        if (!pool.awaitTermination(SignalCancel.GRACE.toSeconds(), TimeUnit.SECONDS)) {
          throw new BuildException("stages of this build did not stop after a failure in another");
        }
      }
    }
  }

  private static StageImage await(Future<StageImage> stage)
      throws IOException, InterruptedException {
    try {
      return stage.get();
    } catch (ExecutionException e) {
      Throwable cause = e.getCause();
      if (cause instanceof IOException io) {
        throw io;
      }
      if (cause instanceof InterruptedException ie) {
        throw ie;
      }
      if (cause instanceof RuntimeException re) {
        throw re;
      }
      throw new IOException(cause);
    }
  }

  private BuildResult finish(
      BuildRequest request, BuildSession session, StageImage target, Duration took)
      throws IOException {
    ImageConfig.Builder image = target.config().toBuilder();
    if (!request.labels().isEmpty()) {
      ContainerConfig c = image.config();
      Map<String, String> labels = new LinkedHashMap<>(c.labels());
      labels.putAll(request.labels());
      image.config(c.toBuilder().labels(labels).build());
    }
    ImageConfig config = image.build();
    Descriptor configBlob = store.putBytes(MediaTypes.OCI_CONFIG, config.raw());
    Manifest manifest =
        Manifest.of(MediaTypes.OCI_MANIFEST, configBlob, target.layers(), request.annotations());
    Descriptor manifestBlob = store.putBytes(MediaTypes.OCI_MANIFEST, manifest.raw());
    if (request.tags().isEmpty()) {
      store.keep(manifestBlob);
    }
    for (Reference tag : request.tags()) {
      store.tag(tag, manifestBlob);
    }
    return new BuildResult(config, manifestBlob, target.layers(), request.tags(), took);
  }
}

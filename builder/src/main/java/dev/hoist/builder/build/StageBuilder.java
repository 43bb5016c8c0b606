package dev.hoist.builder.build;

import dev.hoist.builder.context.DockerIgnore;
import dev.hoist.builder.context.GoPaths;
import dev.hoist.builder.context.IgnoreMatcher;
import dev.hoist.builder.copy.Copier;
import dev.hoist.builder.copy.CopyInputs;
import dev.hoist.builder.copy.CopySpec;
import dev.hoist.builder.copy.FileSource;
import dev.hoist.builder.copy.GitCheckout;
import dev.hoist.builder.copy.GitRef;
import dev.hoist.builder.dockerfile.Heredoc;
import dev.hoist.builder.instructions.AddInstruction;
import dev.hoist.builder.instructions.CopyInstruction;
import dev.hoist.builder.instructions.Instruction;
import dev.hoist.builder.instructions.RunInstruction;
import dev.hoist.builder.instructions.WorkdirInstruction;
import dev.hoist.builder.plan.PlannedStage;
import dev.hoist.builder.plan.StageBase;
import dev.hoist.builder.plan.StageDefaults;
import dev.hoist.builder.plan.Step;
import dev.hoist.image.Digest;
import dev.hoist.image.ImageConfig;
import dev.hoist.runtime.RunSpec;
import dev.hoist.store.FileTrees;
import dev.hoist.store.StoredImage;
import dev.hoist.store.layer.LayerSource;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Builds one stage: starts from its base, then runs each step, taking a step's result from the
 * cache when its key is there.
 */
final class StageBuilder {
  private final BuildSession session;
  private final PlannedStage stage;

  /** The position of the step being built in its stage, for {@link MissReasons}. */
  private int stepIndex;

  /** Whether a cache miss of this stage was already explained (later misses follow from it). */
  private boolean missExplained;

  private final String prefix;
  private final int vertices;

  StageBuilder(BuildSession session, PlannedStage stage, int stageCount) {
    this.session = session;
    this.stage = stage;
    this.prefix = stageCount > 1 ? stage.name().orElse("stage-" + stage.index()) + " " : "";
    this.vertices =
        1 + (int) stage.steps().stream().filter(s -> !isConfigOnly(s.instruction())).count();
  }

  StageImage build() throws IOException, InterruptedException {
    StageState state = start();
    // The base's ONBUILD triggers run at the top of this stage (the planner put them there) and
    // are not handed on to images built from this one, as in Docker.
    state.config(
        StageDefaults.apply(
            state.config().toBuilder().onBuild(List.of()).build(), stage.base(), stage.platform()));
    int index = 1;
    for (Step step : stage.steps()) {
      Instruction ins = step.instruction();
      if (isConfigOnly(ins)) {
        try {
          ConfigSteps.apply(ins, state);
        } catch (IllegalArgumentException e) { // a value the config cannot hold, e.g. EXPOSE x
          throw new BuildException(ins.source().location() + ": " + e.getMessage(), e);
        }
        state.key(StepKeys.step(state.key(), ins));
        state.addStep(
            Optional.empty(), Optional.empty(), HistoryText.of(ins, state.config()), session.now());
        continue;
      }
      index++;
      layerStep(step, state, index);
    }
    return new StageImage(
        state.image(session.sourceDateEpoch(), session.now()), state.layers(), state.key());
  }

  private static boolean isConfigOnly(Instruction ins) {
    return ConfigSteps.isConfigOnly(ins);
  }

  private StageState start() throws IOException, InterruptedException {
    StageBase base = stage.base();
    if (base instanceof StageBase.Scratch) {
      int n = session.progress().stepStarted(prefix, 1, vertices, "FROM scratch");
      session.progress().stepDone(n, Duration.ZERO);
      ImageConfig scratch = ImageConfig.scratch(stage.platform());
      return new StageState(
          scratch, List.of(), StepKeys.base("scratch", stage.platform().toString()));
    }
    if (base instanceof StageBase.Stage s) {
      StageImage from = session.stages().get(s.index());
      return new StageState(from.config(), from.layers(), from.key());
    }
    long t0 = System.nanoTime();
    boolean context = base instanceof StageBase.Context;
    String name = context ? ((StageBase.Context) base).key() : ((StageBase.Image) base).reference();
    int n =
        session
            .progress()
            .stepStarted(prefix, 1, vertices, (context ? "[context] FROM " : "FROM ") + name);
    try {
      StageState state =
          session
              .cancellation()
              .interruptibly(() -> context ? fromContext(name, n) : fromImage(name));
      session.progress().stepDone(n, Duration.ofNanos(System.nanoTime() - t0));
      return state;
    } catch (IOException | RuntimeException | InterruptedException e) {
      ended(n, t0, e);
      throw e;
    }
  }

  private StageState fromImage(String reference) throws IOException {
    return imageState(session.bases().image(reference, stage.platform()));
  }

  private StageState imageState(StoredImage image) {
    return new StageState(
        image.config(),
        image.manifest().layers(),
        StepKeys.base(image.manifestDescriptor().digest().toString(), stage.platform().toString()));
  }

  /**
   * A stage that starts from a named build context: its image, or (a directory) an empty config and
   * the directory's files as one layer, keyed by their content as a COPY of them would be.
   */
  private StageState fromContext(String key, int n) throws IOException {
    NamedContext context =
        session
            .bases()
            .context(key)
            .orElseThrow(() -> new IllegalStateException("no build context " + key));
    if (!(context instanceof NamedContext.Local local)) {
      return imageState(session.bases().image(context, stage.platform()));
    }
    StageState state =
        new StageState(
            ImageConfig.scratch(stage.platform()),
            List.of(),
            StepKeys.base("scratch", stage.platform().toString()));
    CopySpec spec =
        CopySpec.reading(
            new FileSource.Context(local.dir(), DockerIgnore.load(local.dir(), Optional.empty())),
            ".",
            "--build-context " + key);
    String createdBy = "[context " + key + "]";
    Digest layerKey =
        StepKeys.base("context " + Copier.inputs(spec).digest(), stage.platform().toString());
    Optional<BuildCache.Entry> hit =
        session.request().noCache()
            ? Optional.empty()
            : session.cache().lookup(layerKey, session.store());
    BuildCache.Entry entry;
    if (hit.isPresent()) {
      entry = hit.get();
    } else {
      Path staging = session.newScratchDir();
      try {
        Copier.stage(spec, staging);
        LayerCommit.Outcome out = session.commit().commit(staging, LayerSource.directory(staging));
        entry = new BuildCache.Entry(out.layer(), out.diffId(), session.now());
        session.cache().put(layerKey, entry);
      } finally {
        FileTrees.deleteRecursively(staging);
      }
    }
    state.addStep(entry.layer(), entry.diffId(), createdBy, entry.created());
    state.key(layerKey);
    return state;
  }

  private void layerStep(Step step, StageState state, int index)
      throws IOException, InterruptedException {
    stepIndex = index;
    Instruction ins = step.instruction();
    long t0 = System.nanoTime();
    // Credentials in a URL (https://user:token@host/...) are not shown.
    int n =
        session
            .progress()
            .stepStarted(prefix, index, vertices, GitRef.redact(ins.source().original().strip()));
    try {
      session.cancellation().check();
      if (ins instanceof WorkdirInstruction wd) {
        workdir(wd, state, n, t0);
      } else if (ins instanceof RunInstruction run) {
        run(run, step, state, n, t0);
      } else if (ins instanceof CopyInstruction copy) {
        copy(ins, copySpec(copy, state), state, n, t0);
      } else if (ins instanceof AddInstruction add) {
        Optional<GitRef> git = gitSource(add);
        if (git.isPresent()) {
          addGit(add, git.get(), state, n, t0);
        } else {
          copy(
              ins,
              addSpec(
                  add,
                  state,
                  contextSource(add.source().location()),
                  add.sources(),
                  add.heredocs(),
                  add.checksum()),
              state,
              n,
              t0);
        }
      } else {
        throw new BuildException(
            ins.source().location()
                + ": "
                + ins.keyword()
                + " is not supported by hoist build yet");
      }
    } catch (IOException | RuntimeException | InterruptedException e) {
      ended(n, t0, e);
      throw e;
    }
  }

  /** Reports a step that threw: cancelled when the build was (whatever it threw), else failed. */
  private void ended(int n, long t0, Exception e) {
    Duration took = Duration.ofNanos(System.nanoTime() - t0);
    if (session.cancellation().reason().isPresent() || e instanceof InterruptedException) {
      session.progress().stepCancelled(n, took);
    } else {
      session.progress().stepFailed(n, took, String.valueOf(e.getMessage()));
    }
  }

  private void run(RunInstruction run, Step step, StageState state, int n, long t0)
      throws IOException, InterruptedException {
    List<String> argv = RunStep.argv(run, state.config());
    String createdBy = HistoryText.run(argv, step.args());
    Map<String, String> parts = new LinkedHashMap<>();
    parts.put("command", String.join("\0", argv));
    parts.put("env", String.join("\n", RunStep.env(state.config(), step.args())));
    parts.put("network", run.network().orElse(session.request().network().name()));
    parts.put("mounts", mountInputs(run));
    // Since a RUN that changes nothing gives an empty layer rather than none, its entries from
    // before that cannot be reused.
    parts.put("layer", "always");
    // In the key only when given, so that builds without them keep their cache, as BuildKit's
    // ExecOp leaves an unset shm size and ulimits out of its digest.
    if (session.request().shmBytes() != RunSpec.DEFAULT_SHM_BYTES) {
      parts.put("shm", Long.toString(session.request().shmBytes()));
    }
    if (!session.request().ulimits().isEmpty()) {
      parts.put("ulimits", session.request().ulimits().toString());
    }
    MissReasons.Inputs inputs = MissReasons.Inputs.of(state.key(), run, parts, List.of());
    Digest key = inputs.key();
    if (cached(inputs, state, createdBy, n)) {
      return;
    }
    List<Path> lowers = lowers(state);
    List<Path> unpacked = new ArrayList<>();
    try {
      LayerCommit.Outcome out =
          new RunStep(session)
              .run(
                  run,
                  state,
                  lowers,
                  argv,
                  step.args(),
                  n,
                  from -> unpackFrom(from, run, unpacked));
      record(key, out, state, createdBy, n, t0);
    } finally {
      for (Path dir : unpacked) {
        FileTrees.deleteRecursively(dir);
      }
    }
  }

  /**
   * What the step's bind mounts read, for its cache key: the content of a context source (as a COPY
   * of it would be keyed), or the key of the stage / digest of the image a {@code from=} names.
   * Cache and secret mounts are left out on purpose: they never make a step's result.
   */
  private String mountInputs(RunInstruction run) throws IOException {
    StringBuilder sb = new StringBuilder();
    for (String spec : run.mounts()) {
      Map<String, String> kv = CsvOptions.parse(spec, "true");
      if (!kv.getOrDefault("type", "bind").equals("bind")) {
        continue;
      }
      String source = kv.getOrDefault("source", kv.getOrDefault("src", "."));
      String location = run.source().location();
      if (kv.containsKey("from")) {
        FromSource from = FromSource.resolve(session, kv.get("from"), stage.platform(), location);
        if (from instanceof FromSource.Built built) {
          sb.append(built.stage().key());
        } else if (from instanceof FromSource.Image image) {
          sb.append(image.image().manifestDescriptor().digest());
        } else {
          FromSource.Directory dir = (FromSource.Directory) from;
          sb.append("context ").append(boundInputs(dir.dir(), dir.files(), source, location));
        }
      } else if (session.request().context().isPresent()) {
        sb.append(
            boundInputs(
                session.request().context().get(), contextSource(location), source, location));
      }
      sb.append(':').append(source).append('\n');
    }
    return sb.toString();
  }

  /** The content digest of what a bind of {@code source} under {@code root} reads. */
  private static Digest boundInputs(Path root, FileSource files, String source, String location)
      throws IOException {
    RunMounts.boundSource(root, source, location);
    return Copier.inputDigest(CopySpec.reading(files, source, location));
  }

  /**
   * The root filesystem of the stage or image {@code from} names, unpacked for a bind mount; a
   * named context's directory as it is.
   */
  private Path unpackFrom(String from, RunInstruction run, List<Path> unpacked) throws IOException {
    FromSource source =
        FromSource.resolve(session, from, stage.platform(), run.source().location());
    if (source instanceof FromSource.Directory dir) {
      return dir.dir();
    }
    Path dir = session.newScratchDir();
    unpacked.add(dir);
    new Exporter(session.store()).rootfs(source.layers(), dir);
    return dir;
  }

  private void copy(Instruction ins, CopySpec spec, StageState state, int n, long t0)
      throws IOException, InterruptedException {
    String createdBy = HistoryText.of(ins, state.config());
    CopyInputs read = Copier.inputs(spec);
    Map<String, String> parts = new LinkedHashMap<>();
    parts.put("sources", read.digest().toString());
    parts.put("workdir", state.workdir());
    MissReasons.Inputs inputs = MissReasons.Inputs.of(state.key(), ins, parts, read.trail());
    Digest key = inputs.key();
    if (cached(inputs, state, createdBy, n)) {
      return;
    }
    staged(key, state, createdBy, n, t0, staging -> Copier.stage(spec, staging));
  }

  /** The git repository an ADD names, when it names one; it must then be its only source. */
  private static Optional<GitRef> gitSource(AddInstruction add) throws BuildException {
    List<GitRef> gits = new ArrayList<>();
    for (String source : add.sources()) {
      try {
        GitRef.parse(source).ifPresent(gits::add);
      } catch (IllegalArgumentException e) {
        throw new BuildException(
            add.source().location() + ": ADD " + GitRef.redact(source) + ": " + e.getMessage());
      }
    }
    if (gits.isEmpty()) {
      return Optional.empty();
    }
    if (add.sources().size() > 1 || !add.heredocs().isEmpty()) {
      throw new BuildException(
          add.source().location()
              + ": ADD of a git repository ("
              + gits.get(0).display()
              + ") takes no other source; write one ADD per repository");
    }
    return Optional.of(gits.get(0));
  }

  /**
   * ADD of a git repository: the ref is resolved to a commit first, and the commit is the step's
   * cache key (a new commit on the branch misses; the same commit hits without fetching); on a miss
   * the commit is checked out and its tree (or subdir) copied as a COPY of a context directory
   * would be: owned by root unless --chown.
   */
  private void addGit(AddInstruction add, GitRef ref, StageState state, int n, long t0)
      throws IOException, InterruptedException {
    String location = add.source().location();
    if (add.keepGitDir() && ref.keepGitDir().equals(Optional.of(false))) {
      throw new BuildException(
          location
              + ": ADD "
              + ref.display()
              + ": --keep-git-dir=true conflicts with keep-git-dir=false in the URL; give it once");
    }
    boolean keepGitDir = add.keepGitDir() || ref.keepGitDir().orElse(false);
    String commit = session.cancellation().interruptibly(() -> GitCheckout.resolve(ref, location));
    Map<String, String> checksums = new LinkedHashMap<>();
    add.checksum().ifPresent(c -> checksums.put("--checksum=", c));
    ref.checksum().ifPresent(c -> checksums.put("checksum=", c));
    for (Map.Entry<String, String> checksum : checksums.entrySet()) {
      String want = checksum.getValue().toLowerCase(java.util.Locale.ROOT);
      if (want.length() < 7 || !commit.startsWith(want)) {
        throw new BuildException(
            location
                + ": ADD "
                + ref.display()
                + ": the ref is at commit "
                + commit
                + ", not "
                + checksum.getKey()
                + checksum.getValue()
                + " (for a git source the checksum is the commit id, 7 to 40 hex digits)");
      }
    }
    session.progress().stepInfo(n, ref.display() + " is commit " + commit);
    String createdBy = GitRef.redact(HistoryText.of(add, state.config()));
    Map<String, String> parts = new LinkedHashMap<>();
    parts.put("source", "git");
    parts.put("remote", ref.redactedRemote());
    parts.put("commit", commit);
    parts.put("subdir", ref.subdir());
    parts.put("keep-git-dir", String.valueOf(keepGitDir));
    if (!ref.submodules()) {
      // Only when off, so that the keys of every other git ADD stay as they were.
      parts.put("submodules", "false");
    }
    parts.put("workdir", state.workdir());
    MissReasons.Inputs inputs = MissReasons.Inputs.of(state.key(), add, parts, List.of());
    Digest key = inputs.key();
    if (cached(inputs, state, createdBy, n)) {
      return;
    }
    Path checkout = session.newScratchDir();
    try {
      Path root =
          session
              .cancellation()
              .interruptibly(
                  () -> GitCheckout.checkout(ref, commit, keepGitDir, checkout, location));
      // The whole checkout; the commit was checked against --checksum above.
      CopySpec spec =
          addSpec(
              add,
              state,
              new FileSource.Context(root, IgnoreMatcher.NONE),
              List.of("."),
              List.of(),
              Optional.empty());
      staged(key, state, createdBy, n, t0, staging -> Copier.stage(spec, staging));
    } finally {
      FileTrees.deleteRecursively(checkout);
    }
  }

  /**
   * WORKDIR as BuildKit does it: the config keeps an absolute path as written (a trailing slash
   * stays) and joins a relative one to the current one; the directory (cleaned) is made with {@link
   * WorkdirDirs}, owned by the stage's USER.
   */
  private void workdir(WorkdirInstruction wd, StageState state, int n, long t0)
      throws IOException, InterruptedException {
    String configured =
        wd.path().startsWith("/")
            ? wd.path()
            : GoPaths.clean("/" + state.config().workingDir().orElse("/") + "/" + wd.path());
    state.config(state.config().toBuilder().workingDir(Optional.of(configured)).build());
    String path = state.workdir();
    String user = state.config().user().orElse("");
    String createdBy = HistoryText.of(wd, state.config());
    // The user is a key part (though USER steps are in the parent key) so that layers cached before
    // WORKDIR's directories had an owner are not reused.
    MissReasons.Inputs inputs =
        MissReasons.Inputs.of(state.key(), wd, Map.of("path", path, "user", user), List.of());
    Digest key = inputs.key();
    if (cached(inputs, state, createdBy, n)) {
      return;
    }
    List<Path> image = topFirst(state);
    staged(
        key,
        state,
        createdBy,
        n,
        t0,
        staging -> WorkdirDirs.create(staging, image, path, user, wd.source().location()));
  }

  /** Writes a step's files into a fresh staging dir, and commits that dir as the step's layer. */
  @FunctionalInterface
  private interface Stager {
    void fill(Path staging) throws IOException;
  }

  private void staged(Digest key, StageState state, String createdBy, int n, long t0, Stager stager)
      throws IOException {
    Path staging = session.newScratchDir();
    try {
      stager.fill(staging);
      record(
          key,
          session.commit().commit(staging, LayerSource.directory(staging)),
          state,
          createdBy,
          n,
          t0);
    } finally {
      FileTrees.deleteRecursively(staging);
    }
  }

  private boolean cached(MissReasons.Inputs inputs, StageState state, String createdBy, int n)
      throws IOException {
    if (session.request().noCache()
        || stage.name().map(session.request().noCacheStages()::contains).orElse(false)) {
      return false;
    }
    Digest key = inputs.key();
    Optional<BuildCache.Entry> hit = session.cache().lookup(key, session.store());
    if (hit.isEmpty()) {
      session
          .missReasons()
          .explain(stage.index(), stepIndex, inputs, missExplained)
          .ifPresent(
              reason -> {
                session.progress().stepInfo(n, "cache miss: " + reason);
                missExplained = true;
              });
      return false;
    }
    state.addStep(hit.get().layer(), hit.get().diffId(), createdBy, hit.get().created());
    state.key(key);
    session.progress().stepCached(n);
    return true;
  }

  private void record(
      Digest key, LayerCommit.Outcome out, StageState state, String createdBy, int n, long t0)
      throws IOException {
    var entry = new BuildCache.Entry(out.layer(), out.diffId(), session.now());
    session.cache().put(key, entry);
    state.addStep(out.layer(), out.diffId(), createdBy, entry.created());
    state.key(key);
    session.progress().stepDone(n, Duration.ofNanos(System.nanoTime() - t0));
  }

  /** The stage's layers as overlay lower dirs, bottom first; an empty dir for a scratch stage. */
  private List<Path> lowers(StageState state) throws IOException {
    List<Path> lowers = session.snapshots().getAll(state.layers(), state.diffIds());
    if (lowers.isEmpty()) {
      Path empty = session.snapshots().dir().resolve("empty");
      Files.createDirectories(empty);
      return List.of(empty);
    }
    return lowers;
  }

  private List<Path> topFirst(StageState state) throws IOException {
    if (state.layers().isEmpty()) {
      return List.of();
    }
    List<Path> lowers = new ArrayList<>(lowers(state));
    Collections.reverse(lowers);
    return lowers;
  }

  private CopySpec copySpec(CopyInstruction copy, StageState state) throws IOException {
    FileSource from =
        copy.from().isPresent()
            ? fromFiles(copy.from().get(), copy.source().location())
            : contextSource(copy.source().location());
    return new CopySpec(
        from,
        copy.sources(),
        copy.destination(),
        state.workdir(),
        copy.chown(),
        copy.chmod(),
        copy.parents(),
        copy.excludes(),
        copy.heredocs(),
        false,
        Optional.empty(),
        Optional.empty(),
        topFirst(state),
        copy.source().location());
  }

  /**
   * ADD's copy of {@code sources} from {@code from} (the build context, or a git checkout) with the
   * instruction's destination, owner, mode and excludes.
   */
  private CopySpec addSpec(
      AddInstruction add,
      StageState state,
      FileSource from,
      List<String> sources,
      List<Heredoc> heredocs,
      Optional<String> checksum)
      throws IOException {
    return new CopySpec(
        from,
        sources,
        add.destination(),
        state.workdir(),
        add.chown(),
        add.chmod(),
        false,
        add.excludes(),
        heredocs,
        true,
        checksum,
        add.unpack(),
        topFirst(state),
        add.source().location());
  }

  private FileSource contextSource(String location) throws BuildException {
    Path context =
        session
            .request()
            .context()
            .orElseThrow(
                () ->
                    new BuildException(
                        location
                            + ": COPY needs a build context, but the Dockerfile came from stdin alone"));
    return new FileSource.Context(context, session.ignore());
  }

  /**
   * The files a {@code --from} names: a named context's directory, or the layers of a stage or
   * image as lower dirs top first.
   */
  private FileSource fromFiles(String from, String location) throws IOException {
    FromSource source = FromSource.resolve(session, from, stage.platform(), location);
    if (source instanceof FromSource.Directory dir) {
      return dir.files();
    }
    List<Path> lowers =
        new ArrayList<>(session.snapshots().getAll(source.layers(), source.diffIds()));
    Collections.reverse(lowers);
    return new FileSource.Layers(lowers);
  }
}

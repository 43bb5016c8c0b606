package dev.hoist.builder.cli;

import dev.hoist.builder.build.BuildRequest;
import dev.hoist.builder.build.BuildResult;
import dev.hoist.builder.build.Cancellation;
import dev.hoist.builder.build.Exporter;
import dev.hoist.builder.build.ImageBuilder;
import dev.hoist.builder.build.ManifestAnnotations;
import dev.hoist.builder.build.OutputSpec;
import dev.hoist.builder.build.PlainProgress;
import dev.hoist.builder.build.Progress;
import dev.hoist.builder.build.RunningSteps;
import dev.hoist.builder.build.SignalCancel;
import dev.hoist.builder.build.Terminal;
import dev.hoist.builder.build.TtyProgress;
import dev.hoist.builder.plan.BuildOptions;
import dev.hoist.image.Compression;
import dev.hoist.image.Platform;
import dev.hoist.image.Reference;
import dev.hoist.registry.TransferListener;
import dev.hoist.runtime.HostEntry;
import dev.hoist.runtime.Isolation;
import dev.hoist.runtime.Network;
import dev.hoist.runtime.Resources;
import dev.hoist.runtime.RunSpec;
import dev.hoist.runtime.Sandbox;
import dev.hoist.runtime.Ulimit;
import dev.hoist.store.Store;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** {@code hoist build}: a Dockerfile into an image, with {@code docker build}'s options. */
@Command(name = "build", description = "Build an image from a Dockerfile.")
final class BuildCommand implements Callable<Integer> {
  @ParentCommand Hoist hoist;
  @Spec CommandSpec spec;

  @Parameters(
      index = "0",
      paramLabel = "CONTEXT",
      description = "Build context directory, or - for a Dockerfile on stdin with no context.")
  String context;

  @Option(
      names = {"-t", "--tag"},
      paramLabel = "NAME[:TAG]",
      description = "Name the image (repeatable).")
  List<String> tags = new ArrayList<>();

  @Option(
      names = {"-f", "--file"},
      paramLabel = "PATH",
      description = "The Dockerfile (default CONTEXT/Dockerfile; - for stdin).")
  String file;

  @Option(
      names = "--build-arg",
      paramLabel = "K[=V]",
      description = "A build arg; K alone takes its value from the environment.")
  List<String> buildArgs = new ArrayList<>();

  @Option(
      names = "--target",
      paramLabel = "STAGE",
      description = "Build this stage and what it needs.")
  String target;

  @Option(
      names = "--platform",
      paramLabel = "OS/ARCH[/VARIANT]",
      description =
          "Platform of the image (default this machine's); one only. RUN steps need this"
              + " machine's platform (no emulation yet).")
  String platform;

  @Option(names = "--no-cache", description = "Run every step, ignoring the build cache.")
  boolean noCache;

  @Option(names = "--pull", description = "Always look base images up in their registry.")
  boolean pull;

  @Option(names = "--push", description = "Push every -t name after the build.")
  boolean push;

  @Option(
      names = "--label",
      paramLabel = "K=V",
      description = "Set a label on the image (repeatable).")
  List<String> labels = new ArrayList<>();

  @Option(
      names = "--secret",
      paramLabel = "id=ID,src=PATH|env=VAR",
      description =
          "A secret for RUN --mount=type=secret (repeatable); type=env,src=VAR reads a variable,"
              + " as buildx.")
  List<String> secrets = new ArrayList<>();

  @Option(
      names = "--network",
      paramLabel = "default|host|none",
      description = "Network of RUN steps (default: host, as docker build).")
  String network = "default";

  @Option(
      names = "--add-host",
      paramLabel = "HOST:IP",
      description = "An /etc/hosts entry for RUN steps (repeatable).")
  List<String> addHosts = new ArrayList<>();

  @Option(
      names = "--progress",
      paramLabel = "auto|plain|tty|quiet",
      description = "How to show progress (default auto).")
  String progress = "auto";

  @Option(
      names = {"-q", "--quiet"},
      description = "Print only the image id.")
  boolean quiet;

  @Option(
      names = {"-o", "--output"},
      paramLabel = "type=TYPE[,dest=PATH]",
      description =
          "Also write the result: type=docker|oci (archives), tar or local (root filesystem);"
              + " type=registry or type=image,push=true pushes it; name=NAME names it.")
  String output;

  @Option(
      names = "--metadata-file",
      paramLabel = "FILE",
      description =
          "After a successful build, write its result as buildx's JSON (containerimage.digest,"
              + " containerimage.config.digest, containerimage.descriptor, image.name).")
  Path metadataFile;

  @Option(
      names = "--annotation",
      paramLabel = "[manifest:]K=V",
      description = "An annotation on the image manifest (repeatable).")
  List<String> annotations = new ArrayList<>();

  @Option(
      names = "--no-cache-filter",
      paramLabel = "STAGE",
      split = ",",
      description = "Build these stages without reading the cache (repeatable, comma lists).")
  List<String> noCacheFilter = new ArrayList<>();

  @Option(
      names = "--shm-size",
      paramLabel = "BYTES",
      description = "Size of /dev/shm in RUN steps, e.g. 128m (default 64m).")
  String shmSize;

  @Option(
      names = "--ulimit",
      paramLabel = "TYPE=SOFT[:HARD]",
      description = "A resource limit of RUN steps, e.g. nofile=1024:2048 (repeatable).")
  List<String> ulimits = new ArrayList<>();

  @Option(
      names = "--call",
      paramLabel = "build|check",
      description =
          "build (the default), or check: parse and plan only, print the warnings, exit 1 if any.")
  String call = "build";

  @Option(names = "--check", description = "Shorthand for --call check.")
  boolean check;

  @Option(names = "--iidfile", paramLabel = "FILE", description = "Write the image id to FILE.")
  Path iidfile;

  @Option(
      names = "--isolation",
      paramLabel = "auto|oci|chroot",
      description = "How RUN steps are isolated (default auto).")
  String isolation = "auto";

  @Option(
      names = "--cache-from",
      paramLabel = "REF",
      description =
          "Read step results from this registry cache (repeatable; buildx's type=registry,ref=REF also works).")
  List<String> cacheFrom = new ArrayList<>();

  @Option(
      names = "--cache-to",
      paramLabel = "REF",
      description =
          "Write this build's step results to this registry cache (type=registry,ref=REF"
              + " also works; hoist writes every stage's steps, as mode=max).")
  String cacheTo;

  @Option(
      names = "--compression",
      paramLabel = "gzip|zstd",
      description = "Compression of new layers (default gzip).")
  String compression = "gzip";

  @Option(
      names = "--build-context",
      paramLabel = "NAME=DIR|docker-image://REF|oci-layout://DIR[:TAG]",
      description =
          "A named context: FROM NAME, COPY --from=NAME and --mount=from=NAME use it (repeatable).")
  List<String> buildContexts = new ArrayList<>();

  @Option(
      names = "--ssh",
      paramLabel = "default|ID=SOCKET|ID=KEY[,KEY]",
      description = "An SSH agent or keys for RUN --mount=type=ssh (repeatable).")
  List<String> ssh = new ArrayList<>();

  @Override
  public Integer call() throws Exception {
    PrintStream err = hoist.err();
    if (platform != null && platform.contains(",")) {
      throw new ParameterException(
          spec.commandLine(),
          "--platform "
              + platform
              + ": hoist builds one platform at a time; run one build per platform");
    }
    OutputSpec outputSpec = output == null ? OutputSpec.STORE : OutputSpec.parse(output);
    BuildRequest request = request(outputSpec);
    if (check || CheckCall.isCheck(call)) {
      return check(request);
    }
    boolean pushing = push || outputSpec.push();
    if (pushing && request.tags().isEmpty()) {
      throw new ParameterException(
          spec.commandLine(),
          (push ? "--push" : "--output " + output) + " needs a name to push to: add -t NAME");
    }
    Progress shown = progress(err);
    Isolation chosen = Isolation.parse(isolation);
    RunningSteps steps = new RunningSteps(shown);
    Cancellation cancellation = new Cancellation();
    try (SignalCancel signals = SignalCancel.watch(cancellation)) {
      return build(request, outputSpec, pushing, steps, chosen, cancellation);
    } catch (Exception e) {
      steps.finish();
      Optional<Cancellation.Reason> why = cancellation.reason();
      if (why.isEmpty()) {
        throw e;
      }
      // Whatever the interrupted work threw on its way out, the user asked for this.
      List<Integer> at = steps.cancelled().isEmpty() ? steps.running() : steps.cancelled();
      err.println(
          "hoist: build cancelled"
              + (at.isEmpty()
                  ? ""
                  : at.size() == 1
                      ? " at step " + at.get(0)
                      : " at steps " + String.join(", ", at.stream().map(String::valueOf).toList()))
              + " ("
              + why.get().what()
              + ")");
      if (hoist.debug()) {
        e.printStackTrace(err);
      }
      err.flush();
      return why.get().exitStatus();
    }
  }

  private int build(
      BuildRequest request,
      OutputSpec outputSpec,
      boolean pushing,
      Progress shown,
      Isolation chosen,
      Cancellation cancellation)
      throws Exception {
    PrintStream err = hoist.err();
    try (Store store = StoreAccess.open(hoist);
        LazyRegistryClient registry = new LazyRegistryClient(hoist)) {
      Sandbox sandbox = new LazySandbox(chosen, store.workDir());
      BuildResult result =
          new ImageBuilder(store, sandbox, Optional.of(registry), shown, cancellation)
              .build(request);
      shown.finish(); // a live view draws its last frame before the lines below
      if (pushing) {
        for (Reference tag : result.tags()) {
          var pushed =
              registry
                  .get()
                  .push(tag, result.manifest(), store, Optional.empty(), TransferListener.NONE);
          if (!quiet) {
            err.println("pushed " + tag.familiar() + "@" + pushed.digest());
          }
        }
      }
      new Exporter(store).export(outputSpec, result);
      if (iidfile != null) {
        Files.writeString(iidfile, result.imageId().toString());
      }
      if (metadataFile != null) {
        MetadataFile.write(metadataFile, result);
      }
      var out = spec.commandLine().getOut();
      if (quiet) {
        out.println(result.imageId());
      } else {
        err.printf(
            "built %s in %s (%s)%s%n",
            result.imageId().shortHex(),
            String.format("%.1fs", result.took().toMillis() / 1000.0),
            HumanUnits.size(result.size()),
            result.tags().isEmpty()
                ? ""
                : ", tagged "
                    + String.join(", ", result.tags().stream().map(Reference::familiar).toList()));
        out.println(result.imageId());
      }
      out.flush();
      return 0;
    }
  }

  /**
   * {@code --progress}: plain lines, a live view on a terminal ({@code tty}, and {@code auto} when
   * stderr is one), or nothing. {@code tty} on something that is not a terminal prints plain lines,
   * which a log file can hold.
   */
  private Progress progress(PrintStream err) {
    if (quiet || progress.equals("quiet")) {
      return Progress.QUIET;
    }
    switch (progress) {
      case "plain" -> {
        return new PlainProgress(err);
      }
      case "auto", "tty" -> {
        Optional<Terminal.Size> size =
            err == System.err ? Terminal.stderr(hoist.env()) : Optional.empty();
        return size.isPresent()
            ? TtyProgress.live(err, size.get().columns(), size.get().rows())
            : new PlainProgress(err);
      }
      default ->
          throw new ParameterException(
              spec.commandLine(),
              "--progress must be auto, plain, tty or quiet, not '" + progress + "'");
    }
  }

  /** {@code --call check}: the plan's warnings, nothing built. */
  private int check(BuildRequest request) throws IOException {
    try (Store store = StoreAccess.open(hoist);
        LazyRegistryClient registry = new LazyRegistryClient(hoist)) {
      List<dev.hoist.builder.plan.PlanWarning> warnings =
          new ImageBuilder(
                  store,
                  new LazySandbox(Isolation.parse(isolation), store.workDir()),
                  Optional.of(registry),
                  Progress.QUIET)
              .check(request);
      return CheckCall.print(warnings, spec.commandLine().getOut());
    }
  }

  private BuildRequest request(OutputSpec outputSpec) throws IOException {
    Map<String, String> env = hoist.env();
    Optional<Path> contextDir =
        context.equals("-")
            ? Optional.empty()
            : Optional.of(Path.of(context).toAbsolutePath().normalize());
    if (contextDir.isPresent() && !Files.isDirectory(contextDir.get())) {
      throw new ParameterException(
          spec.commandLine(), "build context " + context + " is not a directory");
    }
    byte[] dockerfile;
    Optional<Path> dockerfilePath;
    String name;
    if ((file != null && file.equals("-")) || contextDir.isEmpty()) {
      dockerfile = System.in.readAllBytes();
      dockerfilePath = Optional.empty();
      name = "Dockerfile";
    } else {
      Path df =
          file != null ? Path.of(file).toAbsolutePath() : contextDir.get().resolve("Dockerfile");
      if (!Files.isRegularFile(df)) {
        throw new IOException("no Dockerfile at " + df + ": write one there or name it with -f");
      }
      dockerfile = Files.readAllBytes(df);
      dockerfilePath = Optional.of(df);
      name = df.getFileName().toString();
    }
    List<Reference> refs = new ArrayList<>();
    for (String t : tags) {
      refs.add(Reference.parse(t));
    }
    outputSpec.name().filter(n -> !refs.contains(n)).ifPresent(refs::add);
    Map<String, String> args = new LinkedHashMap<>();
    for (String a : buildArgs) {
      int eq = a.indexOf('=');
      if (eq < 0) {
        Optional.ofNullable(env.get(a)).ifPresent(v -> args.put(a, v));
      } else {
        args.put(a.substring(0, eq), a.substring(eq + 1));
      }
    }
    BuildOptions plan = BuildOptions.defaults().withBuildArgs(args);
    if (target != null) {
      plan = plan.withTarget(target);
    }
    if (platform != null) {
      plan = plan.withTargetPlatform(Platform.parse(platform));
    }
    List<Ulimit> limits = new ArrayList<>();
    for (String u : ulimits) {
      limits.add(Ulimit.parse(u));
    }
    Map<String, String> labelMap = new LinkedHashMap<>();
    for (String l : labels) {
      int eq = l.indexOf('=');
      labelMap.put(eq < 0 ? l : l.substring(0, eq), eq < 0 ? "" : l.substring(eq + 1));
    }
    Map<String, BuildRequest.Secret> secretMap = new LinkedHashMap<>();
    for (String s : secrets) {
      BuildRequest.Secret secret;
      try {
        secret = SecretOption.parse(s, env);
      } catch (IllegalArgumentException e) {
        throw new ParameterException(spec.commandLine(), e.getMessage());
      }
      secretMap.put(secret.id(), secret);
    }
    List<HostEntry> hosts = new ArrayList<>();
    for (String h : addHosts) {
      hosts.add(HostEntry.parse(h));
    }
    Optional<Instant> epoch =
        Optional.ofNullable(env.get("SOURCE_DATE_EPOCH"))
            .filter(v -> !v.isEmpty())
            .map(v -> Instant.ofEpochSecond(Long.parseLong(v.trim())));
    return new BuildRequest(
        contextDir,
        name,
        dockerfile,
        dockerfilePath,
        plan,
        refs,
        noCache,
        pull,
        labelMap,
        secretMap,
        Network.parse(network),
        hosts,
        epoch,
        switch (compression) {
          case "gzip" -> Compression.GZIP;
          case "zstd" -> Compression.ZSTD;
          default ->
              throw new ParameterException(
                  spec.commandLine(), "--compression must be gzip or zstd");
        },
        cacheFrom.stream().map(c -> CacheOption.ref("--cache-from", c)).toList(),
        Optional.ofNullable(cacheTo).map(c -> CacheOption.ref("--cache-to", c)),
        noCacheFilter.stream()
            .map(String::strip)
            .filter(n -> !n.isEmpty())
            .map(n -> n.toLowerCase(java.util.Locale.ROOT))
            .collect(java.util.stream.Collectors.toSet()),
        ManifestAnnotations.parse(annotations, plan.targetPlatform()),
        shmSize == null ? RunSpec.DEFAULT_SHM_BYTES : Resources.parseBytes(shmSize),
        limits,
        BuildContextOption.parse(buildContexts, Path.of("")),
        SshOption.parse(ssh, env, Path.of("")));
  }
}

package dev.hoist.builder.cli;

import dev.hoist.store.crypto.NativeDigests;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;

/**
 * The {@code hoist} command line. Thin: each subcommand parses its flags and calls the same Java
 * API an embedding program would. Exit status 0 on success, 1 on a failure the user can act on (one
 * line on stderr), 2 on bad usage.
 */
@Command(
    name = "hoist",
    mixinStandardHelpOptions = false,
    description = "Build, store, push and run container images without a daemon.")
public final class Hoist implements Runnable {
  /** Exit status for a failure the user can act on. */
  public static final int EXIT_FAILURE = 1;

  /** Exit status for bad usage (an unknown flag, a missing argument). */
  public static final int EXIT_USAGE = 2;

  @Option(
      names = "--root",
      scope = ScopeType.INHERIT,
      paramLabel = "DIR",
      description = "Store directory (env HOIST_ROOT; default /var/lib/hoist as root).")
  Path root;

  @Option(
      names = "--debug",
      scope = ScopeType.INHERIT,
      description = "Print stack traces and internal decisions.")
  boolean debug;

  @Option(
      names = "--tls-verify",
      scope = ScopeType.INHERIT,
      negatable = true,
      defaultValue = "true",
      fallbackValue = "true",
      arity = "0..1",
      description = "Verify registry TLS certificates (default true).")
  boolean tlsVerify = true;

  @Option(
      names = "--insecure-registry",
      scope = ScopeType.INHERIT,
      paramLabel = "HOST[:PORT]",
      description =
          "Registry that may be reached over plain HTTP (repeatable; env"
              + " HOIST_INSECURE_REGISTRIES, comma separated).")
  List<String> insecureRegistries = new ArrayList<>();

  @Option(
      names = {"-h", "--help"},
      usageHelp = true,
      scope = ScopeType.INHERIT,
      description = "Show this help.")
  boolean help;

  private final Map<String, String> env;
  private final PrintStream out;
  private final PrintStream err;

  Hoist(Map<String, String> env, PrintStream out, PrintStream err) {
    this.env = env;
    this.out = out;
    this.err = err;
  }

  public static void main(String[] args) {
    System.exit(run(args, System.out, System.err, System.getenv()));
  }

  /** Runs one command line and returns its exit status; what the process would print goes out. */
  public static int run(String[] args, PrintStream out, PrintStream err, Map<String, String> env) {
    // SHA-256 from OpenSSL when the system has it: fast whatever the JIT (see NativeDigests).
    NativeDigests.install();
    // Then the warm-up, on the second core while picocli builds its model here.
    Subcommands.name(args).filter(StartupWarmup::helps).ifPresent(StartupWarmup::start);
    // Two picocli start-up costs hoist never needs (a sixth of a cached build's main thread in a
    // profile): the search of every jar for Groovy's Closure class, and the reflective look-up
    // of type converters for java.sql and java.time types, which no hoist option has.
    System.setProperty("picocli.disable.closures", "true");
    System.setProperty("picocli.converters.excludes", "java\\.sql\\..*,java\\.time\\..*");
    Hoist hoist = new Hoist(env, out, err);
    CommandLine cli = new CommandLine(hoist);
    // Building picocli's model of a command reflects over its class; doing that for the one
    // command being run instead of all twenty halves the start-up time of quick commands.
    Subcommands.needed(args).forEach(cli::addSubcommand);
    cli.setOut(new PrintWriter(out, true));
    cli.setErr(new PrintWriter(err, true));
    cli.setExecutionExceptionHandler(new FailureHandler(hoist));
    cli.setParameterExceptionHandler(new UsageHandler());
    // hoist run REF CMD...: everything after the image is the command, flags included.
    Optional.ofNullable(cli.getSubcommands().get("run"))
        .ifPresent(c -> c.setStopAtPositional(true));
    int status = cli.execute(args);
    out.flush();
    err.flush();
    return status;
  }

  @Override
  public void run() {
    throw new CommandLine.ParameterException(
        new CommandLine(this), "missing command; try 'hoist --help'");
  }

  /** The store root: --root, else HOIST_ROOT, else the default for this user. */
  public Path storeRoot() {
    if (root != null) {
      return root;
    }
    String fromEnv = env.get("HOIST_ROOT");
    if (fromEnv != null && !fromEnv.isEmpty()) {
      return Path.of(fromEnv);
    }
    if ("root".equals(System.getProperty("user.name"))) {
      return Path.of("/var/lib/hoist");
    }
    String data = env.get("XDG_DATA_HOME");
    Path base =
        data != null && !data.isEmpty()
            ? Path.of(data)
            : Path.of(System.getProperty("user.home"), ".local", "share");
    return base.resolve("hoist");
  }

  public boolean debug() {
    return debug;
  }

  public boolean tlsVerify() {
    return tlsVerify;
  }

  /** Registries named by --insecure-registry and HOIST_INSECURE_REGISTRIES. */
  public List<String> insecureRegistries() {
    List<String> all = new ArrayList<>(insecureRegistries);
    Optional.ofNullable(env.get("HOIST_INSECURE_REGISTRIES")).stream()
        .flatMap(v -> List.of(v.split(",")).stream())
        .map(String::trim)
        .filter(s -> !s.isEmpty())
        .forEach(all::add);
    return all;
  }

  /** Where output goes as bytes (progress, streamed step output); picocli's writers wrap it. */
  public PrintStream out() {
    return out;
  }

  public PrintStream err() {
    return err;
  }

  /** The process environment as this invocation sees it (tests pass their own). */
  public Map<String, String> env() {
    return env;
  }
}

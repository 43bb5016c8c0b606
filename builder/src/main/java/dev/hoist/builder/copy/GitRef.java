package dev.hoist.builder.copy;

import dev.hoist.builder.context.GoBool;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * An ADD source that names a git repository, by BuildKit's rules (dfgitutil.ParseGitRef): {@code
 * git://} and {@code ssh://} URLs, scp-like {@code user@host:path}, and {@code http(s)://} URLs
 * whose path ends in {@code .git}. A branch, tag or commit and a directory inside the repository
 * are picked with a {@code #ref:subdir} fragment, or with BuildKit's (Dockerfile 1.18) query form,
 * {@code ?ref=|tag=|branch=&subdir=&checksum=&keep-git-dir=&submodules=}, or both when they agree.
 *
 * @param remote the repository as git is given it, without the fragment and the query
 * @param ref a branch, tag, full ref name or commit id; empty for the remote's HEAD
 * @param subdir a directory in the repository whose contents are added; empty for its root
 * @param checksum the commit (or a prefix of it, 7 hex digits at least) the ref must be at
 * @param keepGitDir whether to keep the {@code .git} directory, when the query says
 * @param submodules whether to check the submodules out too (the default)
 */
public record GitRef(
    String remote,
    String ref,
    String subdir,
    Optional<String> checksum,
    Optional<Boolean> keepGitDir,
    boolean submodules) {
  private static final Pattern SCHEME = Pattern.compile("^([a-zA-Z0-9]+)://");
  // A host never starts with '-': ssh would read it as an option (CVE-2017-1000117).
  private static final Pattern SCP =
      Pattern.compile("^[A-Za-z0-9_.+-]+@[A-Za-z0-9][A-Za-z0-9_.-]*:.*");
  private static final Pattern COMMIT = Pattern.compile("[0-9a-fA-F]{7,64}");
  private static final String KEYS =
      "use ref, tag, branch, checksum (or commit), subdir, keep-git-dir or submodules";

  public GitRef {
    Objects.requireNonNull(remote, "remote");
    Objects.requireNonNull(ref, "ref");
    Objects.requireNonNull(subdir, "subdir");
    Objects.requireNonNull(checksum, "checksum");
    Objects.requireNonNull(keepGitDir, "keepGitDir");
  }

  /** A repository, ref and subdir with nothing else said: the fragment form. */
  public GitRef(String remote, String ref, String subdir) {
    this(remote, ref, subdir, Optional.empty(), Optional.empty(), true);
  }

  /**
   * The git repository {@code source} names, or empty when it is a path or a plain URL.
   *
   * @throws IllegalArgumentException one line (without the instruction's location, which the caller
   *     adds) when the query asks for something hoist cannot do or contradicts the fragment
   */
  public static Optional<GitRef> parse(String source) {
    int hash = source.indexOf('#');
    String url = hash < 0 ? source : source.substring(0, hash);
    String fragment = hash < 0 ? "" : source.substring(hash + 1);
    int question = url.indexOf('?');
    String remote = question < 0 ? url : url.substring(0, question);
    if (!isRemote(remote)) {
      return Optional.empty();
    }
    int colon = fragment.indexOf(':');
    GitRef fromFragment =
        new GitRef(
            remote,
            colon < 0 ? fragment : fragment.substring(0, colon),
            colon < 0 ? "" : fragment.substring(colon + 1));
    return Optional.of(
        question < 0 ? fromFragment : fromFragment.withQuery(url.substring(question + 1)));
  }

  private static boolean isRemote(String remote) {
    if (remote.startsWith("./") || remote.startsWith("../")) {
      return false;
    }
    Matcher scheme = SCHEME.matcher(remote);
    if (!scheme.find()) {
      return SCP.matcher(remote).matches();
    }
    return switch (scheme.group(1).toLowerCase(Locale.ROOT)) {
      case "git", "ssh" -> true;
      case "http", "https" -> remote.endsWith(".git") || remote.endsWith(".git/");
      default -> false;
    };
  }

  /** This ref with BuildKit's query keys applied, as dfgitutil's loadQuery reads them. */
  private GitRef withQuery(String query) {
    Map<String, String> keys = new LinkedHashMap<>();
    for (String pair : query.split("&")) {
      if (pair.isEmpty()) {
        continue;
      }
      int eq = pair.indexOf('=');
      String key = decode(eq < 0 ? pair : pair.substring(0, eq));
      String value = eq < 0 ? "" : decode(pair.substring(eq + 1));
      if (keys.put(key, value) != null) {
        throw new IllegalArgumentException("query key '" + key + "' is given more than once");
      }
      if (value.isEmpty() && !key.equals("keep-git-dir") && !key.equals("submodules")) {
        throw new IllegalArgumentException("query key '" + key + "' has no value");
      }
    }
    String newRef = ref;
    String newSubdir = subdir;
    Optional<String> newChecksum = Optional.empty();
    Optional<Boolean> keep = Optional.empty();
    boolean modules = true;
    for (Map.Entry<String, String> e : keys.entrySet()) {
      String value = e.getValue();
      switch (e.getKey()) {
        case "ref" -> newRef = agree("ref", newRef, value);
        case "tag" -> {
          if (keys.containsKey("branch")) {
            throw new IllegalArgumentException("give tag= or branch=, not both");
          }
          newRef = agree("ref", newRef, prefixed("refs/tags/", value));
        }
        case "branch" -> newRef = agree("ref", newRef, prefixed("refs/heads/", value));
        case "subdir" -> newSubdir = agree("subdir", newSubdir, value);
        case "checksum", "commit" -> {
          if (!COMMIT.matcher(value).matches()) {
            throw new IllegalArgumentException(
                e.getKey() + "=" + value + " is not a commit id: give 7 hex digits or more");
          }
          newChecksum = Optional.of(value.toLowerCase(Locale.ROOT));
        }
        case "keep-git-dir" -> keep = Optional.of(bool(e.getKey(), value));
        case "submodules" -> modules = bool(e.getKey(), value);
        default ->
            throw new IllegalArgumentException("unknown query key '" + e.getKey() + "': " + KEYS);
      }
    }
    if (newRef.isEmpty() && newChecksum.isPresent()) {
      newRef = newChecksum.get();
    }
    return new GitRef(remote, newRef, newSubdir, newChecksum, keep, modules);
  }

  /** {@code value}, unless the fragment already said something else for {@code what}. */
  private static String agree(String what, String current, String value) {
    if (!current.isEmpty() && !current.equals(value)) {
      throw new IllegalArgumentException(
          what + " conflicts: \"" + current + "\" vs \"" + value + "\"; give it once");
    }
    return value;
  }

  private static String prefixed(String prefix, String name) {
    return name.startsWith(prefix) ? name : prefix + name;
  }

  /** A boolean as BuildKit reads one; a bare key is true. */
  private static boolean bool(String key, String value) {
    return value.isEmpty()
        || GoBool.parse(value)
            .orElseThrow(
                () -> new IllegalArgumentException(key + "=" + value + " is not true or false"));
  }

  private static String decode(String text) {
    try {
      return URLDecoder.decode(text, StandardCharsets.UTF_8);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("query part '" + text + "' is not URL-encoded text");
    }
  }

  /** Whether {@code source} names a git repository. */
  public static boolean isGit(String source) {
    int end = source.length();
    for (char c : new char[] {'#', '?'}) {
      int at = source.indexOf(c);
      end = at >= 0 ? Math.min(end, at) : end;
    }
    return isRemote(source.substring(0, end));
  }

  /** {@code text} with the credentials of URLs ({@code scheme://user:password@}) removed. */
  public static String redact(String text) {
    return text.replaceAll("([a-zA-Z0-9]+://)[^/@\\s]*@", "$1");
  }

  /** The remote without {@code user:password@}: safe to print and to key the cache by. */
  public String redactedRemote() {
    return redact(remote);
  }

  /** As the user wrote it, credentials removed: for messages. */
  public String display() {
    String fragment = ref.isEmpty() && subdir.isEmpty() ? "" : "#" + ref;
    if (!subdir.isEmpty()) {
      fragment += ":" + subdir;
    }
    return redactedRemote() + fragment;
  }
}

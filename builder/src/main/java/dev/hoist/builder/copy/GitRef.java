package dev.hoist.builder.copy;

import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * An ADD source that names a git repository, by BuildKit's rules (dfgitutil.ParseGitRef): {@code
 * git://} and {@code ssh://} URLs, scp-like {@code user@host:path}, and {@code http(s)://} URLs
 * whose path ends in {@code .git}; an optional {@code #ref:subdir} fragment picks a branch, tag or
 * commit and a directory inside the repository.
 *
 * @param remote the repository as git is given it, without the fragment
 * @param ref a branch, tag, full ref name or commit id; empty for the remote's HEAD
 * @param subdir a directory in the repository whose contents are added; empty for its root
 */
public record GitRef(String remote, String ref, String subdir) {
  private static final Pattern SCHEME = Pattern.compile("^([a-zA-Z0-9]+)://");
  // A host never starts with '-': ssh would read it as an option (CVE-2017-1000117).
  private static final Pattern SCP =
      Pattern.compile("^[A-Za-z0-9_.+-]+@[A-Za-z0-9][A-Za-z0-9_.-]*:.*");

  /** The git repository {@code source} names, or empty when it is a path or a plain URL. */
  public static Optional<GitRef> parse(String source) {
    if (source.startsWith("./") || source.startsWith("../")) {
      return Optional.empty();
    }
    int hash = source.indexOf('#');
    String remote = hash < 0 ? source : source.substring(0, hash);
    String fragment = hash < 0 ? "" : source.substring(hash + 1);
    Matcher scheme = SCHEME.matcher(remote);
    if (scheme.find()) {
      String proto = scheme.group(1).toLowerCase(Locale.ROOT);
      switch (proto) {
        case "git", "ssh" -> {}
        case "http", "https" -> {
          int query = remote.indexOf('?');
          String path = query < 0 ? remote : remote.substring(0, query);
          if (!path.endsWith(".git") && !path.endsWith(".git/")) {
            return Optional.empty();
          }
        }
        default -> {
          return Optional.empty();
        }
      }
    } else if (!SCP.matcher(remote).matches()) {
      return Optional.empty();
    }
    int colon = fragment.indexOf(':');
    String ref = colon < 0 ? fragment : fragment.substring(0, colon);
    String subdir = colon < 0 ? "" : fragment.substring(colon + 1);
    return Optional.of(new GitRef(remote, ref, subdir));
  }

  /** Whether {@code source} names a git repository. */
  public static boolean isGit(String source) {
    return parse(source).isPresent();
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

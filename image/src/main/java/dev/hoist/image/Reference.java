package dev.hoist.image;

import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * An image reference, normalised as Docker does: {@code busybox} is {@code
 * docker.io/library/busybox:latest}; {@code localhost:5000/a/b@sha256:…} keeps its registry and
 * digest; a reference may carry both a tag and a digest, in which case the digest decides what is
 * fetched.
 */
public record Reference(
    String registry, String repository, Optional<String> tag, Optional<Digest> digest) {
  public static final String DOCKER_HUB = "docker.io";
  public static final String DEFAULT_TAG = "latest";
  private static final int MAX_NAME = 255;

  private static final Pattern DOMAIN_COMPONENT =
      Pattern.compile("(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])");
  private static final Pattern DOMAIN =
      Pattern.compile(
          "(?:"
              + DOMAIN_COMPONENT
              + "(?:\\."
              + DOMAIN_COMPONENT
              + ")*|\\[[a-fA-F0-9:]+\\])(?::[0-9]+)?");
  private static final Pattern PATH_COMPONENT =
      Pattern.compile("[a-z0-9]+(?:(?:[._]|__|[-]+)[a-z0-9]+)*");
  private static final Pattern TAG = Pattern.compile("[\\w][\\w.-]{0,127}");
  private static final Pattern IDENTIFIER = Pattern.compile("[a-f0-9]{64}");

  public Reference {
    Objects.requireNonNull(registry, "registry");
    Objects.requireNonNull(repository, "repository");
    Objects.requireNonNull(tag, "tag");
    Objects.requireNonNull(digest, "digest");
  }

  /**
   * Parses and normalises a reference, with {@code latest} as the tag when it names neither tag nor
   * digest.
   *
   * @throws IllegalArgumentException naming what is wrong with the text
   */
  public static Reference parse(String text) {
    Objects.requireNonNull(text, "reference");
    if (text.isEmpty()) {
      throw invalid(text, "it is empty");
    }
    if (IDENTIFIER.matcher(text).matches()) {
      // Docker refuses these too: a bare 64-hex name is an image id, not a repository.
      throw invalid(
          text,
          "a 64-digit hex string is an image id, not a repository name; write sha256:"
              + text
              + " for an id or docker.io/library/"
              + text
              + " for a repository");
    }
    String rest = text;
    Optional<Digest> digest = Optional.empty();
    int at = rest.indexOf('@');
    if (at >= 0) {
      try {
        digest = Optional.of(Digest.parse(rest.substring(at + 1)));
      } catch (IllegalArgumentException e) {
        throw invalid(text, e.getMessage());
      }
      rest = rest.substring(0, at);
    }
    Optional<String> tag = Optional.empty();
    int colon = rest.lastIndexOf(':');
    if (colon > rest.lastIndexOf('/')) {
      String t = rest.substring(colon + 1);
      if (!TAG.matcher(t).matches()) {
        throw invalid(
            text,
            "tag '"
                + t
                + "' must be 1 to 128 letters, digits, '_', '.' or '-' and not start with '.' or '-'");
      }
      tag = Optional.of(t);
      rest = rest.substring(0, colon);
    }
    if (rest.isEmpty()) {
      throw invalid(text, "the repository name is empty");
    }
    String registry;
    String path;
    int slash = rest.indexOf('/');
    String first = slash < 0 ? rest : rest.substring(0, slash);
    boolean looksLikeHost =
        first.contains(".")
            || first.contains(":")
            || first.equals("localhost")
            || !first.equals(first.toLowerCase(Locale.ROOT));
    if (slash < 0 || !looksLikeHost) {
      registry = DOCKER_HUB;
      path = rest;
    } else {
      registry = first;
      path = rest.substring(slash + 1);
      if (!DOMAIN.matcher(registry).matches()) {
        throw invalid(text, "registry '" + registry + "' is not a valid host[:port]");
      }
    }
    // Docker folds only the legacy index name into docker.io (registry-1.docker.io is the API
    // host and stays a name of its own, as in Docker's normalisation).
    if (registry.equals("index.docker.io")) {
      registry = DOCKER_HUB;
    }
    if (registry.equals(DOCKER_HUB) && !path.contains("/")) {
      path = "library/" + path;
    }
    if (path.isEmpty()) {
      throw invalid(text, "the repository name is empty");
    }
    if (!path.equals(path.toLowerCase(Locale.ROOT))) {
      throw invalid(
          text,
          "repository name '"
              + path
              + "' must be lowercase (did you mean '"
              + path.toLowerCase(Locale.ROOT)
              + "'?)");
    }
    for (String component : path.split("/", -1)) {
      if (!PATH_COMPONENT.matcher(component).matches()) {
        throw invalid(
            text,
            "repository path component '"
                + component
                + "' must be lowercase letters and digits, separated by '.', '_', '__' or '-'");
      }
    }
    if (registry.length() + 1 + path.length() > MAX_NAME) {
      throw invalid(text, "the repository name is longer than " + MAX_NAME + " characters");
    }
    if (tag.isEmpty() && digest.isEmpty()) {
      tag = Optional.of(DEFAULT_TAG);
    }
    return new Reference(registry, path, tag, digest);
  }

  private static IllegalArgumentException invalid(String text, String why) {
    return new IllegalArgumentException("invalid image reference '" + text + "': " + why);
  }

  /** {@code registry/repository}, without tag or digest. */
  public String name() {
    return registry + "/" + repository;
  }

  /** What to ask the registry for: the digest when there is one, else the tag. */
  public String identifier() {
    return digest.map(Digest::toString).orElseGet(() -> tag.orElse(DEFAULT_TAG));
  }

  public Reference withTag(String newTag) {
    return parse(name() + ":" + newTag);
  }

  public Reference withDigest(Digest newDigest) {
    return new Reference(registry, repository, tag, Optional.of(newDigest));
  }

  /** This reference without its tag or digest replaced by {@code digest} alone. */
  public Reference byDigest(Digest newDigest) {
    return new Reference(registry, repository, Optional.empty(), Optional.of(newDigest));
  }

  /**
   * The short form Docker shows: {@code busybox:latest}, {@code acme/app:1}, {@code ghcr.io/…};
   * {@code library/} is dropped only from a one-component Docker Hub name, as Docker does ({@code
   * docker.io/library/a/b} stays {@code library/a/b}).
   */
  public String familiar() {
    String n = name();
    if (registry.equals(DOCKER_HUB)) {
      n = repository;
      if (n.startsWith("library/") && n.indexOf('/', 8) < 0) {
        n = n.substring(8);
      }
    }
    return n + tag.map(t -> ":" + t).orElse("") + digest.map(d -> "@" + d).orElse("");
  }

  /** The full normalised form, {@code docker.io/library/busybox:latest}. */
  @Override
  public String toString() {
    return name() + tag.map(t -> ":" + t).orElse("") + digest.map(d -> "@" + d).orElse("");
  }

  // equals and hashCode are written out: a record's generated ones are linked through
  // invokedynamic on first use, which costs milliseconds of every hoist start (JFR) for the
  // value types every command compares.
  @Override
  public boolean equals(Object o) {
    return o instanceof Reference r
        && registry.equals(r.registry)
        && repository.equals(r.repository)
        && tag.equals(r.tag)
        && digest.equals(r.digest);
  }

  @Override
  public int hashCode() {
    return Objects.hash(registry, repository, tag, digest);
  }
}

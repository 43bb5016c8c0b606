package dev.hoist.image;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * An image config (OCI, which Docker's is a superset of): platform, how a container runs, the
 * layers' diff ids and the history. Keeps the exact bytes it was read from or written as: its
 * digest is the image id.
 */
public final class ImageConfig {
  private final byte[] raw;
  private final Optional<Instant> created;
  private final Optional<String> author;
  private final Platform platform;
  private final ContainerConfig config;
  private final List<Digest> diffIds;
  private final List<History> history;
  private final Digest digest;

  private ImageConfig(
      byte[] raw,
      Optional<Instant> created,
      Optional<String> author,
      Platform platform,
      ContainerConfig config,
      List<Digest> diffIds,
      List<History> history) {
    this.raw = raw;
    this.created = created;
    this.author = author;
    this.platform = platform;
    this.config = config;
    this.diffIds = List.copyOf(diffIds);
    this.history = List.copyOf(history);
    this.digest = Digest.sha256(raw);
  }

  /** A config with no layers and an empty container config: {@code FROM scratch}. */
  public static ImageConfig scratch(Platform platform) {
    return new Builder(platform).build();
  }

  /**
   * Parses config bytes, keeping them exactly. Fields hoist reads must have their JSON types (as
   * Go's decoder, and so Docker, requires); unknown fields are kept in the raw bytes only.
   *
   * @throws InvalidImageJsonException naming the field that is wrong
   */
  public static ImageConfig parse(byte[] raw) {
    JsonNode n = ImageJson.read(raw, "image config");
    return ImageJson.in("image config", () -> parse(raw, n));
  }

  private static ImageConfig parse(byte[] raw, JsonNode n) {
    Platform platform =
        new Platform(
            ImageJson.text(n, "os").orElse("linux"),
            ImageJson.text(n, "architecture").orElse("amd64"),
            ImageJson.text(n, "variant"),
            ImageJson.text(n, "os.version"),
            ImageJson.strings(n, "os.features").orElse(List.of()));
    ContainerConfig config =
        ImageJson.object(n, "config")
            .map(c -> ImageJson.in("in 'config'", () -> containerConfig(c)))
            .orElse(ContainerConfig.EMPTY);
    List<Digest> diffIds = new ArrayList<>();
    Optional<JsonNode> rootfs = ImageJson.object(n, "rootfs");
    if (rootfs.isPresent()) {
      ImageJson.text(rootfs.get(), "type");
      for (String d : ImageJson.strings(rootfs.get(), "diff_ids").orElse(List.of())) {
        try {
          diffIds.add(Digest.parse(d));
        } catch (IllegalArgumentException e) {
          throw new InvalidImageJsonException("rootfs.diff_ids: " + e.getMessage(), e);
        }
      }
    }
    List<History> history = new ArrayList<>();
    for (JsonNode h : ImageJson.objects(n, "history")) {
      history.add(
          ImageJson.in(
              "in 'history'",
              () ->
                  new History(
                      time(h, "created"),
                      ImageJson.text(h, "created_by"),
                      ImageJson.text(h, "author"),
                      ImageJson.text(h, "comment"),
                      ImageJson.bool(h, "empty_layer").orElse(false))));
    }
    return new ImageConfig(
        raw.clone(),
        time(n, "created"),
        ImageJson.text(n, "author"),
        platform,
        config,
        diffIds,
        history);
  }

  private static Optional<Instant> time(JsonNode n, String field) {
    Optional<String> text = ImageJson.text(n, field);
    try {
      return text.map(Instant::parse);
    } catch (DateTimeParseException e) {
      try {
        // RFC 3339 allows an offset other than Z, which Instant.parse refuses.
        return text.map(t -> java.time.OffsetDateTime.parse(t).toInstant());
      } catch (DateTimeParseException e2) {
        return Optional.empty(); // some tools write odd dates; the raw bytes keep them
      }
    }
  }

  private static ContainerConfig containerConfig(JsonNode c) {
    Optional<Healthcheck> healthcheck =
        ImageJson.object(c, "Healthcheck")
            .map(
                h ->
                    ImageJson.in(
                        "in 'Healthcheck'",
                        () ->
                            new Healthcheck(
                                ImageJson.strings(h, "Test").orElse(List.of()),
                                nanos(h, "Interval"),
                                nanos(h, "Timeout"),
                                nanos(h, "StartPeriod"),
                                nanos(h, "StartInterval"),
                                ImageJson.integer(h, "Retries").map(Long::intValue))));
    return new ContainerConfig(
        ImageJson.text(c, "User").filter(s -> !s.isEmpty()),
        new java.util.TreeSet<>(ImageJson.keySet(c, "ExposedPorts")),
        ImageJson.strings(c, "Env").orElse(List.of()),
        ImageJson.strings(c, "Entrypoint"),
        ImageJson.strings(c, "Cmd"),
        new java.util.TreeSet<>(ImageJson.keySet(c, "Volumes")),
        ImageJson.text(c, "WorkingDir").filter(s -> !s.isEmpty()),
        ImageJson.stringMap(c, "Labels"),
        ImageJson.text(c, "StopSignal").filter(s -> !s.isEmpty()),
        ImageJson.bool(c, "ArgsEscaped"),
        healthcheck,
        ImageJson.strings(c, "OnBuild").orElse(List.of()),
        ImageJson.strings(c, "Shell"));
  }

  /** A Go {@code time.Duration}: integer nanoseconds; 0 means "the default", as in Docker. */
  private static Optional<Duration> nanos(JsonNode n, String field) {
    return ImageJson.integer(n, field).filter(v -> v != 0).map(Duration::ofNanos);
  }

  public byte[] raw() {
    return raw.clone();
  }

  /** The config's digest: the image id. */
  public Digest digest() {
    return digest;
  }

  public long size() {
    return raw.length;
  }

  public Optional<Instant> created() {
    return created;
  }

  public Optional<String> author() {
    return author;
  }

  public Platform platform() {
    return platform;
  }

  public ContainerConfig config() {
    return config;
  }

  public List<Digest> diffIds() {
    return diffIds;
  }

  public List<History> history() {
    return history;
  }

  public Builder toBuilder() {
    return new Builder(this);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof ImageConfig c && Arrays.equals(raw, c.raw);
  }

  @Override
  public int hashCode() {
    return Objects.hash(digest);
  }

  @Override
  public String toString() {
    return "ImageConfig[" + digest + "]";
  }

  /** Builds a new config; every change gives new bytes and so a new image id. */
  public static final class Builder {
    private Optional<Instant> created = Optional.empty();
    private Optional<String> author = Optional.empty();
    private Platform platform;
    private ContainerConfig config = ContainerConfig.EMPTY;
    private final List<Digest> diffIds = new ArrayList<>();
    private final List<History> history = new ArrayList<>();

    public Builder(Platform platform) {
      this.platform = Objects.requireNonNull(platform, "platform");
    }

    private Builder(ImageConfig c) {
      created = c.created;
      author = c.author;
      platform = c.platform;
      config = c.config;
      diffIds.addAll(c.diffIds);
      history.addAll(c.history);
    }

    public Builder created(Optional<Instant> v) {
      created = v;
      return this;
    }

    public Builder author(Optional<String> v) {
      author = v;
      return this;
    }

    public Builder platform(Platform v) {
      platform = v;
      return this;
    }

    public Builder config(ContainerConfig v) {
      config = Objects.requireNonNull(v);
      return this;
    }

    public ContainerConfig config() {
      return config;
    }

    /** Appends a layer and the history entry that made it. */
    public Builder addLayer(Digest diffId, History entry) {
      diffIds.add(diffId);
      history.add(entry);
      return this;
    }

    /** Appends a history entry for a step that changed only the config. */
    public Builder addHistory(History entry) {
      history.add(entry);
      return this;
    }

    public ImageConfig build() {
      ObjectNode n = ImageJson.NODES.objectNode();
      created.ifPresent(t -> n.put("created", t.toString()));
      author.ifPresent(a -> n.put("author", a));
      n.put("architecture", platform.architecture());
      platform.variant().ifPresent(v -> n.put("variant", v));
      n.put("os", platform.os());
      platform.osVersion().ifPresent(v -> n.put("os.version", v));
      if (!platform.osFeatures().isEmpty()) {
        n.set("os.features", ImageJson.array(platform.osFeatures()));
      }
      n.set("config", containerNode(config));
      ObjectNode rootfs = n.putObject("rootfs");
      rootfs.put("type", "layers");
      rootfs.set("diff_ids", ImageJson.array(diffIds.stream().map(Digest::toString).toList()));
      if (!history.isEmpty()) {
        ArrayNode hs = n.putArray("history");
        for (History h : history) {
          ObjectNode e = hs.addObject();
          h.created().ifPresent(t -> e.put("created", t.toString()));
          h.createdBy().ifPresent(v -> e.put("created_by", v));
          h.author().ifPresent(v -> e.put("author", v));
          h.comment().ifPresent(v -> e.put("comment", v));
          if (h.emptyLayer()) {
            e.put("empty_layer", true);
          }
        }
      }
      return new ImageConfig(
          ImageJson.write(n), created, author, platform, config, diffIds, history);
    }

    private static ObjectNode containerNode(ContainerConfig c) {
      ObjectNode n = ImageJson.NODES.objectNode();
      c.user().ifPresent(v -> n.put("User", v));
      ImageJson.putKeySet(n, "ExposedPorts", c.exposedPorts());
      if (!c.env().isEmpty()) {
        n.set("Env", ImageJson.array(c.env()));
      }
      c.entrypoint().ifPresent(v -> n.set("Entrypoint", ImageJson.array(v)));
      c.cmd().ifPresent(v -> n.set("Cmd", ImageJson.array(v)));
      ImageJson.putKeySet(n, "Volumes", c.volumes());
      c.workingDir().ifPresent(v -> n.put("WorkingDir", v));
      ImageJson.putMap(n, "Labels", c.labels());
      c.stopSignal().ifPresent(v -> n.put("StopSignal", v));
      c.argsEscaped().ifPresent(v -> n.put("ArgsEscaped", v));
      c.healthcheck().ifPresent(h -> n.set("Healthcheck", healthNode(h)));
      if (!c.onBuild().isEmpty()) {
        n.set("OnBuild", ImageJson.array(c.onBuild()));
      }
      c.shell().ifPresent(v -> n.set("Shell", ImageJson.array(v)));
      return n;
    }

    private static ObjectNode healthNode(Healthcheck h) {
      ObjectNode n = ImageJson.NODES.objectNode();
      n.set("Test", ImageJson.array(h.test()));
      h.interval().ifPresent(d -> n.put("Interval", d.toNanos()));
      h.timeout().ifPresent(d -> n.put("Timeout", d.toNanos()));
      h.startPeriod().ifPresent(d -> n.put("StartPeriod", d.toNanos()));
      h.startInterval().ifPresent(d -> n.put("StartInterval", d.toNanos()));
      h.retries().ifPresent(r -> n.put("Retries", r));
      return n;
    }
  }
}

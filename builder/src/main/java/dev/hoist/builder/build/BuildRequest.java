package dev.hoist.builder.build;

import dev.hoist.builder.plan.BuildOptions;
import dev.hoist.builder.ssh.SshSource;
import dev.hoist.image.Compression;
import dev.hoist.image.Reference;
import dev.hoist.runtime.HostEntry;
import dev.hoist.runtime.Network;
import dev.hoist.runtime.Ulimit;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * One {@code hoist build}: what to build and how, as {@code docker build}'s options say it.
 *
 * @param context the build context directory; empty for a Dockerfile read from stdin alone
 * @param dockerfileName the name used in messages, e.g. {@code Dockerfile}
 * @param dockerfile the Dockerfile's bytes
 * @param dockerfilePath where the Dockerfile lives, to find {@code Dockerfile.dockerignore}
 * @param plan build args, target, platforms
 * @param tags names to give the result; none keeps it by id only
 * @param noCache run every step even when the cache has it
 * @param pull look base images up in their registry even when stored
 * @param labels extra labels ({@code --label}) set on the result
 * @param secrets {@code --secret} values by id, for {@code RUN --mount=type=secret}
 * @param network the default network of RUN steps
 * @param extraHosts {@code --add-host} entries for RUN steps
 * @param sourceDateEpoch {@code SOURCE_DATE_EPOCH}: timestamps clamped for reproducible images
 * @param compression how new layers are compressed
 * @param cacheFrom registry caches to read step results from ({@code --cache-from})
 * @param cacheTo registry cache to write this build's step results to ({@code --cache-to})
 * @param noCacheStages {@code --no-cache-filter}: stages (by name, lower-cased) whose steps run
 *     without reading the cache
 * @param annotations {@code --annotation}: set on the image manifest
 * @param shmBytes {@code --shm-size}: the size of /dev/shm in RUN steps
 * @param ulimits {@code --ulimit}: resource limits of RUN steps
 * @param contexts {@code --build-context} values by {@link dev.hoist.builder.plan.ContextNames#key}
 * @param ssh {@code --ssh}: the agents RUN --mount=type=ssh can reach, by id
 */
public record BuildRequest(
    Optional<Path> context,
    String dockerfileName,
    byte[] dockerfile,
    Optional<Path> dockerfilePath,
    BuildOptions plan,
    List<Reference> tags,
    boolean noCache,
    boolean pull,
    Map<String, String> labels,
    Map<String, Secret> secrets,
    Network network,
    List<HostEntry> extraHosts,
    Optional<Instant> sourceDateEpoch,
    Compression compression,
    List<Reference> cacheFrom,
    Optional<Reference> cacheTo,
    Set<String> noCacheStages,
    Map<String, String> annotations,
    long shmBytes,
    List<Ulimit> ulimits,
    Map<String, NamedContext> contexts,
    Map<String, SshSource> ssh) {

  /** A {@code --secret}: the file it is read from, or its bytes from an environment variable. */
  public record Secret(String id, Optional<Path> file, Optional<byte[]> value) {
    public Secret {
      Objects.requireNonNull(id, "id");
      if (file.isEmpty() == value.isEmpty()) {
        throw new IllegalArgumentException("secret " + id + " needs exactly one of src= or env=");
      }
    }
  }

  public BuildRequest {
    Objects.requireNonNull(context, "context");
    Objects.requireNonNull(dockerfileName, "dockerfileName");
    dockerfile = dockerfile.clone();
    Objects.requireNonNull(dockerfilePath, "dockerfilePath");
    Objects.requireNonNull(plan, "plan");
    tags = List.copyOf(tags);
    labels = Map.copyOf(labels);
    secrets = Map.copyOf(secrets);
    Objects.requireNonNull(network, "network");
    extraHosts = List.copyOf(extraHosts);
    Objects.requireNonNull(sourceDateEpoch, "sourceDateEpoch");
    Objects.requireNonNull(compression, "compression");
    cacheFrom = List.copyOf(cacheFrom);
    Objects.requireNonNull(cacheTo, "cacheTo");
    noCacheStages = Set.copyOf(noCacheStages);
    annotations = Map.copyOf(annotations);
    ulimits = List.copyOf(ulimits);
    contexts = Map.copyOf(contexts);
    ssh = Map.copyOf(ssh);
  }
}

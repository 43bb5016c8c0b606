package dev.hoist.testkit.compat;

import dev.hoist.testkit.BusyboxRootfs;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import java.util.zip.GZIPOutputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.archivers.tar.TarConstants;

/**
 * The busybox base image of the differential harness, as an OCI layout directory with the tag
 * {@code latest}: {@link BusyboxRootfs} in one gzip layer (sorted, mtimes 0, numeric owners),
 * config Env PATH and Cmd ["sh"]. The golden generator (bench/compat/run.sh) and the CI test both
 * make it with this class and push it with skopeo, so the golden files never depend on how a base
 * was made.
 */
public final class CompatBaseImage {
  static final String PATH_ENV =
      "PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";

  private CompatBaseImage() {}

  /** Writes the layout to {@code out} (created), using {@code work} for the rootfs. */
  public static Path write(Path out, Path work) throws IOException {
    Path rootfs = BusyboxRootfs.create(work.resolve("busybox-rootfs"));
    // The mount points of a container, as Debian's and Docker Hub's base images have them: without
    // them every RUN step of BuildKit and Buildah leaves them in its layer, and one artefact would
    // show in every case (run-on-base-without-mount-points covers it once).
    for (String dir : List.of("dev", "proc", "sys")) {
      Files.setPosixFilePermissions(
          Files.createDirectories(rootfs.resolve(dir)),
          PosixFilePermissions.fromString("rwxr-xr-x"));
    }
    byte[] tar = tar(rootfs);
    byte[] layer = gzip(tar);
    String config =
        "{\"architecture\":\""
            + architecture()
            + "\",\"os\":\"linux\","
            + "\"config\":{\"Env\":[\""
            + PATH_ENV
            + "\"],\"Cmd\":[\"sh\"]},"
            + "\"rootfs\":{\"type\":\"layers\",\"diff_ids\":[\""
            + sha256(tar)
            + "\"]},"
            + "\"history\":[{\"created\":\"1970-01-01T00:00:00Z\","
            + "\"created_by\":\"busybox-static (hoist testkit CompatBaseImage)\"}]}";
    byte[] configBytes = config.getBytes(StandardCharsets.UTF_8);
    String manifest =
        "{\"schemaVersion\":2,\"mediaType\":\"application/vnd.oci.image.manifest.v1+json\","
            + "\"config\":"
            + descriptor("application/vnd.oci.image.config.v1+json", configBytes)
            + ",\"layers\":["
            + descriptor("application/vnd.oci.image.layer.v1.tar+gzip", layer)
            + "]}";
    byte[] manifestBytes = manifest.getBytes(StandardCharsets.UTF_8);
    Path blobs = Files.createDirectories(out.resolve("blobs/sha256"));
    for (byte[] blob : List.of(layer, configBytes, manifestBytes)) {
      Files.write(blobs.resolve(sha256(blob).substring("sha256:".length())), blob);
    }
    Files.writeString(out.resolve("oci-layout"), "{\"imageLayoutVersion\":\"1.0.0\"}");
    String manifestDescriptor =
        descriptor("application/vnd.oci.image.manifest.v1+json", manifestBytes);
    Files.writeString(
        out.resolve("index.json"),
        "{\"schemaVersion\":2,\"manifests\":["
            + manifestDescriptor.substring(0, manifestDescriptor.length() - 1)
            + ",\"annotations\":{\"org.opencontainers.image.ref.name\":\"latest\"}}]}");
    return out;
  }

  private static String architecture() {
    String arch = System.getProperty("os.arch");
    return Map.of("amd64", "amd64", "x86_64", "amd64", "aarch64", "arm64").getOrDefault(arch, arch);
  }

  private static String descriptor(String mediaType, byte[] blob) {
    return "{\"mediaType\":\""
        + mediaType
        + "\",\"digest\":\""
        + sha256(blob)
        + "\",\"size\":"
        + blob.length
        + "}";
  }

  private static byte[] tar(Path rootfs) throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (TarArchiveOutputStream tar = new TarArchiveOutputStream(bytes);
        Stream<Path> walk = Files.walk(rootfs)) {
      tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
      for (Path p : (Iterable<Path>) walk.sorted()::iterator) {
        if (p.equals(rootfs)) {
          continue;
        }
        String name = rootfs.relativize(p).toString();
        Map<String, Object> a =
            Files.readAttributes(p, "unix:mode,uid,gid", LinkOption.NOFOLLOW_LINKS);
        TarArchiveEntry e;
        if (Files.isSymbolicLink(p)) {
          e = new TarArchiveEntry(name, TarConstants.LF_SYMLINK);
          e.setLinkName(Files.readSymbolicLink(p).toString());
        } else if (Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS)) {
          e = new TarArchiveEntry(name + "/");
        } else {
          e = new TarArchiveEntry(name);
          e.setSize(Files.size(p));
        }
        e.setMode((Integer) a.get("mode") & 07777);
        e.setUserId((Integer) a.get("uid"));
        e.setGroupId((Integer) a.get("gid"));
        e.setModTime(FileTime.fromMillis(0));
        tar.putArchiveEntry(e);
        if (Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS)) {
          Files.copy(p, tar);
        }
        tar.closeArchiveEntry();
      }
    }
    return bytes.toByteArray();
  }

  private static byte[] gzip(byte[] data) throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (OutputStream gz = new GZIPOutputStream(bytes)) {
      gz.write(data);
    }
    return bytes.toByteArray();
  }

  private static String sha256(byte[] data) {
    try {
      return "sha256:"
          + HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(data));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}

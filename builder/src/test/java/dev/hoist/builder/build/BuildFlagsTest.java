package dev.hoist.builder.build;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.hoist.builder.cli.HoistRunner;
import dev.hoist.image.Reference;
import dev.hoist.store.Store;
import dev.hoist.store.StoredImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@code docker buildx build} options that hoist honours as BuildKit does: pushing outputs, {@code
 * --metadata-file}, {@code --annotation}, {@code --no-cache-filter}, {@code --shm-size}, {@code
 * --ulimit} and {@code --call check}, each through the real CLI, a real registry and real RUN
 * steps.
 */
class BuildFlagsTest {
  @RegisterExtension static final BusyboxRegistry base = new BusyboxRegistry();
  @TempDir Path tmp;

  private HoistRunner.Result build(Path context, String... extra) {
    return base.build(tmp.resolve("store"), context, extra);
  }

  private String fileIn(String image, String path) throws IOException {
    try (Store store = Store.open(tmp.resolve("store"))) {
      StoredImage built = store.resolve(image);
      Path fs = BuildFixtures.unpack(store, built, Files.createTempDirectory(tmp, "fs-"));
      return Files.readString(fs.resolve(path));
    }
  }

  @Test
  void outputTypeRegistry_pushesTheNamedImageWithItsAnnotations_andTheMetadataFileNamesIt()
      throws Exception {
    Path context = BuildFixtures.context(tmp.resolve("ctx"), "COPY Dockerfile /x\n");
    String name = base.registry().host() + "/flags/app:1";
    Path metadata = tmp.resolve("meta.json");

    HoistRunner.Result r =
        build(
            context,
            "-o",
            "type=registry,name=" + name,
            "--annotation",
            "org.opencontainers.image.title=app",
            "--annotation",
            "manifest:org.example.kind=demo",
            "--metadata-file",
            metadata.toString());

    assertEquals(0, r.status(), r.stderr());
    JsonNode pushed =
        new ObjectMapper()
            .readTree(
                BuildFixtures.command(
                    "skopeo", "inspect", "--tls-verify=false", "--raw", "docker://" + name));
    assertEquals("app", pushed.path("annotations").path("org.opencontainers.image.title").asText());
    assertEquals("demo", pushed.path("annotations").path("org.example.kind").asText());
    JsonNode meta = new ObjectMapper().readTree(metadata.toFile());
    String digest =
        BuildFixtures.command(
                "skopeo",
                "inspect",
                "--tls-verify=false",
                "--format",
                "{{.Digest}}",
                "docker://" + name)
            .strip();
    assertEquals(digest, meta.path("containerimage.digest").asText());
    assertEquals(digest, meta.path("containerimage.descriptor").path("digest").asText());
    assertEquals(
        "application/vnd.oci.image.manifest.v1+json",
        meta.path("containerimage.descriptor").path("mediaType").asText());
    assertEquals(Reference.parse(name).toString(), meta.path("image.name").asText());
    try (Store store = Store.open(tmp.resolve("store"))) {
      assertEquals(
          store.resolve(name).config().digest().toString(),
          meta.path("containerimage.config.digest").asText());
    }
  }

  @Test
  void outputImageWithPushTrue_pushesLikePush() throws Exception {
    Path context = BuildFixtures.context(tmp.resolve("ctx"), "COPY Dockerfile /x\n");
    String name = base.registry().host() + "/flags/image-push:1";

    HoistRunner.Result r = build(context, "-t", name, "-o", "type=image,push=true");

    assertEquals(0, r.status(), r.stderr());
    assertTrue(r.stderr().contains("pushed " + name + "@sha256:"), r.stderr());
  }

  @Test
  void anOutputKeyHoistDoesNotHonour_isRefusedInOneLine_andAFailedBuildWritesNoMetadata()
      throws IOException {
    Path context = BuildFixtures.context(tmp.resolve("ctx"), "COPY Dockerfile /x\n");
    Path metadata = tmp.resolve("meta.json");

    HoistRunner.Result refused = build(context, "-o", "type=image,oci-mediatypes=true");
    HoistRunner.Result stdout = build(context, "-o", "type=tar,dest=-");
    HoistRunner.Result failed =
        build(
            BuildFixtures.context(tmp.resolve("bad"), "COPY missing /x\n"),
            "--metadata-file",
            metadata.toString());

    assertEquals(1, refused.status(), refused.stderr());
    assertEquals(
        "hoist: --output type=image takes name, push, type; hoist does not support"
            + " 'oci-mediatypes': remove it",
        refused.stderr().strip());
    assertEquals(1, stdout.status(), stdout.stderr());
    assertEquals(
        "hoist: --output to - (stdout) is not supported by hoist: give dest=FILE or a directory",
        stdout.stderr().strip());
    assertEquals(1, failed.status(), failed.stderr());
    assertFalse(Files.exists(metadata));
  }

  @Test
  void noCacheFilter_rebuildsTheNamedStage_andTakesTheOthersFromTheCache() throws IOException {
    Path context = Files.createDirectories(tmp.resolve("ctx"));
    Files.writeString(
        context.resolve("Dockerfile"),
        "ARG BASE\n"
            + "FROM ${BASE} AS first\n"
            + "RUN cat /proc/sys/kernel/random/uuid > /a\n"
            + "FROM ${BASE} AS Second\n"
            + "COPY --from=first /a /a\n"
            + "RUN cat /proc/sys/kernel/random/uuid > /b\n");

    assertEquals(0, build(context, "-t", "nc:1").status());
    String a1 = fileIn("nc:1", "a");
    String b1 = fileIn("nc:1", "b");
    HoistRunner.Result again = build(context, "-t", "nc:2", "--no-cache-filter", "second");

    assertEquals(0, again.status(), again.stderr());
    assertEquals(a1, fileIn("nc:2", "a"), "stage first came from the cache");
    assertNotEquals(b1, fileIn("nc:2", "b"), "stage second ran again");
  }

  @ParameterizedTest
  @ValueSource(strings = {"chroot", "oci"})
  void shmSizeAndUlimit_applyToRunSteps(String isolation) throws IOException {
    Path context =
        BuildFixtures.context(
            tmp.resolve("ctx"),
            "RUN ulimit -Sn > /limits && ulimit -Hn >> /limits && ulimit -Su >> /limits"
                + " && df -k /dev/shm | tail -1 > /shm\n");

    HoistRunner.Result r =
        build(
            context,
            "--isolation",
            isolation,
            "-t",
            "limits:1",
            "--shm-size",
            "96m",
            "--ulimit",
            "nofile=1001:2002",
            "--ulimit",
            "nproc=333");

    assertEquals(0, r.status(), r.stderr());
    assertEquals("1001\n2002\n333\n", fileIn("limits:1", "limits"));
    String shm = fileIn("limits:1", "shm");
    assertTrue(shm.matches("shm\\s+98304\\s.*\\n"), shm);
  }

  @Test
  void check_printsEachWarningWithItsLine_exits1_andBuildsNothing() throws IOException {
    Path context = BuildFixtures.context(tmp.resolve("ctx"), "ENV GREETING=$UNSET\n");
    Path clean = BuildFixtures.context(tmp.resolve("clean"), "ENV GREETING=hi\n");

    HoistRunner.Result warned = build(context, "--call", "check", "-t", "checked:1");
    HoistRunner.Result fine = build(clean, "--check");
    Path skipping = Files.createDirectories(tmp.resolve("skipping"));
    Files.writeString(
        skipping.resolve("Dockerfile"),
        "# check=skip=UndefinedVar\n" + Files.readString(context.resolve("Dockerfile")));
    HoistRunner.Result skipped = build(skipping, "--check");

    assertEquals(1, warned.status(), warned.stderr());
    assertTrue(
        warned.stdout().contains("WARNING: UndefinedVar - usage of undefined variable '$UNSET'"),
        warned.stdout());
    assertTrue(warned.stdout().contains("Dockerfile:3"), warned.stdout());
    assertTrue(
        warned.stdout().endsWith("Check complete, 1 warning has been found!\n"), warned.stdout());
    assertEquals(0, fine.status(), fine.stdout() + fine.stderr());
    assertEquals("Check complete, no warnings found.\n", fine.stdout());
    assertEquals(0, skipped.status(), "# check=skip= is honoured: " + skipped.stdout());
    try (Store store = Store.open(tmp.resolve("store"))) {
      assertTrue(store.find(Reference.parse("checked:1")).isEmpty(), "a check builds nothing");
    }
  }

  @Test
  void aSecretOfTypeEnv_readsTheVariableItsSrcNames_asBuildx() throws IOException {
    Path context =
        BuildFixtures.context(
            tmp.resolve("ctx"), "RUN --mount=type=secret,id=tok cat /run/secrets/tok > /seen\n");

    HoistRunner.Result r =
        HoistRunner.inStore(
            java.util.Map.of("TOKEN_VAR", "s3cret"),
            tmp.resolve("store"),
            BuildFixtures.buildArgs(
                base.busybox(),
                "--secret",
                "type=env,id=tok,src=TOKEN_VAR",
                "-t",
                "secret:1",
                context.toString()));

    assertEquals(0, r.status(), r.stderr());
    assertEquals("s3cret", fileIn("secret:1", "seen"));
  }

  @Test
  void cacheOptionsHoistCannotHonour_areRefusedInOneLine() throws IOException {
    Path context = BuildFixtures.context(tmp.resolve("ctx"), "COPY Dockerfile /x\n");
    String ref = base.registry().host() + "/cache/x:1";

    HoistRunner.Result min = build(context, "--cache-to", "type=registry,ref=" + ref + ",mode=min");
    HoistRunner.Result local = build(context, "--cache-from", "type=local,src=/tmp/cache");

    assertEquals(1, min.status(), min.stderr());
    assertTrue(min.stderr().contains("does not support mode=min"), min.stderr());
    assertEquals(1, local.status(), local.stderr());
    assertEquals(
        "hoist: --cache-from type=local is not supported by hoist: use type=registry,ref=REF",
        local.stderr().strip());
  }
}

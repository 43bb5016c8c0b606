package dev.hoist.builder.build;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.hoist.builder.cli.HoistRunner;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** Config keys as Docker 20.10's BuildKit wrote them for the same Dockerfiles on this machine. */
class ConfigFidelityBuildTest {
  @RegisterExtension static final BusyboxRegistry REGISTRY = new BusyboxRegistry();
  @TempDir Path tmp;

  private HoistRunner.Result build(String dockerfile) throws IOException {
    Path ctx = Files.createDirectories(tmp.resolve("ctx"));
    Files.writeString(
        ctx.resolve("Dockerfile"), dockerfile.replace("BASE", REGISTRY.busybox().toString()));
    return HoistRunner.inStore(tmp.resolve("store"), "build", "-q", "-t", "cfg:1", ctx.toString());
  }

  @Test
  void cmdSetsArgsEscaped_andExposeRangesNameEachPort() throws IOException {
    HoistRunner.Result r =
        build("FROM BASE\nCMD echo hi\nEXPOSE 8000-8002 127.0.0.1:9090:90/UDP 80/\n");
    assertEquals(0, r.status(), r.stderr());
    String config = HoistRunner.inStore(tmp.resolve("store"), "inspect", "cfg:1").stdout();
    assertTrue(config.replace(" ", "").contains("\"ArgsEscaped\":true"), config);
    assertTrue(
        config
            .replace(" ", "")
            .replace("\n", "")
            .contains(
                "\"ExposedPorts\":{\"80/tcp\":{},\"8000/tcp\":{},\"8001/tcp\":{},\"8002/tcp\":{},"
                    + "\"90/udp\":{}}"),
        config);
  }

  @Test
  void exposeOfWhatIsNotAPort_failsInOneLine() throws IOException {
    HoistRunner.Result r = build("FROM BASE\nEXPOSE 99999\n");
    assertEquals(1, r.status());
    assertEquals("hoist: Dockerfile:2: Invalid containerPort: 99999", r.stderr().strip());
  }
}

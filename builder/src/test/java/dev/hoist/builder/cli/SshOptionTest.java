package dev.hoist.builder.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.hoist.builder.ssh.SshSource;
import dev.hoist.builder.ssh.SshTools;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SshOptionTest {
  @TempDir Path tmp;

  @Test
  void default_isTheAgentAtSshAuthSock() throws IOException {
    Path sock = tmp.resolve("agent.sock");
    try (ServerSocketChannel s = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
      s.bind(UnixDomainSocketAddress.of(sock));
      assertEquals(
          Map.of("default", new SshSource.AgentSocket(sock)),
          SshOption.parse(List.of("default"), Map.of("SSH_AUTH_SOCK", sock.toString()), tmp));
      assertEquals(
          Map.of("gh", new SshSource.AgentSocket(sock)),
          SshOption.parse(List.of("gh=agent.sock"), Map.of(), tmp));
    }
  }

  @Test
  void keyFiles_areServedByHoist() throws IOException {
    Path a = SshTools.keygen(tmp, "ed25519");
    Path b = SshTools.keygen(tmp, "rsa");
    assertEquals(
        Map.of("default", new SshSource.KeyFiles(List.of(a, b))),
        SshOption.parse(List.of("default=id_ed25519,id_rsa"), Map.of(), tmp));
  }

  @Test
  void noAgentAndBadKeys_areOneLineNamingTheOption() {
    IllegalArgumentException noAgent =
        assertThrows(
            IllegalArgumentException.class,
            () -> SshOption.parse(List.of("default"), Map.of(), tmp));
    assertTrue(noAgent.getMessage().startsWith("--ssh default: SSH_AUTH_SOCK is not set"));
    IllegalArgumentException missing =
        assertThrows(
            IllegalArgumentException.class,
            () -> SshOption.parse(List.of("x=nokey"), Map.of(), tmp));
    assertEquals(
        "--ssh x=nokey: ssh key " + tmp.resolve("nokey") + " does not exist", missing.getMessage());
  }
}

package dev.hoist.builder.ssh;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The agent socket hoist gives a step, checked with OpenSSH's own ssh-add and ssh-keygen. */
class AgentServerTest {
  @TempDir Path tmp;

  private static Map<String, String> agentEnv(AgentServer agent) {
    return Map.of("SSH_AUTH_SOCK", agent.socket().toString());
  }

  @Test
  void keyFiles_areListedAsSshAddListsThem() throws IOException {
    List<Path> keys =
        List.of(
            SshTools.keygen(tmp, "ed25519"),
            SshTools.keygen(tmp, "rsa"),
            SshTools.keygen(tmp, "ecdsa"));
    StringBuilder expected = new StringBuilder();
    for (Path k : keys) {
      expected.append(SshTools.run(Map.of(), "ssh-keygen", "-lf", k + ".pub"));
    }
    try (AgentServer agent =
        AgentServer.start(new SshSource.KeyFiles(keys), tmp.resolve("agent.sock"))) {
      String listed = SshTools.run(agentEnv(agent), "ssh-add", "-l");
      assertEquals(
          SshTools.fingerprints(expected.toString()), SshTools.fingerprints(listed), listed);
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"ed25519", "rsa", "ecdsa"})
  void signaturesMadeThroughTheAgent_verifyWithTheKey(String type) throws IOException {
    Path key = SshTools.keygen(tmp, type);
    Path data = Files.writeString(tmp.resolve("data"), "signed through hoist's agent\n");
    Path signers = tmp.resolve("allowed");
    Files.writeString(signers, "me " + Files.readString(Path.of(key + ".pub")));
    try (AgentServer agent =
        AgentServer.start(new SshSource.KeyFiles(List.of(key)), tmp.resolve("agent.sock"))) {
      // Given only the public key, ssh-keygen asks the agent to sign.
      SshTools.run(
          agentEnv(agent),
          "ssh-keygen",
          "-Y",
          "sign",
          "-n",
          "file",
          "-f",
          key + ".pub",
          data.toString());
    }
    String verified =
        SshTools.run(
            Map.of(),
            "sh",
            "-c",
            "ssh-keygen -Y verify -f " + signers + " -I me -n file -s " + data + ".sig < " + data);
    assertTrue(verified.contains("Good \"file\" signature for me"), verified);
  }

  @Test
  void anAgentSocket_isForwarded_andTheProxySocketIsGoneAfterClose() throws IOException {
    Path key = SshTools.keygen(tmp, "ed25519");
    try (SshTools.Agent host = new SshTools.Agent(tmp.resolve("host.sock"), key)) {
      String direct =
          SshTools.run(Map.of("SSH_AUTH_SOCK", host.socket.toString()), "ssh-add", "-l");
      AgentServer agent =
          AgentServer.start(new SshSource.AgentSocket(host.socket), tmp.resolve("proxy.sock"));
      try {
        assertEquals(direct, SshTools.run(agentEnv(agent), "ssh-add", "-l"));
        assertEquals(direct, SshTools.run(agentEnv(agent), "ssh-add", "-l"), "a second client");
      } finally {
        agent.close();
      }
      assertFalse(Files.exists(tmp.resolve("proxy.sock")));
    }
  }

  @Test
  void anEncryptedKey_isRefusedNamingTheFile() throws IOException {
    Path key = tmp.resolve("locked");
    SshTools.run(
        Map.of(), "ssh-keygen", "-q", "-t", "ed25519", "-N", "secret", "-f", key.toString());
    IOException e =
        assertThrows(
            IOException.class, () -> AgentServer.verify(new SshSource.KeyFiles(List.of(key))));
    assertTrue(e.getMessage().startsWith("ssh key " + key + ": "), e.getMessage());
  }
}

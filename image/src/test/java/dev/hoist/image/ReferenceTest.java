package dev.hoist.image;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Reference parsing against Docker's normalisation ({@code ParseNormalizedNamed}) and the test
 * vectors of distribution/reference's {@code normalize_test.go} and {@code reference_test.go}.
 */
class ReferenceTest {
  private static final String SHA =
      "sha256:ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff";
  private static final String SHA512 =
      "sha512:ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff"
          + "ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff";
  private static final String HEX64 =
      "1a3f5e7d9c1b3a5f7e9d1c3b5a7f9e1d3c5b7a9f1e3d5d7c9b1a3f5e7d9c1b3a";

  @ParameterizedTest(name = "{0} -> {1}")
  @CsvSource(
      delimiter = '|',
      nullValues = "-",
      textBlock =
          """
          # input                                   | registry           | repository                 | tag            | digest
          busybox                                   | docker.io          | library/busybox            | latest         | -
          busybox:1.36                              | docker.io          | library/busybox            | 1.36           | -
          library/debian                            | docker.io          | library/debian             | latest         | -
          docker/docker                             | docker.io          | docker/docker              | latest         | -
          docker.io/debian                          | docker.io          | library/debian             | latest         | -
          docker.io/library/debian                  | docker.io          | library/debian             | latest         | -
          docker.io/docker/docker                   | docker.io          | docker/docker              | latest         | -
          index.docker.io/debian                    | docker.io          | library/debian             | latest         | -
          index.docker.io/docker/docker             | docker.io          | docker/docker              | latest         | -
          index.docker.io/library/debian            | docker.io          | library/debian             | latest         | -
          registry-1.docker.io/foo                  | registry-1.docker.io | foo                      | latest         | -
          127.0.0.1:5000/docker/docker              | 127.0.0.1:5000     | docker/docker              | latest         | -
          127.0.0.1:5000/debian                     | 127.0.0.1:5000     | debian                     | latest         | -
          192.168.0.1                               | docker.io          | library/192.168.0.1        | latest         | -
          192.168.0.1:80                            | docker.io          | library/192.168.0.1        | 80             | -
          192.168.0.1:8/debian                      | 192.168.0.1:8      | debian                     | latest         | -
          192.168.1.1:5000/repo:5050                | 192.168.1.1:5000   | repo                       | 5050           | -
          [fc00::1]:5000/docker                     | [fc00::1]:5000     | docker                     | latest         | -
          [fc00:1:2:3:4:5:6:7]:5000/library/debian  | [fc00:1:2:3:4:5:6:7]:5000 | library/debian      | latest         | -
          [2001:db8::1]/repo                        | [2001:db8::1]      | repo                       | latest         | -
          [2001:db8::1]:5000/repo:tag               | [2001:db8::1]:5000 | repo                       | tag            | -
          [::1]:5000/repo                           | [::1]:5000         | repo                       | latest         | -
          Docker/docker                             | Docker             | docker                     | latest         | -
          DOCKER/docker                             | DOCKER             | docker                     | latest         | -
          Foo/bar                                   | Foo                | bar                        | latest         | -
          localhost/foo                             | localhost          | foo                        | latest         | -
          localhost:5000/a/b                        | localhost:5000     | a/b                        | latest         | -
          test_com/foo                              | docker.io          | test_com/foo               | latest         | -
          test.com/foo                              | test.com           | foo                        | latest         | -
          test.com:8080/foo                         | test.com:8080      | foo                        | latest         | -
          test-com:8080/foo                         | test-com:8080      | foo                        | latest         | -
          xn--n3h.com:18080/foo                     | xn--n3h.com:18080  | foo                        | latest         | -
          xn--n3h.com/myimage:xn--n3h.com           | xn--n3h.com        | myimage                    | xn--n3h.com    | -
          b.gcr.io/test.example.com/my-app:test.example.com | b.gcr.io   | test.example.com/my-app    | test.example.com | -
          sub-dom1.foo.com/bar/baz/quux:some-long-tag | sub-dom1.foo.com | bar/baz/quux               | some-long-tag  | -
          foo_bar.com:8080                          | docker.io          | library/foo_bar.com        | 8080           | -
          foo/foo_bar.com:8080                      | docker.io          | foo/foo_bar.com            | 8080           | -
          lowercase:Uppercase                       | docker.io          | library/lowercase          | Uppercase      | -
          docker-rules/docker                       | docker.io          | docker-rules/docker        | latest         | -
          docker---rules/docker                     | docker.io          | docker---rules/docker      | latest         | -
          d/docker                                  | docker.io          | d/docker                   | latest         | -
          jess/t                                    | docker.io          | jess/t                     | latest         | -
          dock__er/docker                           | docker.io          | dock__er/docker            | latest         | -
          thisisthesongthatneverendsitgoesonandonandonthisisthesongthatnev | docker.io | library/thisisthesongthatneverendsitgoesonandonandonthisisthesongthatnev | latest | -
          docker.io/1a3f5e7d9c1b3a5f7e9d1c3b5a7f9e1d3c5b7a9f1e3d5d7c9b1a3f5e7d9c1b3a | docker.io | library/1a3f5e7d9c1b3a5f7e9d1c3b5a7f9e1d3c5b7a9f1e3d5d7c9b1a3f5e7d9c1b3a | latest | -
          dbcc1c35ac38df41fd2f5e4130b32ffdb93ebae8b3dbe638c23575912276fc9 | docker.io | library/dbcc1c35ac38df41fd2f5e4130b32ffdb93ebae8b3dbe638c23575912276fc9 | latest | -
          redis@sha256:ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff | docker.io | library/redis | - | sha256:ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff
          test:5000/repo@sha256:ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff | test:5000 | repo | - | sha256:ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff
          test:5000/repo:tag@sha256:ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff | test:5000 | repo | tag | sha256:ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff
          """)
  void parse_normalisesAsDocker(
      String input, String registry, String repository, String tag, String digest) {
    Reference r = Reference.parse(input);
    assertEquals(registry, r.registry(), "registry");
    assertEquals(repository, r.repository(), "repository");
    assertEquals(Optional.ofNullable(tag), r.tag(), "tag");
    assertEquals(Optional.ofNullable(digest).map(Digest::parse), r.digest(), "digest");
  }

  /** normalize_test.go TestParseRepositoryInfo: familiar, full and ambiguous spellings agree. */
  @ParameterizedTest(name = "[{index}] {0}")
  @CsvSource(
      delimiter = '|',
      nullValues = "-",
      textBlock =
          """
          # familiar                         | full                               | ambiguous
          fooo/bar                           | docker.io/fooo/bar                 | index.docker.io/fooo/bar
          ubuntu                             | docker.io/library/ubuntu           | library/ubuntu
          nonlibrary/ubuntu                  | docker.io/nonlibrary/ubuntu        | -
          other/library                      | docker.io/other/library            | -
          127.0.0.1:8000/private/moonbase    | 127.0.0.1:8000/private/moonbase    | -
          127.0.0.1:8000/privatebase         | 127.0.0.1:8000/privatebase         | -
          example.com/private/moonbase       | example.com/private/moonbase       | -
          example.com:8000/privatebasee      | example.com:8000/privatebasee      | -
          ubuntu-12.04-base                  | docker.io/library/ubuntu-12.04-base | index.docker.io/library/ubuntu-12.04-base
          foo                                | docker.io/library/foo              | docker.io/foo
          library/foo/bar                    | docker.io/library/foo/bar          | -
          store/foo/bar                      | docker.io/store/foo/bar            | -
          Foo/bar                            | Foo/bar                            | -
          FOO/bar                            | FOO/bar                            | -
          """)
  void familiarFullAndAmbiguousSpellings_nameTheSameRepository(
      String familiar, String full, String ambiguous) {
    for (String spelling : new String[] {familiar, full, ambiguous}) {
      if (spelling == null) {
        continue;
      }
      Reference r = Reference.parse(spelling);
      assertEquals(full, r.name(), spelling + " full name");
      assertEquals(familiar + ":latest", r.familiar(), spelling + " familiar form");
      assertEquals(full + ":latest", r.toString(), spelling + " string form");
    }
  }

  @ParameterizedTest(name = "[{index}] {0}")
  @ValueSource(
      strings = {
        "https://github.com/docker/docker",
        "docker/Docker",
        "-docker",
        "-docker/docker",
        "-docker.io/docker/docker",
        "docker///docker",
        "docker.io/docker/Docker",
        "docker.io/docker///docker",
        "[fc00::1]",
        "[fc00::1]:5000",
        "fc00::1:5000/debian",
        "[fe80::1%eth0]:5000/debian",
        "[2001:db8:3:4::192.0.2.33]:5000/debian",
        "[2001:db8::1]:tag",
        "[fe80::1%@invalidzone]:5000/repo",
        HEX64,
        "docker-/docker",
        "-docker-/docker",
        "____/____",
        "_docker/_docker",
        "dock..er/docker",
        "dock_.er/docker",
        "dock-.er/docker",
        "docker/",
        ":justtag",
        "@sha256:ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff",
        "repo@sha256:ffffffffffffffffffffffffffffffffff",
        "validname@invaliddigest:ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff",
        "Uppercase:tag",
        "test:5000/Uppercase/lowercase:tag",
        "aa/asdf$$^/aa",
        "busybox:-foo",
        "busybox:.foo",
        "busybox:",
        "",
      })
  void parse_refusesWhatDockerRefuses(String input) {
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> Reference.parse(input));
    assertTrue(
        e.getMessage().startsWith("invalid image reference '" + input + "': "), e.getMessage());
    assertFalse(e.getMessage().contains("\n"), "one line: " + e.getMessage());
  }

  @ParameterizedTest(name = "[{index}] {0}")
  @CsvSource(
      delimiter = '|',
      textBlock =
          """
          docker/Docker               | must be lowercase (did you mean 'docker/docker'?)
          Uppercase:tag               | must be lowercase (did you mean 'library/uppercase'?)
          ''                          | it is empty
          :justtag                    | the repository name is empty
          docker/                     | repository path component ''
          busybox:-x                  | tag '-x' must be 1 to 128
          repo@sha256:abc             | expected 64 lower-case hex digits
          repo@md5:abc                | unsupported digest algorithm 'md5'
          1a3f5e7d9c1b3a5f7e9d1c3b5a7f9e1d3c5b7a9f1e3d5d7c9b1a3f5e7d9c1b3a | is an image id, not a repository name
          """)
  void parse_explainsWhatIsWrong(String input, String reason) {
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> Reference.parse(input));
    assertTrue(e.getMessage().contains(reason), e.getMessage());
  }

  @Test
  void tag_of128CharactersIsAccepted_129IsRefused() {
    String tag128 = "a" + "b".repeat(127);
    assertEquals(Optional.of(tag128), Reference.parse("busybox:" + tag128).tag());
    assertThrows(IllegalArgumentException.class, () -> Reference.parse("busybox:" + tag128 + "c"));
  }

  @Test
  void name_of255CharactersIsAccepted_256IsRefused() {
    // Docker checks the length of the normalised name, registry included.
    String host = "example.com/";
    String path255 = "a".repeat(255 - host.length());
    assertEquals(255, Reference.parse(host + path255).name().length());
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> Reference.parse(host + path255 + "a"));
    assertTrue(e.getMessage().contains("longer than 255"), e.getMessage());
    // reference_test.go: 127 "a/" + "a" fits under a registry named "a", but normalised onto
    // docker.io it is too long, as in Docker's ParseNormalizedNamed.
    assertThrows(
        IllegalArgumentException.class,
        () -> Reference.parse("a/".repeat(127) + "a:tag-puts-this-over-max"));
    assertThrows(IllegalArgumentException.class, () -> Reference.parse("a/".repeat(128) + "a:tag"));
  }

  @Test
  void tagAndDigest_areBothKept_andTheDigestIsWhatIsFetched() {
    String shortRef =
        "busybox:latest@sha256:"
            + "86e0e091d0da6bde2456dbb48306f3956bbeb2eae1b5b9a43045843f69fe4aaa";
    Reference r = Reference.parse(shortRef);
    assertEquals("docker.io/library/" + shortRef, r.toString());
    assertEquals(shortRef, r.familiar());
    assertEquals(r.digest().orElseThrow().toString(), r.identifier());
  }

  @ParameterizedTest(name = "{0} -> {1}")
  @CsvSource(
      delimiter = '|',
      textBlock =
          """
          busybox                               | busybox:latest
          docker.io/library/busybox:1           | busybox:1
          index.docker.io/acme/app:2            | acme/app:2
          docker.io/library/a/b                 | library/a/b:latest
          ghcr.io/acme/app:v1                   | ghcr.io/acme/app:v1
          localhost:5000/a/b@sha256:ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff | localhost:5000/a/b@sha256:ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff
          """)
  void familiar_isTheShortFormDockerShows(String input, String familiar) {
    assertEquals(familiar, Reference.parse(input).familiar());
  }

  @ParameterizedTest(name = "[{index}] {0}")
  @ValueSource(
      strings = {
        "docker.io/library/busybox:latest",
        "localhost:5000/a/b@" + SHA,
        "example.com:8000/named:tagged",
        "xn--7o8h.com/myimage:xn--7o8h.com@" + SHA512,
        "[2001:db8::1]:5000/repo:tag@" + SHA,
      })
  void toString_ofAFullReference_parsesBackToItself(String full) {
    Reference r = Reference.parse(full);
    assertEquals(full, r.toString());
    assertEquals(r, Reference.parse(r.toString()));
    assertEquals(r, Reference.parse(r.familiar()));
  }

  @Test
  void identifier_isTheTagWithoutADigest() {
    assertEquals("3.19", Reference.parse("alpine:3.19").identifier());
    assertEquals(SHA, Reference.parse("alpine@" + SHA).identifier());
    assertEquals(Optional.empty(), Reference.parse("alpine@" + SHA).tag());
  }

  @Test
  void withTag_withDigest_andByDigest_changeOnlyWhatTheySay() {
    Reference r = Reference.parse("localhost:5000/app:1");
    assertEquals("localhost:5000/app:2", r.withTag("2").toString());
    assertEquals("localhost:5000/app:1@" + SHA, r.withDigest(Digest.parse(SHA)).toString());
    assertEquals("localhost:5000/app@" + SHA, r.byDigest(Digest.parse(SHA)).toString());
    assertThrows(IllegalArgumentException.class, () -> r.withTag("-bad"));
  }

  @ParameterizedTest(name = "[{index}] {0}")
  @MethodSource("hostLikeFirstComponents")
  void firstComponent_isARegistryOnlyWhenItLooksLikeAHost(String input, boolean isHost) {
    Reference r = Reference.parse(input);
    assertEquals(isHost, !r.registry().equals(Reference.DOCKER_HUB), r.toString());
  }

  static Stream<Arguments> hostLikeFirstComponents() {
    return Stream.of(
        Arguments.of("localhost/x", true),
        Arguments.of("host:1/x", true),
        Arguments.of("a.b/x", true),
        Arguments.of("Ab/x", true),
        Arguments.of("ab/x", false),
        Arguments.of("local-host/x", false));
  }
}

package dev.hoist.builder.build;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.hoist.builder.copy.GitRef;
import java.util.Optional;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Which ADD sources are git repositories, by BuildKit's rules, and what their fragment means. */
class GitRefTest {
  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      nullValues = "none",
      value = {
        "https://github.com/moby/buildkit.git#v0.12.0:docs | https://github.com/moby/buildkit.git"
            + " | v0.12.0 | docs",
        "https://github.com/moby/buildkit.git | https://github.com/moby/buildkit.git | '' | ''",
        "http://host/a/repo.git#main | http://host/a/repo.git | main | ''",
        "git://127.0.0.1:9418/repo.git#:sub/dir | git://127.0.0.1:9418/repo.git | '' | sub/dir",
        "git@github.com:moby/buildkit.git#refs/pull/1/head | git@github.com:moby/buildkit.git"
            + " | refs/pull/1/head | ''",
        "ssh://git@host/repo | ssh://git@host/repo | '' | ''",
        "deploy+ci@git.example.com:team/app | deploy+ci@git.example.com:team/app | '' | ''",
        "https://example.com/file.tar.gz | none | none | none",
        "https://example.com/repo.git.tar | none | none | none",
        "ftp://host/repo.git | none | none | none",
        "./local@host:dir | none | none | none",
        "x@-oProxyCommand=touch:repo | none | none | none",
        "ext::sh -c touch% /tmp/pwned | none | none | none",
        "src/app.git | none | none | none",
        "files/ | none | none | none",
      })
  void parse_followsBuildKitsRules(String source, String remote, String ref, String subdir) {
    assertEquals(
        Optional.ofNullable(remote).map(r -> new GitRef(r, ref, subdir)),
        GitRef.parse(source),
        source);
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      value = {
        "https://user:s3cret@host/repo.git#main | https://host/repo.git#main",
        "https://token@host/repo.git | https://host/repo.git",
        "git@host:repo.git#v1:sub | git@host:repo.git#v1:sub",
      })
  void display_leavesCredentialsOut(String source, String shown) {
    assertEquals(shown, GitRef.parse(source).orElseThrow().display());
  }
}

package dev.hoist.builder.build;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.hoist.builder.copy.GitRef;
import java.util.Optional;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Which ADD sources are git repositories, by BuildKit's rules, and what their fragment and query
 * mean.
 */
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
      nullValues = "none",
      value = {
        // source | remote | ref | subdir | checksum | keep-git-dir | submodules
        "https://github.com/org/repo.git?ref=v1.2&subdir=docs | https://github.com/org/repo.git"
            + " | v1.2 | docs | none | none | true",
        "git@host:org/repo.git?ref=main | git@host:org/repo.git | main | '' | none | none | true",
        "https://h/r.git?tag=v1 | https://h/r.git | refs/tags/v1 | '' | none | none | true",
        "https://h/r.git?tag=refs/tags/v1 | https://h/r.git | refs/tags/v1 | '' | none | none"
            + " | true",
        "https://h/r.git?branch=release/2 | https://h/r.git | refs/heads/release/2 | '' | none"
            + " | none | true",
        "ssh://git@h/r.git?ref=pull/42/head | ssh://git@h/r.git | pull/42/head | '' | none"
            + " | none | true",
        // A checksum alone is the ref; with a ref it is what the ref must resolve to.
        "https://h/r.git?checksum=0123ABCdef | https://h/r.git | 0123abcdef | '' | 0123abcdef"
            + " | none | true",
        "https://h/r.git?tag=v1&commit=0123abc | https://h/r.git | refs/tags/v1 | '' | 0123abc"
            + " | none | true",
        "git://h/r.git?keep-git-dir&submodules=false | git://h/r.git | '' | '' | none | true"
            + " | false",
        "https://h/r.git?keep-git-dir=0 | https://h/r.git | '' | '' | none | false | true",
        // Query and fragment together when they agree; the subdir as written (decoded).
        "https://h/r.git?ref=main#main:sub | https://h/r.git | main | sub | none | none | true",
        "https://h/r.git?subdir=/my%20docs | https://h/r.git | '' | /my docs | none | none"
            + " | true",
        "https://h/r.git? | https://h/r.git | '' | '' | none | none | true",
      })
  void parse_readsBuildKitsQueryForm(
      String source,
      String remote,
      String ref,
      String subdir,
      String checksum,
      Boolean keepGitDir,
      boolean submodules) {
    assertEquals(
        Optional.of(
            new GitRef(
                remote,
                ref,
                subdir,
                Optional.ofNullable(checksum),
                Optional.ofNullable(keepGitDir),
                submodules)),
        GitRef.parse(source),
        source);
    assertTrue(GitRef.isGit(source), source);
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      quoteCharacter = '`',
      value = {
        "https://h/r.git?depth=1 | unknown query key 'depth': use ref, tag, branch, checksum (or"
            + " commit), subdir, keep-git-dir or submodules",
        "git@h:r.git?ref=a&ref=b | query key 'ref' is given more than once",
        "https://h/r.git?ref= | query key 'ref' has no value",
        "https://h/r.git?subdir | query key 'subdir' has no value",
        "https://h/r.git?tag=v1&branch=main | give tag= or branch=, not both",
        "https://h/r.git?ref=main#dev | ref conflicts: \"dev\" vs \"main\"; give it once",
        "https://h/r.git?tag=v1#v1 | ref conflicts: \"v1\" vs \"refs/tags/v1\"; give it once",
        "https://h/r.git?subdir=a#:b | subdir conflicts: \"b\" vs \"a\"; give it once",
        "https://h/r.git?checksum=main | checksum=main is not a commit id: give 7 hex digits or more",
        "https://h/r.git?commit=abc | commit=abc is not a commit id: give 7 hex digits or more",
        "https://h/r.git?submodules=maybe | submodules=maybe is not true or false",
        "https://h/r.git?ref=%zz | query part '%zz' is not URL-encoded text",
      })
  void parse_refusesAQueryItCannotHonour(String source, String message) {
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> GitRef.parse(source));
    assertEquals(message, e.getMessage());
    assertTrue(GitRef.isGit(source), "still a git source: " + source);
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

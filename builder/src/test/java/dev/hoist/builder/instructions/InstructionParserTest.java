package dev.hoist.builder.instructions;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.hoist.builder.dockerfile.DockerfileException;
import dev.hoist.builder.dockerfile.Heredoc;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class InstructionParserTest {
  private static DockerfileStages parse(String text) {
    return InstructionParser.parse("Dockerfile", text);
  }

  private static Instruction second(String line) {
    return parse("FROM a\n" + line + "\n").stages().get(0).instructions().get(0);
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      value = {
        "FROM a\\nFOO bar|Dockerfile:2: unknown instruction: FOO",
        "FROM a\\nRUNN x|Dockerfile:2: unknown instruction: RUNN (did you mean RUN?)",
        "FROM a\\nCOPY --mount=type=cache x y|Dockerfile:2: unknown flag --mount on COPY (it belongs to RUN); COPY accepts",
        "FROM a\\nUSER --chown=1 x|Dockerfile:2: unknown flag --chown on USER (it belongs to ADD, COPY); USER takes no flags",
        "FROM a\\nCOPY --from a b|Dockerfile:2: missing a value on flag --from",
        "FROM a\\nCOPY --link=maybe a b|Dockerfile:2: expecting boolean value for flag --link, not: maybe",
        "FROM a\\nCOPY --from=a --from=b x y|Dockerfile:2: duplicate flag specified: --from",
        "FROM a\\nCOPY x|Dockerfile:2: COPY requires at least two arguments, but only one was provided",
        "FROM a\\nADD|Dockerfile:2: ADD requires at least two arguments",
        "FROM a\\nUSER|Dockerfile:2: USER requires exactly one argument",
        "FROM a\\nWORKDIR|Dockerfile:2: WORKDIR requires exactly one argument",
        "FROM a\\nENV|Dockerfile:2: ENV requires at least one argument",
        "FROM a\\nENV x|Dockerfile:2: ENV must have two arguments",
        "FROM a\\nLABEL a=b c|Dockerfile:2: Syntax error - can't find = in \"c\"",
        "FROM a\\nEXPOSE|Dockerfile:2: EXPOSE requires at least one argument",
        "FROM a\\nCMD|Dockerfile:2: CMD requires at least one argument",
        "FROM a\\nRUN|Dockerfile:2: RUN requires at least one argument",
        "FROM a\\nARG|Dockerfile:2: ARG requires at least one argument",
        "FROM a\\nARG =x|Dockerfile:2: ARG names can not be blank",
        "FROM a\\nSHELL /bin/sh -c|Dockerfile:2: SHELL requires the arguments to be in JSON form",
        "FROM a\\nONBUILD FROM b|Dockerfile:2: FROM isn't allowed as an ONBUILD trigger",
        "FROM a\\nONBUILD COPY x|Dockerfile:2: COPY requires at least two arguments",
        "FROM a\\nHEALTHCHECK --interval=abc CMD x|Dockerfile:2: time: invalid duration \"abc\"",
        "FROM a\\nHEALTHCHECK --retries=-1 CMD x|Dockerfile:2: --retries cannot be negative",
        "FROM a\\nHEALTHCHECK CMD|Dockerfile:2: Missing command after HEALTHCHECK CMD",
        "FROM a\\nHEALTHCHECK NONE x|Dockerfile:2: HEALTHCHECK NONE takes no arguments",
        "FROM a\\nHEALTHCHECK PING x|Dockerfile:2: Unknown type \"PING\" in HEALTHCHECK (try CMD)",
        "RUN x\\nFROM a|Dockerfile:1: RUN before the first FROM; only ARG may come before FROM",
        "ARG x|Dockerfile:1: no FROM instruction",
        "FROM a b|Dockerfile:1: FROM requires either one or three arguments",
        "FROM a AS 1x|Dockerfile:1: invalid name for build stage: \"1x\"",
        "FROM a\\nVOLUME []|Dockerfile:2: VOLUME requires at least one argument",
      })
  void malformed_givesOneLineWithItsLocation(String text, String expectedStart) {
    DockerfileException e =
        assertThrows(DockerfileException.class, () -> parse(text.replace("\\n", "\n")));
    assertTrue(e.getMessage().startsWith(expectedStart), e.getMessage());
    assertEquals(1, e.getMessage().lines().count());
  }

  @Test
  void from_withPlatformAndNameIsTyped() {
    DockerfileStages s = parse("ARG V=1\nFROM --platform=$BUILDPLATFORM golang:$V AS Build\n");
    FromInstruction f = s.stages().get(0).from();
    assertEquals("golang:$V", f.image());
    assertEquals(Optional.of("build"), f.stageName());
    assertEquals(Optional.of("$BUILDPLATFORM"), f.platform());
    assertEquals(1, s.globalArgs().size());
    assertEquals(Optional.of("build"), s.stage("BUILD").map(st -> st.name().get()));
  }

  @Test
  void copy_withEveryFlag() {
    CopyInstruction c =
        (CopyInstruction)
            second(
                "COPY --from=build --chown=app:app --chmod=0755 --link --parents --exclude=*.md --exclude=tmp a b /dst/");
    assertEquals(List.of("a", "b"), c.sources());
    assertEquals("/dst/", c.destination());
    assertEquals(Optional.of("build"), c.from());
    assertEquals(Optional.of("app:app"), c.chown());
    assertEquals(Optional.of("0755"), c.chmod());
    assertTrue(c.link());
    assertTrue(c.parents());
    assertEquals(List.of("*.md", "tmp"), c.excludes());
  }

  @Test
  void add_withEveryFlag() {
    AddInstruction a =
        (AddInstruction)
            second(
                "ADD --keep-git-dir=true --checksum=sha256:abc --link=false --chown=1 https://x/y.tgz /opt/");
    assertTrue(a.keepGitDir());
    assertEquals(Optional.of("sha256:abc"), a.checksum());
    assertEquals(false, a.link());
    assertEquals(List.of("https://x/y.tgz"), a.sources());
  }

  @Test
  void copy_heredocsBecomeInlineFiles() {
    CopyInstruction c =
        (CopyInstruction)
            parse("FROM a\nCOPY <<one <<\"two\" x /dst/\n1\none\n$2\ntwo\n")
                .stages()
                .get(0)
                .instructions()
                .get(0);
    assertEquals(List.of("x"), c.sources());
    assertEquals(
        List.of(
            new Heredoc("one", 0, true, false, "1\n"), new Heredoc("two", 0, false, false, "$2\n")),
        c.heredocs());
  }

  @Test
  void run_withMountNetworkSecurityAndHeredoc() {
    RunInstruction r =
        (RunInstruction)
            parse(
                    "FROM a\nRUN --mount=type=cache,target=/root/.cache --mount=type=secret,id=t --network=none --security=insecure <<EOF\nmake\nEOF\n")
                .stages()
                .get(0)
                .instructions()
                .get(0);
    assertEquals(List.of("type=cache,target=/root/.cache", "type=secret,id=t"), r.mounts());
    assertEquals(Optional.of("none"), r.network());
    assertEquals(Optional.of("insecure"), r.security());
    assertEquals(CommandForm.shell("<<EOF"), r.command());
    assertEquals("make\n", r.heredocs().get(0).content());
  }

  @Test
  void cmdAndEntrypoint_keepTheirForm() {
    assertEquals(
        CommandForm.exec(List.of("a", "b")),
        ((CmdInstruction) second("CMD [\"a\",\"b\"]")).command());
    assertEquals(
        CommandForm.shell("a b"), ((EntrypointInstruction) second("ENTRYPOINT a b")).command());
    assertEquals(CommandForm.exec(List.of()), ((CmdInstruction) second("CMD []")).command());
  }

  @Test
  void envAndLabel_bothForms() {
    assertEquals(
        List.of(new KeyValue("A", "1"), new KeyValue("B", "\"x y\"")),
        ((EnvInstruction) second("ENV A=1 B=\"x y\"")).vars());
    assertEquals(
        List.of(new KeyValue("A", "one two")), ((EnvInstruction) second("ENV A one two")).vars());
    assertEquals(
        List.of(new KeyValue("org.opencontainers.image.title", "x")),
        ((LabelInstruction) second("LABEL org.opencontainers.image.title=x")).labels());
  }

  @Test
  void arg_declarationsWithAndWithoutDefaults() {
    assertEquals(
        List.of(new ArgDecl("A", Optional.empty()), new ArgDecl("B", Optional.of("\"1 2\""))),
        ((ArgInstruction) second("ARG A B=\"1 2\"")).args());
  }

  @Test
  void healthcheck_optionsAndForms() {
    HealthcheckSpec h =
        ((HealthcheckInstruction)
                second(
                    "HEALTHCHECK --interval=1m30s --timeout=5s --start-period=0s --start-interval=500ms --retries=3 CMD curl -f http://localhost/"))
            .spec();
    assertEquals(List.of("CMD-SHELL", "curl -f http://localhost/"), h.test());
    assertEquals(Optional.of(Duration.ofSeconds(90)), h.interval());
    assertEquals(Optional.of(Duration.ofSeconds(5)), h.timeout());
    assertEquals(Optional.of(Duration.ZERO), h.startPeriod());
    assertEquals(Optional.of(Duration.ofMillis(500)), h.startInterval());
    assertEquals(Optional.of(3), h.retries());
    assertEquals(
        List.of("CMD", "true"),
        ((HealthcheckInstruction) second("HEALTHCHECK CMD [\"true\"]")).spec().test());
    assertTrue(((HealthcheckInstruction) second("HEALTHCHECK NONE")).spec().disabled());
  }

  @Test
  void simpleInstructions_areTyped() {
    assertEquals("app", ((UserInstruction) second("USER app")).user());
    assertEquals("/src", ((WorkdirInstruction) second("WORKDIR /src")).path());
    assertEquals("SIGTERM", ((StopsignalInstruction) second("STOPSIGNAL SIGTERM")).signal());
    assertEquals("me", ((MaintainerInstruction) second("MAINTAINER me")).maintainer());
    assertEquals(
        List.of("80/tcp", "443"), ((ExposeInstruction) second("EXPOSE 80/tcp 443")).ports());
    assertEquals(
        List.of("/data", "/logs"),
        ((VolumeInstruction) second("VOLUME [\"/data\", \"/logs\"]")).paths());
    assertEquals(
        List.of("/bin/bash", "-c"),
        ((ShellInstruction) second("SHELL [\"/bin/bash\", \"-c\"]")).shell());
    assertEquals("RUN make", ((OnbuildInstruction) second("onbuild RUN make")).trigger());
  }

  @Test
  void instruction_keepsItsSource() {
    Instruction i = parse("FROM a\nRUN a \\\n  b\n").stages().get(0).instructions().get(0);
    assertEquals("Dockerfile:2", i.source().location());
    assertEquals("RUN a   b", i.source().original());
    assertEquals("RUN", i.keyword());
  }

  @ParameterizedTest
  @CsvSource({"0,0", "30s,30000", "1m30s,90000", "1.5h,5400000", "250ms,250", "1h2m3s4ms,3723004"})
  void goDurations_parse(String text, long millis) {
    assertEquals(Duration.ofMillis(millis), GoDurations.parse(text));
  }
}

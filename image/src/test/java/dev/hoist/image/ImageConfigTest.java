package dev.hoist.image;

import static dev.hoist.image.ImageFixtures.utf8;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ImageConfigTest {

  @Test
  void everyField_survivesWriteThenParse() {
    ImageConfig built = ImageFixtures.everyConfigField();
    ImageConfig parsed = ImageConfig.parse(built.raw());

    assertEquals(built.created(), parsed.created());
    assertEquals(built.author(), parsed.author());
    assertEquals(built.platform(), parsed.platform());
    assertEquals(built.config(), parsed.config());
    assertEquals(built.diffIds(), parsed.diffIds());
    assertEquals(built.history(), parsed.history());
    assertEquals(ImageFixtures.everyContainerField(), parsed.config());
    assertEquals(List.of(ImageFixtures.DIFF_1, ImageFixtures.DIFF_2), parsed.diffIds());
    assertEquals(3, parsed.history().size());
    assertTrue(parsed.history().get(1).emptyLayer());
    assertEquals(Optional.of("someone"), parsed.history().get(1).author());
  }

  @Test
  void writingTheSameModelTwice_givesIdenticalBytes() {
    ImageConfig a = ImageFixtures.everyConfigField();
    ImageConfig b = ImageFixtures.everyConfigField();
    assertArrayEquals(a.raw(), b.raw());
    assertEquals(a.digest(), b.digest());
    assertEquals(a, b);
    // Parsing and writing again gives the very same bytes, so the image id is stable.
    assertArrayEquals(a.raw(), ImageConfig.parse(a.raw()).toBuilder().build().raw());
  }

  @Test
  void setsAndMaps_giveTheSameBytes_whateverTheirInsertionOrder() {
    Map<String, String> labels1 = new LinkedHashMap<>();
    labels1.put("b", "2");
    labels1.put("a", "1");
    Map<String, String> labels2 = new LinkedHashMap<>();
    labels2.put("a", "1");
    labels2.put("b", "2");
    ContainerConfig c1 =
        ContainerConfig.EMPTY.toBuilder()
            .labels(labels1)
            .exposedPorts(new LinkedHashSet<>(List.of("443/tcp", "80/tcp")))
            .volumes(new LinkedHashSet<>(List.of("/z", "/a")))
            .build();
    ContainerConfig c2 =
        ContainerConfig.EMPTY.toBuilder()
            .labels(labels2)
            .exposedPorts(new LinkedHashSet<>(List.of("80/tcp", "443/tcp")))
            .volumes(new LinkedHashSet<>(List.of("/a", "/z")))
            .build();
    Platform p = Platform.parse("linux/amd64");
    byte[] one = new ImageConfig.Builder(p).config(c1).build().raw();
    byte[] two = new ImageConfig.Builder(p).config(c2).build().raw();
    assertArrayEquals(one, two);
    String json = new String(one, StandardCharsets.UTF_8);
    assertTrue(json.contains("\"ExposedPorts\":{\"443/tcp\":{},\"80/tcp\":{}}"), json);
    assertTrue(json.contains("\"Volumes\":{\"/a\":{},\"/z\":{}}"), json);
    assertTrue(json.contains("\"Labels\":{\"a\":\"1\",\"b\":\"2\"}"), json);
  }

  @Test
  void everyField_isWrittenAsTheGoldenFileSays() throws IOException {
    byte[] golden;
    try (InputStream in = getClass().getResourceAsStream("/golden/config-every-field.json")) {
      golden = in.readAllBytes();
    }
    // The golden file ends with a newline for editors; the config itself has none.
    String want = new String(golden, StandardCharsets.UTF_8).stripTrailing();
    assertEquals(want, new String(ImageFixtures.everyConfigField().raw(), StandardCharsets.UTF_8));
  }

  @Test
  void healthcheckDurations_areWrittenAsNanoseconds() {
    String json = new String(ImageFixtures.everyConfigField().raw(), StandardCharsets.UTF_8);
    assertTrue(json.contains("\"Interval\":30000000000"), json);
    assertTrue(json.contains("\"Timeout\":1500000000"), json);
    assertTrue(json.contains("\"StartPeriod\":5000000000"), json);
    assertTrue(json.contains("\"StartInterval\":1"), json);
    assertTrue(json.contains("\"Retries\":3"), json);
  }

  @Test
  void healthcheck_zeroDurationMeansDefault_andNoneIsKept() {
    ImageConfig c =
        ImageConfig.parse(
            utf8(
                """
                {"architecture":"amd64","os":"linux","config":{"Healthcheck":{"Test":["NONE"],
                 "Interval":0,"Retries":0}},"rootfs":{"type":"layers","diff_ids":[]}}"""));
    Healthcheck h = c.config().healthcheck().orElseThrow();
    assertEquals(List.of("NONE"), h.test());
    assertEquals(Optional.empty(), h.interval());
    assertEquals(Optional.of(0), h.retries());
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      textBlock =
          """
          absent    | ''                                   | -
          null      | '"Entrypoint":null,'                 | -
          empty     | '"Entrypoint":[],'                   | []
          one       | '"Entrypoint":["/init"],'            | [/init]
          """)
  void entrypoint_absentOrNull_differsFromEmpty(String name, String field, String want) {
    String json = "{" + field + "\"Cmd\":null}";
    ImageConfig c =
        ImageConfig.parse(
            utf8("{\"architecture\":\"amd64\",\"os\":\"linux\",\"config\":" + json + "}"));
    Optional<List<String>> got = c.config().entrypoint();
    assertEquals(want.equals("-") ? "-" : want, got.map(List::toString).orElse("-"));
    assertEquals(Optional.empty(), c.config().cmd());
  }

  @Test
  void entrypoint_emptyList_isWrittenAsEmptyArray_andAbsentIsLeftOut() {
    Platform p = Platform.parse("linux/amd64");
    ContainerConfig empty =
        ContainerConfig.EMPTY.toBuilder().entrypoint(Optional.of(List.of())).build();
    String withEmpty =
        new String(new ImageConfig.Builder(p).config(empty).build().raw(), StandardCharsets.UTF_8);
    String without = new String(new ImageConfig.Builder(p).build().raw(), StandardCharsets.UTF_8);
    assertTrue(withEmpty.contains("\"Entrypoint\":[]"), withEmpty);
    assertFalse(without.contains("Entrypoint"), without);
    assertEquals(Optional.of(List.of()), ImageConfig.parse(utf8(withEmpty)).config().entrypoint());
  }

  @Test
  void parse_keepsTheExactBytes_ofPrettyPrintedJsonWithOddKeyOrder() {
    String pretty =
        """
        {
            "rootfs" : { "diff_ids" : [ "sha256:dddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddd" ],
                         "type" : "layers" },
            "os" : "linux",
            "unknownField" : { "kept" : true },
            "config" : { "Cmd" : [ "sh" ], "Env" : [ "A=1" ] },
            "architecture" : "arm64",
            "created" : "2024-05-06T09:08:09+02:00"
        }
        """;
    byte[] raw = utf8(pretty);
    ImageConfig c = ImageConfig.parse(raw);
    assertArrayEquals(raw, c.raw());
    assertEquals(Digest.sha256(raw), c.digest());
    assertEquals(raw.length, c.size());
    assertEquals(Platform.of("linux", "arm64"), c.platform());
    assertEquals(Optional.of(List.of("sh")), c.config().cmd());
    assertEquals(Optional.of("1"), c.config().envValue("A"));
    assertEquals(List.of(ImageFixtures.DIFF_1), c.diffIds());
    assertEquals(Optional.of(Instant.parse("2024-05-06T07:08:09Z")), c.created());
    // Re-serialising would change the bytes and so the image id: the model must not do it.
    assertNotEquals(Digest.sha256(raw), c.toBuilder().build().digest());
  }

  @Test
  void raw_isACopy() {
    ImageConfig c = ImageFixtures.everyConfigField();
    byte[] raw = c.raw();
    raw[0] = 'X';
    assertEquals('{', c.raw()[0]);
  }

  @Test
  void unparseableCreatedTime_isKeptInTheBytes_butReadAsAbsent() {
    ImageConfig c =
        ImageConfig.parse(
            utf8("{\"architecture\":\"amd64\",\"os\":\"linux\",\"created\":\"yesterday\"}"));
    assertEquals(Optional.empty(), c.created());
  }

  @ParameterizedTest(name = "[{index}] {0}")
  @CsvSource(
      delimiter = '|',
      textBlock =
          """
          not json                                              | image config is not valid JSON
          []                                                    | image config is not a JSON object
          '{"os":"linux","os":"linux"}'                         | image config is not valid JSON
          '{"os":123}'                                          | image config: field 'os' must be a string
          '{"config":"x"}'                                      | image config: field 'config' must be an object
          '{"config":{"Env":"A=1"}}'                            | image config: in 'config': field 'Env' must be an array of strings
          '{"config":{"Entrypoint":[1]}}'                       | image config: in 'config': field 'Entrypoint' must be an array of strings
          '{"config":{"User":7}}'                               | image config: in 'config': field 'User' must be a string
          '{"config":{"ExposedPorts":["80/tcp"]}}'              | image config: in 'config': field 'ExposedPorts' must be an object
          '{"config":{"Volumes":{"/a":"yes"}}}'                 | image config: in 'config': field 'Volumes./a' must be an empty object
          '{"config":{"Labels":{"a":1}}}'                       | image config: in 'config': field 'Labels.a' must be a string
          '{"config":{"ArgsEscaped":"yes"}}'                    | image config: in 'config': field 'ArgsEscaped' must be true or false
          '{"config":{"Healthcheck":{"Interval":"30s"}}}'       | image config: in 'config': in 'Healthcheck': field 'Interval' must be an integer
          '{"config":{"Healthcheck":{"Retries":1.5}}}'          | image config: in 'config': in 'Healthcheck': field 'Retries' must be an integer
          '{"history":"x"}'                                     | image config: field 'history' must be an array of objects
          '{"history":[{"empty_layer":"true"}]}'                | image config: in 'history': field 'empty_layer' must be true or false
          '{"rootfs":[]}'                                       | image config: field 'rootfs' must be an object
          '{"rootfs":{"diff_ids":["sha256:abc"]}}'              | image config: rootfs.diff_ids: invalid sha256 digest 'abc'
          '{"rootfs":{"diff_ids":"sha256:abc"}}'                | image config: field 'diff_ids' must be an array of strings
          '{"created":12}'                                      | image config: field 'created' must be a string
          """)
  void parse_refusesWrongTypes_withAOneLineMessageNamingTheField(String json, String message) {
    InvalidImageJsonException e =
        assertThrows(InvalidImageJsonException.class, () -> ImageConfig.parse(utf8(json)));
    assertTrue(e.getMessage().startsWith(message), e.getMessage());
    assertFalse(e.getMessage().contains("\n"), e.getMessage());
  }

  @Test
  void scratch_hasNoLayersAndAnEmptyConfig() {
    ImageConfig c = ImageConfig.scratch(Platform.parse("linux/arm64"));
    assertEquals(List.of(), c.diffIds());
    assertEquals(List.of(), c.history());
    assertEquals(ContainerConfig.EMPTY, c.config());
    assertEquals(
        "{\"architecture\":\"arm64\",\"os\":\"linux\",\"config\":{},"
            + "\"rootfs\":{\"type\":\"layers\",\"diff_ids\":[]}}",
        new String(c.raw(), StandardCharsets.UTF_8));
  }

  @Test
  void toBuilder_addsALayer_givingANewImageId_andLeavesTheOriginalAlone() {
    ImageConfig base = ImageFixtures.everyConfigField();
    ImageConfig child =
        base.toBuilder()
            .addLayer(ImageFixtures.sha('9'), History.of(null, "RUN true", null, false))
            .build();
    assertNotEquals(base.digest(), child.digest());
    assertEquals(2, base.diffIds().size());
    assertEquals(3, child.diffIds().size());
    assertEquals(base.config(), child.config());
  }

  @Test
  void envValue_isTheLastDefinition() {
    ContainerConfig c =
        ContainerConfig.EMPTY.toBuilder().env(List.of("A=1", "AB=2", "A=3", "B=")).build();
    assertEquals(Optional.of("3"), c.envValue("A"));
    assertEquals(Optional.of(""), c.envValue("B"));
    assertEquals(Optional.of("2"), c.envValue("AB"));
    assertEquals(Optional.empty(), c.envValue("C"));
  }

  @Test
  void healthcheckNanoseconds_readBackAsDurations() {
    Healthcheck h =
        ImageConfig.parse(ImageFixtures.everyConfigField().raw()).config().healthcheck().get();
    assertEquals(Optional.of(Duration.ofSeconds(30)), h.interval());
    assertEquals(Optional.of(Duration.ofNanos(1)), h.startInterval());
  }
}

package dev.hoist.registry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.ConnectException;
import java.net.UnknownHostException;
import java.util.List;
import okhttp3.HttpUrl;
import okhttp3.MediaType;
import okhttp3.Protocol;
import okhttp3.Request;
import okhttp3.Response;
import okhttp3.ResponseBody;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class RegistryErrorsTest {
  private static Response response(String method, String url, int status, String code) {
    String body =
        code.isEmpty()
            ? ""
            : "{\"errors\":[{\"code\":\"" + code + "\",\"message\":\"said " + code + "\"}]}";
    return new Response.Builder()
        .request(new Request.Builder().url(url).method(method, null).build())
        .protocol(Protocol.HTTP_1_1)
        .code(status)
        .message("x")
        .body(ResponseBody.create(body, MediaType.get("application/json")))
        .build();
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "401|UNAUTHORIZED|/v2/a/manifests/1|false|hoist login reg.test",
        "403|DENIED|/v2/a/blobs/uploads/|false|no access",
        "404|MANIFEST_UNKNOWN|/v2/a/manifests/1|false|tag or digest exist",
        "404|NAME_UNKNOWN|/v2/a/tags/list|false|repository name",
        "404||/v2/a/blobs/sha256:00|false|does not have this blob",
        "400|BLOB_UPLOAD_INVALID|/v2/a/blobs/uploads/x|false|try the push again",
        "400|MANIFEST_BLOB_UNKNOWN|/v2/a/manifests/1|false|every blob it names was pushed",
        "429|TOOMANYREQUESTS|/v2/a/manifests/1|true|rate limited",
        "503||/v2/a/manifests/1|true|try again later",
        "408||/v2/a/manifests/1|true|check the request",
      })
  void fromResponse_namesTheCodeAndWhatToTry(
      int status, String codeOrNull, String path, boolean retryable, String hint) {
    String code = codeOrNull == null ? "" : codeOrNull;
    RegistryException e =
        RegistryErrors.fromResponse(
            "do a thing",
            response("GET", "https://reg.test" + path + "?_state=secret", status, code));
    assertEquals(status, e.status().getAsInt());
    assertEquals(code.isEmpty() ? List.of() : List.of(code), e.codes());
    assertEquals(retryable, e.retryable());
    assertTrue(
        e.getMessage().startsWith("do a thing: GET https://reg.test" + path), e.getMessage());
    assertTrue(e.getMessage().contains(hint), e.getMessage());
    assertFalse(e.getMessage().contains("_state"), "query (upload state) never shown");
    assertFalse(e.getMessage().contains("\n"));
  }

  @Test
  void fromResponse_a401FromDockerHubsApiHostSaysToLogInToDockerHub() {
    RegistryException e =
        RegistryErrors.fromResponse(
            "pull docker.io/library/app:1",
            response(
                "GET",
                "https://registry-1.docker.io/v2/library/app/manifests/1",
                401,
                "UNAUTHORIZED"));
    assertTrue(e.getMessage().endsWith("check the credentials (hoist login)"), e.getMessage());
  }

  @Test
  void fromIo_saysWhatFailedWithoutAStatus() {
    HttpUrl url = HttpUrl.get("https://nowhere.test:5000/v2/");
    RegistryException unknown =
        RegistryErrors.fromIo("pull x", "GET", url, new UnknownHostException("nowhere.test"));
    assertTrue(unknown.getMessage().contains("unknown host nowhere.test"), unknown.getMessage());
    assertFalse(unknown.retryable());
    RegistryException refused =
        RegistryErrors.fromIo("pull x", "GET", url, new ConnectException("Connection refused"));
    assertTrue(refused.getMessage().contains("cannot connect to nowhere.test:5000"));
    assertTrue(refused.retryable());
    assertTrue(refused.status().isEmpty());
  }
}

package dev.hoist.registry;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.ConnectException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalInt;
import javax.net.ssl.SSLException;
import okhttp3.HttpUrl;
import okhttp3.Response;

/** Turns registry answers and transport failures into one-line {@link RegistryException}s. */
final class RegistryErrors {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final int MAX_ERROR_BODY = 64 * 1024;

  private RegistryErrors() {}

  /** The URL as it may appear in a message: no query (upload state), no user info. */
  static String safeUrl(HttpUrl url) {
    return url.newBuilder().query(null).username("").password("").build().toString();
  }

  static boolean retryableStatus(int status) {
    return status == 408 || status == 429 || status >= 500;
  }

  /** Reads the error body of {@code response} (and closes it) into an exception. */
  static RegistryException fromResponse(String action, Response response) {
    int status = response.code();
    String method = response.request().method();
    String url = safeUrl(response.request().url());
    List<String> codes = new ArrayList<>();
    List<String> messages = new ArrayList<>();
    try (response) {
      if (response.body() != null && !method.equals("HEAD")) {
        byte[] body = response.peekBody(MAX_ERROR_BODY).bytes();
        parse(body, codes, messages);
      }
    } catch (IOException | RuntimeException unreadable) {
      // the status alone still says enough
    }
    StringBuilder m = new StringBuilder(action).append(": ");
    m.append(method).append(' ').append(url).append(" returned ").append(status);
    if (!codes.isEmpty()) {
      m.append(' ').append(String.join(",", codes));
    }
    if (!messages.isEmpty()) {
      m.append(": ").append(String.join("; ", messages));
    }
    String limit = response.header("ratelimit-remaining");
    if (status == 429 && limit != null) {
      m.append(" (ratelimit-limit ")
          .append(String.valueOf(response.header("ratelimit-limit")))
          .append(", ratelimit-remaining ")
          .append(limit)
          .append(')');
    }
    m.append("; ").append(hint(status, codes, response.request().url()));
    return new RegistryException(
        oneLine(m.toString()),
        OptionalInt.of(status),
        method,
        url,
        codes,
        retryableStatus(status),
        null);
  }

  /** A failure with no HTTP answer: connection refused, unknown host, TLS, timeout, cut body. */
  static RegistryException fromIo(String action, String method, HttpUrl url, IOException e) {
    String host =
        url.host() + (url.port() == HttpUrl.defaultPort(url.scheme()) ? "" : ":" + url.port());
    String what;
    boolean retryable = true;
    if (e instanceof UnknownHostException) {
      what = "unknown host " + url.host() + "; check the registry name and DNS";
      retryable = false;
    } else if (e instanceof ConnectException) {
      what =
          "cannot connect to "
              + host
              + " ("
              + e.getMessage()
              + "); check the address and that"
              + " the registry is running";
    } else if (e instanceof SocketTimeoutException) {
      what = "timed out talking to " + host + "; the registry or network is slow, try again";
    } else if (e instanceof SSLException) {
      what =
          "TLS with "
              + host
              + " failed ("
              + e.getMessage()
              + "); put its CA in"
              + " /etc/docker/certs.d/"
              + host
              + "/ca.crt, or use --tls-verify=false /"
              + " --insecure-registry "
              + host
              + " if it is plain HTTP";
      retryable = false;
    } else {
      what = "connection to " + host + " broke (" + e + "); try again";
    }
    return new RegistryException(
        oneLine(action + ": " + method + " " + safeUrl(url) + ": " + what),
        OptionalInt.empty(),
        method,
        safeUrl(url),
        List.of(),
        retryable,
        e);
  }

  private static void parse(byte[] body, List<String> codes, List<String> messages) {
    if (body.length == 0) {
      return;
    }
    try {
      JsonNode n = JSON.readTree(body);
      for (JsonNode err : n.path("errors")) {
        String code = err.path("code").asText("");
        if (!code.isEmpty()) {
          codes.add(code);
        }
        String message = err.path("message").asText("");
        if (!message.isEmpty()) {
          messages.add(message);
        }
      }
      // token services answer {"details": "..."}
      if (n.hasNonNull("details")) {
        messages.add(n.get("details").asText());
      }
    } catch (IOException notJson) {
      // Some proxies answer HTML; show nothing of it rather than a page of markup.
    }
  }

  private static String hint(int status, List<String> codes, HttpUrl url) {
    String host =
        url.host() + (url.port() == HttpUrl.defaultPort(url.scheme()) ? "" : ":" + url.port());
    if (status == 401 || codes.contains("UNAUTHORIZED")) {
      // Docker Hub's API host is not what users log in to: plain "hoist login" means docker.io.
      return "check the credentials (hoist login"
          + (url.host().equals(Endpoints.DOCKER_HUB_API) ? "" : " " + host)
          + ")";
    }
    if (status == 403 || codes.contains("DENIED")) {
      return "the account has no access to this repository; check the name and its permissions";
    }
    if (codes.contains("MANIFEST_UNKNOWN")
        || (status == 404 && url.encodedPath().contains("/manifests/"))) {
      return "check that the image name and tag or digest exist";
    }
    if (codes.contains("NAME_UNKNOWN")) {
      return "check the repository name";
    }
    if (codes.contains("BLOB_UNKNOWN")
        || (status == 404 && url.encodedPath().contains("/blobs/"))) {
      return "the registry does not have this blob; the image may be incomplete";
    }
    if (codes.contains("BLOB_UPLOAD_INVALID") || codes.contains("BLOB_UPLOAD_UNKNOWN")) {
      return "the registry rejected the upload; try the push again";
    }
    if (codes.contains("MANIFEST_INVALID") || codes.contains("MANIFEST_BLOB_UNKNOWN")) {
      return "the registry rejected the manifest; check that every blob it names was pushed";
    }
    if (status == 429 || codes.contains("TOOMANYREQUESTS")) {
      return "rate limited; wait and try again, or log in for a higher limit";
    }
    if (status >= 500) {
      return "the registry failed; try again later";
    }
    return "check the request and the registry's documentation";
  }

  static String oneLine(String s) {
    return s.replaceAll("[\\r\\n]+", " ");
  }
}

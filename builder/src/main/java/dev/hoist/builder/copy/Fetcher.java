package dev.hoist.builder.copy;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Optional;

/** Downloads ADD's URLs: redirects followed, the body streamed, Last-Modified kept. */
final class Fetcher {
  private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(30);

  private HttpClient client; // made on first use: most copies fetch nothing

  /** An open download: the body must be closed by the caller. */
  record Response(InputStream body, Optional<Instant> lastModified) {}

  private HttpClient client() {
    if (client == null) {
      client =
          HttpClient.newBuilder()
              .followRedirects(HttpClient.Redirect.NORMAL)
              .connectTimeout(CONNECT_TIMEOUT)
              .build();
    }
    return client;
  }

  /**
   * Opens {@code url}.
   *
   * @throws IOException with a one-line message naming the URL when the server does not answer 200
   */
  Response open(URI url) throws IOException {
    HttpRequest request = HttpRequest.newBuilder(url).GET().build();
    HttpResponse<InputStream> response;
    try {
      response = client().send(request, HttpResponse.BodyHandlers.ofInputStream());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("download of \"" + url + "\" interrupted", e);
    } catch (IOException e) {
      throw new IOException(
          "cannot download \"" + url + "\": " + e + "; check the URL and the network", e);
    }
    if (response.statusCode() != 200) {
      response.body().close();
      throw new IOException(
          "cannot download \""
              + url
              + "\": the server answered HTTP "
              + response.statusCode()
              + "; check the URL");
    }
    Optional<Instant> lastModified =
        response.headers().firstValue("Last-Modified").flatMap(Fetcher::httpDate);
    return new Response(response.body(), lastModified);
  }

  static Optional<Instant> httpDate(String value) {
    try {
      return Optional.of(
          ZonedDateTime.parse(value.strip(), DateTimeFormatter.RFC_1123_DATE_TIME).toInstant());
    } catch (DateTimeParseException e) {
      return Optional.empty(); // a malformed date is no reason to fail the build
    }
  }
}

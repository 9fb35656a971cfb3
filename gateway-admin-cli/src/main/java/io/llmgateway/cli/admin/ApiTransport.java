package io.llmgateway.cli.admin;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.llmgateway.cli.CliException;
import io.llmgateway.cli.ExitCode;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * HTTP to the admin API with the admin key: requests, and answers turned into JSON or into the
 * CLI's exit codes and one-line messages. The key is sent only in the Authorization header and
 * never appears in a message. Thread-safe.
 */
final class ApiTransport {
  private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(10);
  private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(60);

  private final URI base;
  private final String adminKey;
  private final HttpClient http;
  private final ObjectMapper json = new ObjectMapper();

  ApiTransport(URI base, String adminKey) {
    String b = base.toString();
    this.base = URI.create(b.endsWith("/") ? b.substring(0, b.length() - 1) : b);
    this.adminKey = adminKey;
    this.http = HttpClient.newBuilder().connectTimeout(CONNECT_TIMEOUT).build();
  }

  HttpRequest get(String path, Map<String, Object> params) {
    return request(path + "?" + encode(params)).GET().build();
  }

  HttpRequest post(String path, JsonNode body) {
    return request(path)
        .header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(body.toString()))
        .build();
  }

  private HttpRequest.Builder request(String pathAndQuery) {
    return HttpRequest.newBuilder(URI.create(base + pathAndQuery))
        .timeout(REQUEST_TIMEOUT)
        .header("Authorization", "Bearer " + adminKey)
        .header("Accept", "application/json");
  }

  HttpResponse<String> send(HttpRequest request) {
    try {
      return http.send(request, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
    } catch (java.net.http.HttpTimeoutException e) {
      throw CliException.infrastructure(
          "the admin API at " + base + " did not answer in time (" + e.getMessage() + ")", e);
    } catch (IOException e) {
      throw CliException.infrastructure(
          "cannot reach " + base + ": " + describe(e) + " (check GATEWAY_URL / --url)", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw CliException.infrastructure("interrupted", e);
    }
  }

  /** A look-up: 404 is "no such object (or not yours)", every other failure as {@link #read}. */
  Optional<JsonNode> optional(HttpRequest request) {
    HttpResponse<String> r = send(request);
    if (r.statusCode() == 404) {
      return Optional.empty();
    }
    return Optional.of(read(r));
  }

  /** The body of a 2xx answer; an error envelope becomes the CLI's exit code and one line. */
  JsonNode read(HttpResponse<String> r) {
    return read(r.statusCode(), r.body());
  }

  private JsonNode read(int status, String text) {
    JsonNode body;
    try {
      body = json.readTree(text);
    } catch (IOException e) {
      body = null;
    }
    if (status >= 200 && status < 300 && body != null) {
      return body;
    }
    String message =
        body == null
            ? "HTTP " + status
            : body.path("error").path("message").asText("HTTP " + status);
    if (status == 401) {
      throw CliException.validation(
          "the admin API refused the key (401: "
              + message
              + "): check GATEWAY_ADMIN_KEY (a master, proxy-admin or team-admin key)");
    }
    if (status == 403) {
      throw CliException.validation(
          "the admin API refused (403: " + message + "): the key's role may not do this");
    }
    if (status >= 400 && status < 500) {
      throw CliException.validation(message);
    }
    throw new CliException(
        ExitCode.INFRASTRUCTURE, "the admin API at " + base + " failed (HTTP " + status + ")");
  }

  /**
   * A GET whose 200 body is copied to {@code out} as it arrives (an export may be large: it is
   * never held in memory); any other answer is an error as in {@link #read}. Only the wait for the
   * response headers is bounded by the request timeout.
   */
  void download(String path, Map<String, Object> params, java.io.Writer out) throws IOException {
    HttpRequest request =
        HttpRequest.newBuilder(URI.create(base + path + "?" + encode(params)))
            .timeout(REQUEST_TIMEOUT)
            .header("Authorization", "Bearer " + adminKey)
            .GET()
            .build();
    HttpResponse<java.io.InputStream> r;
    try {
      r = http.send(request, HttpResponse.BodyHandlers.ofInputStream());
    } catch (java.net.http.HttpTimeoutException e) {
      throw CliException.infrastructure(
          "the admin API at " + base + " did not answer in time (" + e.getMessage() + ")", e);
    } catch (IOException e) {
      throw CliException.infrastructure(
          "cannot reach " + base + ": " + describe(e) + " (check GATEWAY_URL / --url)", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw CliException.infrastructure("interrupted", e);
    }
    try (java.io.Reader in = new java.io.InputStreamReader(r.body(), StandardCharsets.UTF_8)) {
      if (r.statusCode() != 200) {
        read(r.statusCode(), new String(r.body().readAllBytes(), StandardCharsets.UTF_8));
        return;
      }
      in.transferTo(out);
    }
  }

  private static String describe(IOException e) {
    if (e instanceof java.net.ConnectException) {
      return "connection refused";
    }
    return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
  }

  static Map<String, Object> query(Object... pairs) {
    Map<String, Object> m = new LinkedHashMap<>();
    for (int i = 0; i < pairs.length; i += 2) {
      m.put((String) pairs[i], pairs[i + 1]);
    }
    return m;
  }

  private static String encode(Map<String, Object> params) {
    List<String> parts = new ArrayList<>();
    params.forEach(
        (k, v) ->
            parts.add(k + "=" + URLEncoder.encode(String.valueOf(v), StandardCharsets.UTF_8)));
    return String.join("&", parts);
  }
}

package io.llmgateway.server.ui;

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * A plain HTTP client for the UI, the way a script (or an attacker) would talk to it: cookies are
 * kept by hand, redirects are not followed, and {@code Origin} is sent only when asked.
 */
final class UiHttp {
  private static final Pattern HIDDEN =
      Pattern.compile("name=\"(_csrf|_login)\" value=\"([^\"]+)\"");

  final String base;
  final Map<String, String> cookies = new LinkedHashMap<>();
  private final HttpClient http =
      HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).build();

  UiHttp(String base) {
    this.base = base;
  }

  HttpResponse<String> get(String path, String... headers) throws Exception {
    HttpRequest.Builder b = request(path, headers).GET();
    return send(b);
  }

  HttpResponse<String> post(String path, Map<String, String> form, String... headers)
      throws Exception {
    String body =
        form.entrySet().stream()
            .map(
                e ->
                    URLEncoder.encode(e.getKey(), StandardCharsets.UTF_8)
                        + "="
                        + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8))
            .collect(Collectors.joining("&"));
    HttpRequest.Builder b =
        request(path, headers)
            .header("Content-Type", "application/x-www-form-urlencoded")
            .POST(HttpRequest.BodyPublishers.ofString(body));
    return send(b);
  }

  /** Origin header of this server, as a browser sends it on a same-origin form post. */
  String[] sameOrigin() {
    return new String[] {"Origin", base};
  }

  /** Signs in through the form; returns the response to the sign-in POST. */
  HttpResponse<String> signIn(String user, String password) throws Exception {
    HttpResponse<String> form = get("/ui/login");
    String nonce = hidden(form.body(), "_login").orElseThrow();
    return post(
        "/ui/login", Map.of("username", user, "password", password, "_login", nonce), sameOrigin());
  }

  /** The CSRF token from a page's forms. */
  String csrf(String path) throws Exception {
    return hidden(get(path).body(), "_csrf").orElseThrow();
  }

  static Optional<String> hidden(String html, String name) {
    Matcher m = HIDDEN.matcher(html);
    while (m.find()) {
      if (m.group(1).equals(name)) {
        return Optional.of(m.group(2));
      }
    }
    return Optional.empty();
  }

  private HttpRequest.Builder request(String path, String... headers) {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(30));
    if (!cookies.isEmpty()) {
      b.header(
          "Cookie",
          cookies.entrySet().stream()
              .map(e -> e.getKey() + "=" + e.getValue())
              .collect(Collectors.joining("; ")));
    }
    if (headers.length > 0) {
      b.headers(headers);
    }
    return b;
  }

  private HttpResponse<String> send(HttpRequest.Builder b) throws Exception {
    HttpResponse<String> r = http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    for (String c : setCookies(r)) {
      String pair = c.split(";", 2)[0];
      int eq = pair.indexOf('=');
      String name = pair.substring(0, eq);
      String value = pair.substring(eq + 1);
      if (value.isEmpty()) {
        cookies.remove(name);
      } else {
        cookies.put(name, value);
      }
    }
    return r;
  }

  static List<String> setCookies(HttpResponse<?> r) {
    return r.headers().allValues("Set-Cookie");
  }
}

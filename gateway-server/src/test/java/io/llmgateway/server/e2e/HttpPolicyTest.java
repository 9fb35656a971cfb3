package io.llmgateway.server.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.llmgateway.bedrock.stub.StubResponse;
import io.llmgateway.server.HttpSettings;
import io.llmgateway.server.ServerConfig;
import io.llmgateway.server.support.GatewayStack;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Policies on every request, behind a trusted proxy (this test's loopback peer): failed keys
 * throttled per client address, HSTS only over TLS, the metrics token, the docs page's security
 * headers, and SSE heartbeats while the model has not answered yet.
 */
class HttpPolicyTest {
  static final String METRICS_TOKEN = "metrics-token-0123456789abcdef";
  static GatewayStack stack;
  static String key;

  @BeforeAll
  static void start() {
    HttpSettings http =
        HttpSettings.builder()
            .trustedProxies(List.of("127.0.0.1/32", "::1"))
            .keyFailuresPerMinute(5)
            .metricsToken(METRICS_TOKEN)
            .sseHeartbeat(Duration.ofMillis(200))
            .build();
    stack = GatewayStack.start(ServerConfig.forTests().toBuilder().http(http).build(), s -> s);
    key = stack.userKey("drafting");
  }

  @AfterAll
  static void stop() {
    stack.close();
  }

  static HttpResponse<String> get(String path, String... headers) throws Exception {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(URI.create(stack.server.baseUrl() + path))
            .timeout(Duration.ofSeconds(20));
    if (headers.length > 0) {
      b.headers(headers);
    }
    return stack.http().send(b.GET().build(), HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void failedKeysAreThrottledPerClientAddress() throws Exception {
    String guesser = "X-Forwarded-For";
    for (int i = 0; i < 5; i++) {
      HttpResponse<String> r =
          get("/v1/models", "Authorization", "Bearer sk-guess-" + i, guesser, "203.0.113.7");
      assertThat(r.statusCode()).isEqualTo(401);
    }
    HttpResponse<String> blocked =
        get("/v1/models", "Authorization", "Bearer sk-guess-x", guesser, "203.0.113.7");
    assertThat(blocked.statusCode()).isEqualTo(429);
    assertThat(blocked.body()).contains("\"code\":\"too_many_failed_keys\"");
    assertThat(blocked.headers().firstValue("retry-after")).isPresent();
    // The same guess from elsewhere is still just a wrong key.
    assertThat(
            get("/v1/models", "Authorization", "Bearer sk-guess-x", guesser, "203.0.113.8")
                .statusCode())
        .isEqualTo(401);
    // A header the client wrote left of the proxy's entry does not move it to a fresh address.
    assertThat(
            get(
                    "/v1/models",
                    "Authorization",
                    "Bearer sk-guess-y",
                    guesser,
                    "198.51.100.1, 203.0.113.7")
                .statusCode())
        .isEqualTo(429);
  }

  @Test
  void hstsOnlyWhenTheClientUsedTls() throws Exception {
    HttpResponse<String> tls = get("/health/liveliness", "X-Forwarded-Proto", "https");
    assertThat(tls.headers().firstValue("Strict-Transport-Security"))
        .hasValueSatisfying(v -> assertThat(v).contains("max-age="));
    HttpResponse<String> plain = get("/health/liveliness", "X-Forwarded-Proto", "http");
    assertThat(plain.headers().firstValue("Strict-Transport-Security")).isEmpty();
  }

  @Test
  void metricsNeedTheTokenWhenOneIsSet() throws Exception {
    HttpResponse<String> none = get("/metrics");
    assertThat(none.statusCode()).isEqualTo(401);
    assertThat(none.body()).contains("\"error\"").doesNotContain("jvm_");
    assertThat(get("/metrics", "Authorization", "Bearer wrong-token").statusCode()).isEqualTo(401);
    HttpResponse<String> ok = get("/metrics", "Authorization", "Bearer " + METRICS_TOKEN);
    assertThat(ok.statusCode()).isEqualTo(200);
    assertThat(ok.body()).contains("jvm_");
  }

  @Test
  void theDocsPageCannotBeFramedAndRunsNoInlineScript() throws Exception {
    HttpResponse<String> page = get("/");
    assertThat(page.headers().firstValue("X-Frame-Options")).hasValue("DENY");
    String csp = page.headers().firstValue("Content-Security-Policy").orElseThrow();
    assertThat(csp).contains("frame-ancestors 'none'", "script-src 'self'");
    assertThat(csp).doesNotContain("unsafe-inline");
    assertThat(page.body()).doesNotContainPattern("<script>");
    assertThat(get("/docs/init.js").body()).contains("SwaggerUIBundle");
  }

  @Test
  void aStreamSendsPingsWhileTheModelHasNotAnsweredYet() throws Exception {
    stack.stub.enqueue(
        StubResponse.delayed(Duration.ofMillis(1_200), StubResponse.stream(List.of("hi"), 3, 1)));
    HttpResponse<String> r =
        stack.post(
            "/v1/chat/completions",
            key,
            "{\"model\":\"model-cheap\",\"stream\":true,"
                + "\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}");
    assertThat(r.statusCode()).isEqualTo(200);
    String body = r.body();
    assertThat(body).contains(": ping\n\n").endsWith("data: [DONE]\n\n");
    assertThat(body.indexOf(": ping")).isLessThan(body.indexOf("\"content\":\"hi\""));
  }
}

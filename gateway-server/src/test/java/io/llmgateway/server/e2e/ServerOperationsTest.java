package io.llmgateway.server.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.llmgateway.bedrock.stub.StubResponse;
import io.llmgateway.core.admin.IssuedKey;
import io.llmgateway.core.identity.Principal;
import io.llmgateway.server.support.GatewayStack;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Locale;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Request ids, health, metrics, OpenAPI and Swagger UI, and key revocation through the cache. */
class ServerOperationsTest {
  static GatewayStack stack;
  static final ObjectMapper JSON = new ObjectMapper();
  static final String CHAT =
      "{\"model\":\"model-cheap\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}";

  @BeforeAll
  static void start() {
    stack = GatewayStack.start();
  }

  @AfterAll
  static void stop() {
    stack.close();
  }

  @BeforeEach
  void resetStub() {
    stack.stub.reset();
  }

  @Test
  void echoesASaneRequestIdAndReplacesAnUnsafeOne() throws Exception {
    String key = stack.userKey("drafting");
    HttpResponse<String> sane =
        stack.post("/v1/chat/completions", key, CHAT.getBytes(), "x-request-id", "trace-42.a:b");
    assertThat(sane.headers().firstValue("x-request-id")).contains("trace-42.a:b");

    HttpResponse<String> unsafe =
        stack.post("/v1/chat/completions", key, CHAT.getBytes(), "x-request-id", "a b\tforged=1");
    assertThat(unsafe.headers().firstValue("x-request-id").orElseThrow()).matches("[0-9a-f-]{36}");

    HttpResponse<String> none = stack.get("/health/liveliness", null);
    assertThat(none.headers().firstValue("x-request-id")).isPresent();
  }

  @Test
  void livenessAndReadinessArePublic() throws Exception {
    assertThat(stack.get("/health/liveliness", null).statusCode()).isEqualTo(200);
    assertThat(stack.get("/health/liveness", null).body()).isEqualTo("\"I'm alive!\"");
    HttpResponse<String> ready = stack.get("/health/readiness", null);
    assertThat(ready.statusCode()).isEqualTo(200);
    assertThat(JSON.readTree(ready.body()).path("db").asText()).isEqualTo("connected");
  }

  @Test
  void healthNeedsTheMasterKeyAndProbesEveryDeploymentWithoutSecrets() throws Exception {
    assertThat(stack.get("/health", null).statusCode()).isEqualTo(401);
    assertThat(stack.get("/health", stack.userKey("architect")).statusCode()).isEqualTo(403);

    HttpResponse<String> health = stack.get("/health", GatewayStack.MASTER_KEY);

    assertThat(health.statusCode()).isEqualTo(200);
    JsonNode body = JSON.readTree(health.body());
    assertThat(body.path("healthy_count").asInt() + body.path("unhealthy_count").asInt())
        .isEqualTo(7);
    // Every deployment of config/models.yaml, the embedding model probed through InvokeModel.
    assertThat(body.path("healthy_count").asInt()).isEqualTo(7);
    assertThat(health.body())
        .doesNotContain(GatewayStack.MASTER_KEY)
        .doesNotContain("AKID")
        .doesNotContain("stub-secret");
  }

  @Test
  void metricsCountRequestsTokensCostRefusalsAndUpstreamLatency() throws Exception {
    String key = stack.userKey("drafting");
    stack.stub.enqueue(StubResponse.text("hello", 10, 5));
    assertThat(stack.post("/v1/chat/completions", key, CHAT).statusCode()).isEqualTo(200);
    assertThat(
            stack
                .post("/v1/chat/completions", key, CHAT.replace("model-cheap", "model-reasoning"))
                .statusCode())
        .isEqualTo(403);

    // Settled counts are written with the spend, just after the answers (deferred settlement).
    assertThat(stack.server.gateway().flushSettlements(java.time.Duration.ofSeconds(10))).isTrue();
    String metrics = stack.get("/metrics", null).body();

    assertThat(metrics)
        .contains("gateway_settlements_queued 0.0")
        .contains("gateway_requests_settled_total{model=\"model-cheap\",status=\"success\"}")
        .contains("gateway_tokens_total{model=\"model-cheap\",type=\"output\"}")
        .contains("gateway_cost_usd_total{model=\"model-cheap\"}")
        .contains(
            "gateway_requests_refused_total{code=\"model_not_allowed\",model=\"model-reasoning\"}")
        .contains("gateway_http_requests_seconds_bucket")
        .contains("route=\"/v1/chat/completions\"")
        .contains("gateway_upstream_seconds_bucket")
        .contains("gateway_requests_inflight")
        .doesNotContain(key)
        .doesNotContain("key_");
  }

  @Test
  void openApiDocumentsEveryRouteTheServerServes() throws Exception {
    JsonNode doc = JSON.readTree(stack.get("/openapi.json", null).body());
    assertThat(doc.path("openapi").asText()).startsWith("3.");
    assertThat(stack.server.routes()).isNotEmpty();
    for (String route : stack.server.routes()) {
      String method = route.substring(0, route.indexOf(' ')).toLowerCase(Locale.ROOT);
      String path = route.substring(route.indexOf(' ') + 1);
      // WebJars and the admin UI's HTML pages (docs/UI.md) are not part of the API.
      if (path.startsWith("/webjars") || path.startsWith("/ui")) {
        continue;
      }
      assertThat(doc.path("paths").path(path).has(method)).as(route + " is documented").isTrue();
    }
  }

  @Test
  void servesSwaggerUiAtTheRoot() throws Exception {
    HttpResponse<String> page = stack.get("/", null);
    assertThat(page.statusCode()).isEqualTo(200);
    assertThat(page.headers().firstValue("content-type").orElseThrow()).startsWith("text/html");
    String script =
        page.body().replaceAll("(?s).*<script src=\"([^\"]+swagger-ui-bundle.js)\".*", "$1");
    assertThat(script).endsWith("swagger-ui-bundle.js");
    HttpResponse<String> js = stack.get(script, null);
    assertThat(js.statusCode()).isEqualTo(200);
    assertThat(js.headers().firstValue("content-type").orElseThrow()).startsWith("text/javascript");
    assertThat(js.body()).contains("SwaggerUIBundle");
    String css = script.replace("swagger-ui-bundle.js", "swagger-ui.css");
    assertThat(stack.get(css, null).statusCode()).isEqualTo(200);
    // Only the page's two files: no other WebJar file, no path into the classpath.
    String dir = script.substring(0, script.lastIndexOf('/') + 1);
    assertThat(stack.get(dir + "index.html", null).statusCode()).isEqualTo(404);
    assertThat(
            stack.get(dir + "..%2F..%2Fuplot%2F1.6.30%2Fdist%2FuPlot.min.css", null).statusCode())
        .isEqualTo(404);
    assertThat(stack.get("/webjars/uplot/1.6.30/dist/uPlot.min.css", null).statusCode())
        .isEqualTo(404);
  }

  @Test
  void aBlockedKeyStopsWorkingWithinTheCacheLifetime() throws Exception {
    IssuedKey key = stack.key("drafting", s -> s);
    assertThat(stack.post("/v1/chat/completions", key.plaintext(), CHAT).statusCode())
        .isEqualTo(200);

    stack.admin.blockKey(Principal.MASTER, key.key().id(), true);

    long deadline = System.nanoTime() + 2_000_000_000L;
    int status = 200;
    while (System.nanoTime() < deadline && status == 200) {
      status = stack.post("/v1/chat/completions", key.plaintext(), CHAT).statusCode();
      Thread.sleep(20);
    }
    assertThat(status).isEqualTo(401);
  }

  @Test
  void unknownRoutesAnswerInTheErrorShape() throws Exception {
    HttpResponse<String> r =
        stack
            .http()
            .send(
                HttpRequest.newBuilder(URI.create(stack.server.baseUrl() + "/v2/nothing%0d%0aX"))
                    .GET()
                    .build(),
                HttpResponse.BodyHandlers.ofString());
    assertThat(r.statusCode()).isEqualTo(404);
    assertThat(JSON.readTree(r.body()).path("error").path("code").asText()).isEqualTo("not_found");
    assertThat(r.body()).doesNotContain("\r");
  }

  @Test
  void everyFinishedRequestLeavesTheInFlightCount() throws Exception {
    stack.get("/nothing-here", null);
    stack.post("/v1/chat/completions", "sk-wrong", CHAT);
    stack.post("/v1/chat/completions", stack.userKey("drafting"), CHAT);
    long deadline = System.nanoTime() + 2_000_000_000L;
    while (stack.server.services().inFlight().requests() > 0 && System.nanoTime() < deadline) {
      Thread.sleep(10);
    }
    assertThat(stack.server.services().inFlight().requests()).isZero();
  }
}

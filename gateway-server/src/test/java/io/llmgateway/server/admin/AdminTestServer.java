package io.llmgateway.server.admin;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.llmgateway.bedrock.Providers;
import io.llmgateway.bedrock.stub.BedrockStub;
import io.llmgateway.postgres.DatabaseConfig;
import io.llmgateway.postgres.PostgresAdapters;
import io.llmgateway.postgres.testing.PostgresFixture;
import io.llmgateway.server.GatewayServer;
import io.llmgateway.server.ServerConfig;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;

/**
 * A real gateway for admin API tests: GatewayServer on 127.0.0.1 over real PostgreSQL (a fresh
 * database from PostgresFixture) whose Bedrock provider points at the wire-format BedrockStub, plus
 * a small HTTP client. Nothing is mocked. {@link #second()} starts another instance on the same
 * database, as two pods behind a load balancer.
 */
final class AdminTestServer implements AutoCloseable {
  static final String MASTER = "sk-test-master";
  static final ObjectMapper JSON = new ObjectMapper();

  final BedrockStub stub;
  final DatabaseConfig db;
  final PostgresAdapters adapters;
  final GatewayServer server;
  private final boolean ownsStub;
  private final HttpClient http =
      HttpClient.newBuilder()
          .version(HttpClient.Version.HTTP_1_1)
          .connectTimeout(Duration.ofSeconds(5))
          .build();

  private AdminTestServer(BedrockStub stub, DatabaseConfig db, boolean ownsStub) {
    this.stub = stub;
    this.db = db;
    this.ownsStub = ownsStub;
    this.adapters = PostgresAdapters.start(db);
    this.server =
        GatewayServer.start(
            ServerConfig.forTests(),
            adapters.stores(),
            List.of(Providers.bedrock(stub.settings())),
            java.time.Clock.systemUTC());
  }

  static AdminTestServer start() {
    return new AdminTestServer(BedrockStub.start(), PostgresFixture.migratedDatabase(), true);
  }

  /** Another instance on the same database and stub. */
  AdminTestServer second() {
    return new AdminTestServer(stub, db, false);
  }

  String url() {
    return server.baseUrl();
  }

  /** An HTTP answer: status, parsed JSON body (or null) and raw text. */
  record Answer(int status, JsonNode json, String text, HttpResponse<String> raw) {
    String code() {
      return json == null ? null : json.path("error").path("code").asText(null);
    }

    String param() {
      return json == null ? null : json.path("error").path("param").asText(null);
    }
  }

  Answer get(String path, String bearer) {
    return send("GET", path, bearer, null);
  }

  Answer post(String path, String bearer, String body) {
    return send("POST", path, bearer, body);
  }

  Answer send(String method, String path, String bearer, String body) {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(URI.create(url() + path)).timeout(Duration.ofSeconds(30));
    if (bearer != null) {
      b.header("Authorization", "Bearer " + bearer);
    }
    if (body != null) {
      b.header("Content-Type", "application/json");
    }
    b.method(
        method,
        body == null
            ? HttpRequest.BodyPublishers.noBody()
            : HttpRequest.BodyPublishers.ofString(body));
    try {
      HttpResponse<String> r = http.send(b.build(), HttpResponse.BodyHandlers.ofString());
      JsonNode json = null;
      try {
        json = r.body().isBlank() ? null : JSON.readTree(r.body());
      } catch (IOException notJson) {
        // leave null
      }
      return new Answer(r.statusCode(), json, r.body(), r);
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /** Adds the seed's three Nova deployments through the API. */
  void addSeedModels() {
    for (String[] m :
        new String[][] {
          {"model-cheap", "us.amazon.nova-micro-v1:0"},
          {"model-balanced", "us.amazon.nova-lite-v1:0"},
          {"model-reasoning", "us.amazon.nova-pro-v1:0"}
        }) {
      Answer a =
          post(
              "/model/new",
              MASTER,
              """
              {"model_name": "%s", "litellm_params": {"model": "bedrock/converse/%s",
               "aws_region_name": "us-east-1"}}"""
                  .formatted(m[0], m[1]));
      if (a.status() != 200) {
        throw new IllegalStateException("model/new failed: " + a.text());
      }
    }
  }

  /** Generates a key with the given JSON body and returns its plaintext. */
  String key(String body) {
    Answer a = post("/key/generate", MASTER, body);
    if (a.status() != 200) {
      throw new IllegalStateException("key/generate failed: " + a.text());
    }
    return a.json().get("key").asText();
  }

  Answer chat(String bearer, String model) {
    return post(
        "/v1/chat/completions",
        bearer,
        "{\"model\":\"" + model + "\",\"messages\":[{\"role\":\"user\",\"content\":\"Hello!\"}]}");
  }

  @Override
  public void close() {
    server.close();
    adapters.close();
    if (ownsStub) {
      stub.close();
    }
  }
}

package io.llmgateway.server.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.openai.client.OpenAIClient;
import com.openai.errors.PermissionDeniedException;
import com.openai.errors.RateLimitException;
import com.openai.errors.UnauthorizedException;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import io.llmgateway.bedrock.Providers;
import io.llmgateway.core.PageRequest;
import io.llmgateway.core.admin.IssuedKey;
import io.llmgateway.core.admin.KeySpec;
import io.llmgateway.core.budget.BudgetLimit;
import io.llmgateway.core.identity.KeyRole;
import io.llmgateway.core.identity.Principal;
import io.llmgateway.core.internal.RefusalWriter;
import io.llmgateway.core.money.Money;
import io.llmgateway.core.requestlog.RequestLogQuery;
import io.llmgateway.server.GatewayServer;
import io.llmgateway.server.support.GatewayStack;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The request log end to end: a real server on real PostgreSQL, the official OpenAI SDK as client.
 * Requests refused for budget (429), a blocked key (401), a model not allowed (403) and an unknown
 * key (401) each appear in {@code GET /request/logs} with their reason, user and team beside the
 * admitted ones with tokens and cost, scoped per role as {@code /spend/logs} is.
 */
class RequestLogTest {
  static GatewayStack stack;
  static final ObjectMapper json = new ObjectMapper();

  @BeforeAll
  static void start() {
    stack = GatewayStack.start();
  }

  @AfterAll
  static void stop() {
    stack.close();
  }

  static void call(OpenAIClient client, String model) {
    client
        .chat()
        .completions()
        .create(ChatCompletionCreateParams.builder().model(model).addUserMessage("Hi").build());
  }

  static List<JsonNode> log(String query, String key) throws Exception {
    var r = stack.get("/request/logs?" + query, key);
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    return StreamSupport.stream(json.readTree(r.body()).spliterator(), false).toList();
  }

  static String q(String v) {
    return URLEncoder.encode(v, StandardCharsets.UTF_8);
  }

  @Test
  void everyRefusalAppearsWithItsReasonUserAndTeamBesideAdmittedRequests() throws Exception {
    // Admitted: tokens and cost.
    IssuedKey ok = stack.key("drafting", s -> s.toBuilder().alias("alice-laptop").build());
    call(stack.client(ok.plaintext()), "model-cheap");
    // Over budget: 429.
    String poor = "poor-" + UUID.randomUUID().toString().substring(0, 6);
    stack.admin.createUser(
        Principal.MASTER,
        io.llmgateway.core.admin.UserSpec.member(poor, "drafting").toBuilder()
            .budgets(List.of(BudgetLimit.daily(Money.ofUsd("0.000000001"))))
            .build());
    IssuedKey poorKey =
        stack.admin.generateKey(
            Principal.MASTER,
            KeySpec.forUser(poor).toBuilder().teamId("drafting").alias("poor-key").build());
    assertThatThrownBy(() -> call(stack.client(poorKey.plaintext()), "model-cheap"))
        .isInstanceOf(RateLimitException.class);
    // Blocked: 401.
    IssuedKey blocked = stack.key("coding", s -> s.toBuilder().alias("blocked-key").build());
    stack.admin.blockKey(Principal.MASTER, blocked.key().id(), true);
    assertThatThrownBy(() -> call(stack.client(blocked.plaintext()), "model-balanced"))
        .isInstanceOf(UnauthorizedException.class);
    // A model outside the tier: 403.
    IssuedKey narrow = stack.key("drafting", s -> s);
    assertThatThrownBy(() -> call(stack.client(narrow.plaintext()), "model-reasoning"))
        .isInstanceOf(PermissionDeniedException.class);
    // An unknown key: 401, nothing of it kept.
    String bogus = "sk-bogus-" + UUID.randomUUID();
    assertThatThrownBy(() -> call(stack.client(bogus), "model-cheap"))
        .isInstanceOf(UnauthorizedException.class);

    String master = GatewayStack.MASTER_KEY;
    JsonNode admitted = log("user_id=" + q(ok.key().userId().orElseThrow()), master).getFirst();
    assertThat(admitted.get("status").asText()).isEqualTo("success");
    assertThat(admitted.get("admitted").asBoolean()).isTrue();
    assertThat(admitted.get("key_alias").asText()).isEqualTo("alice-laptop");
    assertThat(admitted.get("team_id").asText()).isEqualTo("drafting");
    assertThat(admitted.get("prompt_tokens").asLong()).isPositive();
    assertThat(admitted.get("spend").asDouble()).isPositive();

    JsonNode budget = log("user_id=" + poor, master).getFirst();
    assertThat(budget.get("status").asText()).isEqualTo("refused");
    assertThat(budget.get("http_status").asInt()).isEqualTo(429);
    assertThat(budget.get("reason").asText()).isEqualTo("budget_exceeded");
    assertThat(budget.get("detail").asText()).isEqualTo("daily user budget");
    assertThat(budget.get("key_alias").asText()).isEqualTo("poor-key");
    assertThat(budget.get("key_id").asText()).isEqualTo(poorKey.key().id());
    assertThat(budget.get("team_id").asText()).isEqualTo("drafting");
    assertThat(budget.get("model").asText()).isEqualTo("model-cheap");
    assertThat(budget.get("spend").asDouble()).isZero();

    JsonNode block = log("user_id=" + q(blocked.key().userId().orElseThrow()), master).getFirst();
    assertThat(block.get("http_status").asInt()).isEqualTo(401);
    assertThat(block.get("reason").asText()).isEqualTo("blocked_api_key");
    assertThat(block.get("key_alias").asText()).isEqualTo("blocked-key");
    assertThat(block.get("team_id").asText()).isEqualTo("coding");

    JsonNode model = log("user_id=" + q(narrow.key().userId().orElseThrow()), master).getFirst();
    assertThat(model.get("http_status").asInt()).isEqualTo(403);
    assertThat(model.get("reason").asText()).isEqualTo("model_not_allowed");
    assertThat(model.get("model").asText()).isEqualTo("model-reasoning");
    assertThat(model.get("team_id").asText()).isEqualTo("drafting");

    List<JsonNode> invalid = log("status=invalid_api_key", master);
    assertThat(invalid).isNotEmpty();
    JsonNode unknown = invalid.getFirst();
    assertThat(unknown.get("key_id").isNull()).isTrue();
    assertThat(unknown.get("user").isNull()).isTrue();
    assertThat(unknown.get("client_ip").asText()).isEqualTo("127.0.0.1");
    // Nothing of the presented key is stored or shown.
    var raw = stack.get("/request/logs?page_size=1000", master).body();
    assertThat(raw).doesNotContain(bogus, bogus.substring(0, 12), ok.plaintext());

    // Filters: refused only, and admitted only.
    assertThat(log("status=refused&team_id=drafting", master))
        .extracting(n -> n.get("status").asText())
        .containsOnly("refused");
    assertThat(log("status=admitted&team_id=drafting", master))
        .extracting(n -> n.get("admitted").asBoolean())
        .containsOnly(true);
    // /spend/logs keeps LiteLLM's shape and lists admitted requests only.
    var spend = json.readTree(stack.get("/spend/logs?user_id=" + poor, master).body());
    assertThat(spend).isEmpty();
  }

  @Test
  void aTeamAdminReadsOnlyItsTeamAndAKeyOnlyItself() throws Exception {
    IssuedKey codingUser = stack.key("coding", s -> s);
    assertThatThrownBy(() -> call(stack.client(codingUser.plaintext()), "model-cheap"))
        .isInstanceOf(PermissionDeniedException.class);
    IssuedKey draftingUser = stack.key("drafting", s -> s);
    assertThatThrownBy(() -> call(stack.client(draftingUser.plaintext()), "model-balanced"))
        .isInstanceOf(PermissionDeniedException.class);
    String lead =
        stack
            .admin
            .generateKey(
                Principal.MASTER,
                KeySpec.forUser(draftingUser.key().userId().orElseThrow()).toBuilder()
                    .teamId("drafting")
                    .role(KeyRole.TEAM_ADMIN)
                    .build())
            .plaintext();

    assertThat(log("status=refused", lead))
        .isNotEmpty()
        .extracting(n -> n.get("team_id").asText())
        .containsOnly("drafting");
    assertThat(stack.get("/request/logs?team_id=coding", lead).statusCode()).isEqualTo(403);
    // An LLM key reads its own user's requests only, and cannot ask for another's.
    assertThat(log("", codingUser.plaintext()))
        .extracting(n -> n.get("user").asText())
        .containsOnly(codingUser.key().userId().orElseThrow());
    assertThat(
            stack
                .get(
                    "/request/logs?user_id=" + q(draftingUser.key().userId().orElseThrow()),
                    codingUser.plaintext())
                .statusCode())
        .isEqualTo(403);
    // Refusals without a key (unknown keys) are never shown to a team admin.
    assertThat(log("status=invalid_api_key", lead)).isEmpty();
  }

  @Test
  void aFloodOfInvalidKeysWritesABoundedNumberOfRows() throws Exception {
    // On an instance of its own: the failed-key throttle is per instance and would lock this
    // address out of the other tests' instance.
    GatewayServer other = stack.anotherInstance(Providers.bedrock(stack.stub.settings()));
    int before = refusalsFrom("127.0.0.1");
    List<Integer> statuses = new ArrayList<>();
    for (int i = 0; i < 300; i++) {
      var r =
          stack
              .http()
              .send(
                  HttpRequest.newBuilder(URI.create(other.baseUrl() + "/v1/chat/completions"))
                      .header("Authorization", "Bearer sk-guess-" + i)
                      .header("Content-Type", "application/json")
                      .POST(
                          HttpRequest.BodyPublishers.ofString(
                              "{\"model\":\"model-cheap\",\"messages\":[{\"role\":\"user\","
                                  + "\"content\":\"x\"}]}"))
                      .build(),
                  HttpResponse.BodyHandlers.ofString());
      statuses.add(r.statusCode());
    }
    // Reading through the instance's admin service flushes its refusal writer first.
    other
        .gateway()
        .admin()
        .requestLogs(Principal.MASTER, RequestLogQuery.all(PageRequest.first(1)));
    // 300 refusals (401, then 429 once the address is throttled), at most 20 rows per reason in
    // this minute from this address.
    assertThat(statuses).containsOnly(401, 429).contains(401, 429);
    int written = refusalsFrom("127.0.0.1") - before;
    assertThat(written).isEqualTo(2 * RefusalWriter.PER_SUBJECT_PER_MINUTE);
    assertThat(other.gateway().sampledOutRefusals()).isEqualTo(300 - written);
  }

  static int refusalsFrom(String client) throws Exception {
    try (var c = stack.adapters.dataSource().getConnection();
        var s = c.prepareStatement("SELECT count(*) FROM request_refusals WHERE client = ?")) {
      s.setString(1, client);
      try (var rs = s.executeQuery()) {
        rs.next();
        return rs.getInt(1);
      }
    }
  }
}

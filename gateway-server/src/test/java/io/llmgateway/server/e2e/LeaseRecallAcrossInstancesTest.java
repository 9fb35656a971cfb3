package io.llmgateway.server.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.llmgateway.bedrock.Providers;
import io.llmgateway.bedrock.stub.ReceivedRequest;
import io.llmgateway.core.admin.KeySpec;
import io.llmgateway.core.admin.TeamSpec;
import io.llmgateway.core.admin.UserSpec;
import io.llmgateway.core.budget.BudgetLimit;
import io.llmgateway.core.catalog.Pricing;
import io.llmgateway.core.identity.Principal;
import io.llmgateway.core.money.Money;
import io.llmgateway.server.GatewayServer;
import io.llmgateway.server.support.GatewayStack;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.Test;

/**
 * Idle budget leases held by other instances must not clamp or refuse a request (lease recall
 * across instances, over PostgreSQL NOTIFY). Three gateway instances on one PostgreSQL, each with
 * its own pool and LISTEN connection. Ten members of a team with a $0.10 daily team cap each send
 * one small request, alternately to instances A and B: each takes a lease of a tenth of the team's
 * headroom (its own counter set: each member has a member budget of its own) and leaves it idle, so
 * together they hold about 65 % of the cap for nobody. The injected clock does not move, so no
 * lease is retired for being idle or for its window.
 *
 * <p>Then another member sends instance C, which holds no lease, a request whose worst case needs
 * more than the headroom outside those slices but far less than the real headroom (the cap minus
 * what was spent). It must be served with its full output cap: the Bedrock stub must receive {@code
 * maxTokens} 5,000. Without recall, C can only give back its own (no) idle leases, so it clamps the
 * cap to what the slices leave (about 2,500) or refuses.
 */
class LeaseRecallAcrossInstancesTest {
  static final String TEAM = "recall";
  static final String MODEL = "model-reasoning"; // $0.80 in, $3.20 out per 1M tokens
  static final Money TEAM_DAILY_CAP = Money.ofUsd("0.10");
  static final Money MEMBER_DAILY = Money.ofUsd("10"); // never the tightest budget
  static final int MEMBERS = 10;
  static final int SMALL_MAX_TOKENS = 50;
  static final int BIG_MAX_TOKENS = 5_000;

  /** The big request's text: its input alone fits outside the slices, its worst case does not. */
  static final int BIG_TEXT_BYTES = 33_500;

  /** More than the input-bound allowances of one message, so the bound is an upper bound. */
  static final int ALLOWANCE_SLACK = 512;

  private static final ObjectMapper JSON = new ObjectMapper();
  private final HttpClient http = HttpClient.newHttpClient();

  @Test
  void anotherInstancesIdleLeasesOnATeamCapAreRecalledNotClampedAround() throws Exception {
    try (GatewayStack stack = GatewayStack.start()) {
      Jdbi db = Jdbi.create(stack.adapters.dataSource());
      List<GatewayServer> instances = new ArrayList<>(List.of(stack.server));
      for (int i = 0; i < 2; i++) {
        instances.add(stack.anotherInstance(Providers.bedrock(stack.stub.settings())));
      }
      GatewayServer a = instances.get(0);
      GatewayServer b = instances.get(1);
      GatewayServer c = instances.get(2);
      stack.admin.createTeam(
          Principal.MASTER,
          TeamSpec.builder()
              .alias(TEAM)
              .models(List.of(MODEL))
              .memberBudgets(List.of(BudgetLimit.daily(MEMBER_DAILY)))
              .teamBudgets(List.of(BudgetLimit.daily(TEAM_DAILY_CAP)))
              .build());

      for (int i = 0; i < MEMBERS; i++) {
        GatewayServer on = i % 2 == 0 ? a : b;
        HttpResponse<String> r = chat(on, member(stack, "member-" + i), "hi", SMALL_MAX_TOKENS);
        assertThat(r.statusCode()).as("small request %d: %s", i, r.body()).isEqualTo(200);
      }
      assertThat(a.gateway().openLeases()).as("idle leases on A").isEqualTo(MEMBERS / 2);
      assertThat(b.gateway().openLeases()).as("idle leases on B").isEqualTo(MEMBERS / 2);
      assertThat(c.gateway().openLeases()).as("leases on C").isZero();

      // The request is sized against what the ledger shows once the small requests' draws are
      // written (flushSettlements would give the idle leases back): every lease is held in
      // full in the reservations, what was spent is committed.
      awaitWritten(instances);
      long[] team = teamCounter(db);
      long outsideSlices = TEAM_DAILY_CAP.nanos() - team[0] - team[1];
      long realHeadroom = TEAM_DAILY_CAP.nanos() - team[0];
      Pricing pricing =
          stack.stores().catalog().model(MODEL).orElseThrow().deployments().get(0).pricing();
      long worstAtLeast = pricing.worstCase(BIG_TEXT_BYTES, BIG_MAX_TOKENS).nanos();
      long worstAtMost =
          pricing.worstCase(BIG_TEXT_BYTES + ALLOWANCE_SLACK, BIG_MAX_TOKENS).nanos();
      assertThat(worstAtLeast)
          .as(
              "the big request's worst case needs more than the %d nanos outside the slices",
              outsideSlices)
          .isGreaterThan(outsideSlices);
      assertThat(pricing.worstCase(BIG_TEXT_BYTES + ALLOWANCE_SLACK, 0).nanos())
          .as("its input alone fits outside the slices (without recall it is clamped)")
          .isLessThan(outsideSlices);
      assertThat(worstAtMost)
          .as("and less than the real headroom %d nanos", realHeadroom)
          .isLessThan(realHeadroom);

      int before = stack.stub.requestCount();
      long started = System.nanoTime();
      HttpResponse<String> big =
          chat(c, member(stack, "member-c"), "a".repeat(BIG_TEXT_BYTES), BIG_MAX_TOKENS);
      long tookMs = (System.nanoTime() - started) / 1_000_000;
      System.out.printf(
          "LeaseRecallAcrossInstancesTest: outside slices %d, real headroom %d, worst case"
              + " %d..%d nanos; big request %d in %d ms%n",
          outsideSlices, realHeadroom, worstAtLeast, worstAtMost, big.statusCode(), tookMs);

      assertThat(big.statusCode()).as("big request on C: %s", big.body()).isEqualTo(200);
      assertThat(stack.stub.requestCount()).as("one upstream call").isEqualTo(before + 1);
      ReceivedRequest sent = stack.stub.lastRequest();
      JsonNode body = JSON.readTree(sent.body());
      assertThat(body.path("inferenceConfig").path("maxTokens").asInt())
          .as("output cap the stub received (full cap, not clamped around idle slices)")
          .isEqualTo(BIG_MAX_TOKENS);
      assertThat(a.gateway().openLeases()).as("A's idle leases recalled").isZero();
      assertThat(b.gateway().openLeases()).as("B's idle leases recalled").isZero();

      for (GatewayServer s : instances) {
        s.gateway().flushSettlements(Duration.ofSeconds(5));
      }
      long[] after = teamCounter(db);
      assertThat(after[0] + after[1]).as("team used").isLessThanOrEqualTo(TEAM_DAILY_CAP.nanos());
    }
  }

  /** A team member with one key; returns the plaintext key. */
  private static String member(GatewayStack stack, String name) {
    String userId = TEAM + "-" + name;
    stack.admin.createUser(Principal.MASTER, UserSpec.member(userId, TEAM));
    return stack
        .admin
        .generateKey(Principal.MASTER, KeySpec.builder().userId(userId).teamId(TEAM).build())
        .plaintext();
  }

  private HttpResponse<String> chat(GatewayServer on, String key, String text, int maxTokens)
      throws Exception {
    String body =
        JSON.writeValueAsString(
            JSON.createObjectNode()
                .put("model", MODEL)
                .put("max_tokens", maxTokens)
                .set(
                    "messages",
                    JSON.createArrayNode()
                        .add(JSON.createObjectNode().put("role", "user").put("content", text))));
    HttpRequest request =
        HttpRequest.newBuilder(URI.create(on.baseUrl() + "/v1/chat/completions"))
            .timeout(Duration.ofSeconds(20))
            .header("Content-Type", "application/json")
            .header("Authorization", "Bearer " + key)
            .POST(HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8))
            .build();
    return http.send(request, HttpResponse.BodyHandlers.ofString());
  }

  /** The team's daily counter: committed and reserved nanos. */
  private static long[] teamCounter(Jdbi db) {
    return db.withHandle(
        h ->
            h.createQuery(
                    "SELECT committed_nanos, reserved_nanos FROM budget_counters"
                        + " WHERE scope_kind = 'TEAM' AND scope_id = :t AND time_window = 'DAILY'")
                .bind("t", TEAM)
                .map((rs, ctx) -> new long[] {rs.getLong(1), rs.getLong(2)})
                .one());
  }

  /** Waits (at most 5 s) until no instance has spend queued for writing. */
  private static void awaitWritten(List<GatewayServer> instances) throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
    while (instances.stream().anyMatch(s -> s.gateway().queuedSettlements() > 0)) {
      assertThat(System.nanoTime()).as("queued spend written within 5 s").isLessThan(deadline);
      Thread.sleep(5);
    }
  }
}

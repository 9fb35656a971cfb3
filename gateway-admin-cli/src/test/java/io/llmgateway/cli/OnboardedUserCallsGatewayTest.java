package io.llmgateway.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.llmgateway.core.Gateway;
import io.llmgateway.core.GatewayConfig;
import io.llmgateway.core.chat.ChatRequest;
import io.llmgateway.core.chat.ChatResponse;
import io.llmgateway.core.error.BudgetExceededException;
import io.llmgateway.core.error.ModelNotAllowedException;
import io.llmgateway.core.identity.Principal;
import io.llmgateway.core.money.Money;
import io.llmgateway.core.testing.ScriptedProvider;
import java.io.IOException;
import java.nio.file.Files;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * The onboarding flow end to end on one PostgreSQL database: the CLI syncs tiers and models and
 * onboards users; the gateway core (the facade the HTTP server wraps) then authenticates the keys
 * the CLI wrote and holds each user to their tier's models and daily budget. A scripted provider
 * registered as {@code bedrock} stands in for Bedrock (the deployments of config/models.yaml).
 */
class OnboardedUserCallsGatewayTest extends CommandTest {

  private Map<String, String> keysByEmail() throws IOException {
    return Files.readAllLines(cli.workDir.resolve("keys.csv")).stream()
        .skip(1)
        .map(l -> l.split(","))
        .collect(Collectors.toMap(c -> c[0], c -> c[5]));
  }

  private Gateway gateway(ScriptedProvider bedrock) {
    return Gateway.builder()
        .stores(cli.stores())
        .provider(bedrock)
        .clock(cli.clock)
        .config(GatewayConfig.defaults())
        .build();
  }

  @Test
  void anOnboardedUserCallsTheGatewayWithTheWrittenKeyAndIsHeldToTheTierBudget()
      throws IOException {
    ok("models", "sync");
    ok("teams", "sync");
    cli.write(
        "users.csv",
        """
        email,tier,alias,budget,rpm
        user1@example.com,drafting,User One,,
        user2@example.com,coding,User Two,,
        frugal@example.com,drafting,Frugal,0.002,
        """);
    ok("users", "onboard", "--csv", "users.csv", "--out", "keys.csv");
    Map<String, String> keys = keysByEmail();
    // Every answer bills 10 input and up to 5,000 output tokens: $0.0007 on Nova Micro.
    ScriptedProvider bedrock = new ScriptedProvider("bedrock").usage(10, 5_000);
    Gateway gateway = gateway(bedrock);

    Principal user1 = gateway.authenticate(keys.get("user1@example.com"));
    ChatResponse first = gateway.chat(user1, ChatRequest.of("model-cheap", "Hello!"));
    assertThat(first.usage().outputTokens()).isEqualTo(5_000);
    assertThatThrownBy(() -> gateway.chat(user1, ChatRequest.of("model-balanced", "Hello!")))
        .isInstanceOf(ModelNotAllowedException.class);

    int answered = 1;
    BudgetExceededException refused = null;
    while (refused == null && answered < 100) {
      try {
        gateway.chat(user1, ChatRequest.of("model-cheap", "Hello again"));
        answered++;
      } catch (BudgetExceededException e) {
        refused = e;
      }
    }
    assertThat(refused).as("the drafting user is refused once $0.017 is spent").isNotNull();
    assertThat(refused.getMessage()).contains("daily user budget of $0.017");

    var report = ok("spend", "report", "--by", "user", "--format", "csv");
    String user1Line =
        report
            .out()
            .lines()
            .filter(l -> l.startsWith("\"user1@example.com\","))
            .findFirst()
            .orElseThrow();
    String[] cells = user1Line.replace("\"", "").split(",");
    Money spent = Money.ofUsd(cells[4]);
    assertThat(spent.compareTo(Money.ofUsd("0.017"))).isLessThanOrEqualTo(0);
    assertThat(spent.compareTo(Money.ofUsd("0.016"))).isGreaterThan(0);
    assertThat(cells[5]).isEqualTo("0.017"); // daily budget
    assertThat(Long.parseLong(cells[1])).isEqualTo(answered);

    // The CSV's per-user budget override binds below the tier's.
    Principal frugal = gateway.authenticate(keys.get("frugal@example.com"));
    int frugalAnswered = 0;
    try {
      while (frugalAnswered < 100) {
        gateway.chat(frugal, ChatRequest.of("model-cheap", "Hi"));
        frugalAnswered++;
      }
    } catch (BudgetExceededException e) {
      assertThat(e.getMessage()).contains("daily user budget of $0.002");
    }
    assertThat(frugalAnswered).isBetween(2, 3);

    // The other tier's user is untouched by user1's spend.
    Principal user2 = gateway.authenticate(keys.get("user2@example.com"));
    assertThat(gateway.chat(user2, ChatRequest.of("model-balanced", "Hi")).text())
        .contains("Hello");

    var top = ok("spend", "top", "--window", "daily");
    assertThat(top.out().lines().skip(2).findFirst().orElseThrow())
        .contains("user1@example.com")
        .contains("drafting");
  }

  @Test
  void aBlockedOrRevokedKeyStopsWorkingAndARotatedKeyWorksAtOnce() throws IOException {
    seedOnboarded();
    Map<String, String> keys = keysByEmail();
    Gateway gateway = gateway(new ScriptedProvider("bedrock"));
    String key1 = keys.get("user1@example.com");
    gateway.authenticate(key1);

    ok("keys", "block", "user1@example.com", "--yes");
    assertThatThrownBy(() -> gateway.authenticate(key1)).hasMessageContaining("blocked");
    ok("keys", "unblock", "user1@example.com");
    gateway.authenticate(key1);

    ok("keys", "rotate", "user1@example.com", "--out", "rotated.csv", "--yes");
    String rotated = Files.readAllLines(cli.workDir.resolve("rotated.csv")).get(1).split(",")[5];
    assertThatThrownBy(() -> gateway.authenticate(key1)).hasMessageContaining("invalid API key");
    gateway.chat(gateway.authenticate(rotated), ChatRequest.of("model-cheap", "Hi"));

    ok("keys", "revoke", "user1@example.com", "--yes");
    assertThatThrownBy(() -> gateway.authenticate(rotated)).hasMessageContaining("invalid API key");
  }
}

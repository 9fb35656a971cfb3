package io.llmgateway.server.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.openai.client.OpenAIClient;
import com.openai.errors.PermissionDeniedException;
import com.openai.errors.RateLimitException;
import com.openai.models.chat.completions.ChatCompletion;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import io.llmgateway.bedrock.stub.StubResponse;
import io.llmgateway.core.budget.BudgetLimit;
import io.llmgateway.core.money.Money;
import io.llmgateway.server.support.GatewayStack;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The seed's tiers, enforced end to end: model access per tier, hard daily budgets per user,
 * monthly caps, and the next day's fresh budget (the server's clock is moved forward). Drafting
 * gives each member $0.017 a day and $0.50 a month on model-cheap (Nova Micro, $0.035 in / $0.14
 * out per 1M tokens), so a request reporting 100,000 input and 5,000 output tokens costs exactly
 * $0.0042: four fit in a day, the fifth cannot pay even for its input.
 */
class BudgetEnforcementTest {
  static GatewayStack stack;
  static final String PROMPT = "x".repeat(100_000);

  @BeforeAll
  static void start() {
    // Early in a month, so moving a few days forward stays in the same monthly window.
    stack = GatewayStack.startAt(Instant.parse("2026-11-03T09:00:00Z"));
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
  void draftingUserMayUseModelCheapButNotModelReasoning() {
    OpenAIClient client = stack.client(stack.userKey("drafting"));

    ChatCompletion ok = client.chat().completions().create(small("model-cheap"));
    assertThat(ok.choices()).hasSize(1);

    assertThatThrownBy(() -> client.chat().completions().create(small("model-reasoning")))
        .isInstanceOfSatisfying(
            PermissionDeniedException.class,
            e -> {
              assertThat(e.statusCode()).isEqualTo(403);
              assertThat(e.code()).contains("model_not_allowed");
              assertThat(e.getMessage()).contains("model-cheap");
            });
    assertThat(stack.stub.requestCount()).isEqualTo(1);
  }

  @Test
  void userWhoSpentTodaysBudgetIsRefusedWhileAnotherUserOfTheTierIsNot() {
    OpenAIClient spender = stack.client(stack.userKey("drafting"));
    OpenAIClient colleague = stack.client(stack.userKey("drafting"));

    RateLimitException refusal = spendUntilRefused(spender);

    assertThat(refusal.statusCode()).isEqualTo(429);
    assertThat(refusal.type()).contains("budget_exceeded");
    assertThat(refusal.code()).contains("budget_exceeded");
    assertThat(refusal.getMessage()).contains("daily").contains("resets at");
    assertThat(refusal.headers().values("retry-after")).isNotEmpty();
    assertThat(refusal.headers().values("x-budget-window")).containsExactly("daily");
    int upstreamCalls = stack.stub.requestCount();
    assertThat(upstreamCalls).as("refused before any upstream call").isEqualTo(4);

    assertThat(colleague.chat().completions().create(small("model-cheap")).choices()).hasSize(1);
  }

  @Test
  void monthlyCapRefusesEvenWhenTheDailyBudgetHasRoom() {
    // A drafting user whose own monthly cap ($0.02) is below two days of the daily budget.
    String key =
        stack.userKey("drafting", List.of(BudgetLimit.monthly(Money.ofUsd("0.02")))).plaintext();
    OpenAIClient client = stack.client(key);
    assertThat(spendUntilRefused(client).getMessage()).contains("daily");

    stack.clock.advance(Duration.ofDays(1));
    stack.stub.reset();

    RateLimitException refusal = spendUntilRefused(client);
    assertThat(refusal.getMessage()).contains("monthly");
    assertThat(refusal.headers().values("x-budget-window")).containsExactly("monthly");
    assertThat(stack.stub.requestCount())
        .as("no upstream call with $0.0032 of monthly room")
        .isZero();
  }

  @Test
  void theNextDayTheDailyBudgetIsAvailableAgain() {
    OpenAIClient client = stack.client(stack.userKey("drafting"));
    spendUntilRefused(client);

    stack.clock.advance(Duration.ofDays(1));
    stack.stub.reset();
    stack.stub.enqueue(StubResponse.text("fresh day", 100_000, 5_000));

    ChatCompletion c = client.chat().completions().create(big());
    assertThat(c.choices().getFirst().message().content()).contains("fresh day");
  }

  /** Spends in $0.0042 steps until the gateway refuses (at most ten requests). */
  private static RateLimitException spendUntilRefused(OpenAIClient client) {
    for (int i = 0; i < 10; i++) {
      stack.stub.enqueue(StubResponse.text("ok", 100_000, 5_000));
      try {
        client.chat().completions().create(big());
      } catch (RateLimitException e) {
        return e;
      }
    }
    throw new AssertionError("the budget never ran out");
  }

  private static ChatCompletionCreateParams big() {
    return ChatCompletionCreateParams.builder()
        .model("model-cheap")
        .addUserMessage(PROMPT)
        .maxTokens(5_000)
        .build();
  }

  private static ChatCompletionCreateParams small(String model) {
    return ChatCompletionCreateParams.builder().model(model).addUserMessage("Hello!").build();
  }
}

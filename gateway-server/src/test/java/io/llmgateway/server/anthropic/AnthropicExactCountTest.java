package io.llmgateway.server.anthropic;

import static org.assertj.core.api.Assertions.assertThat;

import com.anthropic.client.AnthropicClient;
import com.anthropic.models.messages.Message;
import com.anthropic.models.messages.MessageCreateParams;
import io.llmgateway.bedrock.stub.StubResponse;
import io.llmgateway.core.budget.BudgetLimit;
import io.llmgateway.core.money.Money;
import io.llmgateway.server.support.GatewayStack;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A Claude Code-sized prompt on a budget that its bytes would exhaust: the gateway asks Bedrock's
 * CountTokens for the exact input (one call, only because the byte bound was refused) and admits
 * it. 200,000 bytes bound the input at about 200,000 tokens, $0.75 at the cache-write price
 * ($3.75/1M, the dearest input); Bedrock counts about 50,000, $0.19; the key has $0.50 a day.
 */
class AnthropicExactCountTest {
  static GatewayStack stack;

  @BeforeAll
  static void start() {
    stack = ClaudeStack.start();
  }

  @AfterAll
  static void stop() {
    stack.close();
  }

  @Test
  void aPromptItsBytesWouldPriceOutIsAdmittedOnBedrocksCount() {
    String key =
        stack
            .userKey(ClaudeStack.TIER, List.of(BudgetLimit.daily(Money.ofUsd("0.50"))))
            .plaintext();
    AnthropicClient client = ClaudeStack.apiKeyClient(stack, key);
    stack.stub.enqueue(StubResponse.text("Read it.", 50_000, 3));

    Message m =
        client
            .messages()
            .create(
                MessageCreateParams.builder()
                    .model(ClaudeStack.MODEL)
                    .maxTokens(1024)
                    .addUserMessage("ab ".repeat(66_667))
                    .build());

    assertThat(m.content().getFirst().asText().text()).isEqualTo("Read it.");
    List<String> paths = stack.stub.requests().stream().map(r -> r.path()).toList();
    assertThat(paths).hasSize(2);
    assertThat(paths.getFirst()).endsWith("/count-tokens").doesNotContain("/us.");
    assertThat(paths.getLast()).endsWith("/converse");
  }
}

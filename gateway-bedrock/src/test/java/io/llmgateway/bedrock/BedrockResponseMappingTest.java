package io.llmgateway.bedrock;

import static org.assertj.core.api.Assertions.assertThat;

import io.llmgateway.bedrock.stub.StubResponse;
import io.llmgateway.core.chat.ChatResponse;
import io.llmgateway.core.chat.FinishReason;
import io.llmgateway.core.chat.TokenUsage;
import io.llmgateway.core.chat.ToolCall;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** What the gateway makes of Converse answers. */
class BedrockResponseMappingTest extends StubTestBase {

  @Test
  void mapsTextAndUsageIncludingCacheTokensAsReported() {
    stub.enqueue(StubResponse.text("Hello there", "end_turn", 100, 20, 30, 5));

    ChatResponse r = bedrock.complete(Fixtures.ask(deployment(), "hi"));

    assertThat(r.text()).contains("Hello there");
    assertThat(r.finishReason()).isEqualTo(FinishReason.STOP);
    assertThat(r.usage()).isEqualTo(new TokenUsage(100, 20, 30, 5, TokenUsage.Source.REPORTED));
    assertThat(r.usage().promptTokens()).isEqualTo(135);
    assertThat(r.id()).isEqualTo("req-1");
  }

  @Test
  void mapsToolUseWithItsIdNameAndJsonArguments() {
    stub.enqueue(
        StubResponse.toolUse(
            "tooluse_abc123", "get_weather", "{\"city\":\"Paris\",\"n\":2}", 10, 4));

    ChatResponse r = bedrock.complete(Fixtures.ask(deployment(), "weather?"));

    assertThat(r.toolCalls())
        .containsExactly(
            new ToolCall("tooluse_abc123", "get_weather", "{\"city\":\"Paris\",\"n\":2}"));
    assertThat(r.text()).isEmpty();
    assertThat(r.finishReason()).isEqualTo(FinishReason.TOOL_CALLS);
  }

  @ParameterizedTest(name = "{0} -> {1}")
  @CsvSource({
    "end_turn, STOP",
    "stop_sequence, STOP",
    "max_tokens, LENGTH",
    "model_context_window_exceeded, LENGTH",
    "tool_use, TOOL_CALLS",
    "guardrail_intervened, CONTENT_FILTER",
    "content_filtered, CONTENT_FILTER",
    "malformed_model_output, STOP",
    "malformed_tool_use, STOP",
    "a_reason_from_the_future, STOP"
  })
  void mapsEveryStopReasonFromTheRawString(String stopReason, FinishReason expected) {
    stub.enqueue(StubResponse.text("x", stopReason, 1, 1, 0, 0));
    assertThat(bedrock.complete(Fixtures.ask(deployment(), "hi")).finishReason())
        .isEqualTo(expected);

    stub.enqueue(StubResponse.text("x", stopReason, 1, 1, 0, 0));
    try (var s = bedrock.stream(Fixtures.ask(deployment(), "hi"))) {
      assertThat(drain(s))
          .filteredOn(c -> c instanceof io.llmgateway.core.chat.ChatChunk.Finish)
          .containsExactly(new io.llmgateway.core.chat.ChatChunk.Finish(expected));
    }
  }
}

package io.llmgateway.server.anthropic;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.anthropic.client.AnthropicClient;
import com.anthropic.core.http.StreamResponse;
import com.anthropic.errors.AnthropicException;
import com.anthropic.models.messages.MessageCreateParams;
import com.anthropic.models.messages.RawMessageStreamEvent;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.llmgateway.bedrock.stub.StubResponse;
import io.llmgateway.core.spend.SpendQuery;
import io.llmgateway.core.spend.SpendRecord;
import io.llmgateway.server.support.GatewayStack;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Faults and hostile inputs on {@code /v1/messages}: Anthropic's error shape, nothing written. */
class AnthropicMessagesFaultsTest {
  static GatewayStack stack;
  static final ObjectMapper JSON = new ObjectMapper();

  @BeforeAll
  static void start() {
    stack = ClaudeStack.start();
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
  void aFaultMidStreamIsAnErrorEventAndTheRequestIsSettled() {
    AnthropicClient client = ClaudeStack.apiKeyClient(stack, stack.userKey(ClaudeStack.TIER));
    stack.stub.enqueue(
        StubResponse.inStreamException(List.of("Hel"), "throttlingException", "Too many tokens"));
    List<RawMessageStreamEvent> events = new ArrayList<>();
    assertThatThrownBy(
            () -> {
              try (StreamResponse<RawMessageStreamEvent> s =
                  client
                      .messages()
                      .createStreaming(
                          MessageCreateParams.builder()
                              .model(ClaudeStack.MODEL)
                              .maxTokens(100)
                              .addUserMessage("Hi")
                              .build())) {
                s.stream().forEach(events::add);
              }
            })
        .isInstanceOf(AnthropicException.class)
        .hasMessageContaining("overloaded_error");
    assertThat(events.getFirst().isMessageStart()).isTrue();
    String id = events.getFirst().asMessageStart().message().id();
    assertThat(stack.server.gateway().flushSettlements(java.time.Duration.ofSeconds(10))).isTrue();
    SpendRecord spend = spend(id);
    assertThat(spend.errorCode()).isPresent();
  }

  @Test
  void refusesBadInputsInAnthropicsShapeWithNothingSentOrCharged() throws Exception {
    String key = stack.userKey(ClaudeStack.TIER);
    assertThat(stack.server.gateway().flushSettlements(java.time.Duration.ofSeconds(10))).isTrue();
    int rowsBefore = allSpend().size();
    String ok = "\"model\":\"claude-test\",\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"}]";
    String[][] cases = {
      {"{" + ok + "}", "max_tokens"},
      {"{" + ok + ",\"max_tokens\":10,\"aws_region_name\":\"eu-west-1\"}", "aws_region_name"},
      {"{" + ok + ",\"max_tokens\":10,\"frequency\":1}", "unknown parameter"},
      {"{" + ok + ",\"max_tokens\":10,\"temperature\":1.5}", "temperature"},
      {
        "{"
            + ok
            + ",\"max_tokens\":10,\"tools\":[{\"type\":\"web_search_20250305\",\"name\":\"w\"}]}",
        "web_search"
      },
      {
        "{\"model\":\"claude-test\",\"max_tokens\":10,\"messages\":[{\"role\":\"user\",\"content\":"
            + "[{\"type\":\"image\",\"source\":{\"type\":\"url\",\"url\":\"http://169.254.169.254/\"}}]}]}",
        "not fetched"
      },
      {
        "{"
            + ok
            + ",\"max_tokens\":10,\"system\":[{\"type\":\"text\",\"text\":\"a\","
            + "\"cache_control\":{\"type\":\"persistent\"}}]}",
        "ephemeral"
      },
      {
        "{\"model\":\"claude-test\",\"max_tokens\":10,\"messages\":[{\"role\":\"system\","
            + "\"content\":\"x\"}]}",
        "role"
      },
      {"{not json", "JSON"},
    };
    for (String[] c : cases) {
      HttpResponse<String> r =
          stack.post(
              "/v1/messages",
              null,
              c[0].getBytes(StandardCharsets.UTF_8),
              "x-api-key",
              key,
              "anthropic-version",
              "2023-06-01");
      assertThat(r.statusCode()).as(c[0]).isEqualTo(400);
      JsonNode body = JSON.readTree(r.body());
      assertThat(body.path("type").asText()).as(c[0]).isEqualTo("error");
      assertThat(body.at("/error/type").asText()).as(c[0]).isEqualTo("invalid_request_error");
      assertThat(body.at("/error/message").asText()).as(c[0]).contains(c[1]);
    }
    assertThat(stack.stub.requestCount()).isZero();
    assertThat(stack.server.gateway().flushSettlements(java.time.Duration.ofSeconds(10))).isTrue();
    assertThat(allSpend()).as("no spend row for a refused input").hasSize(rowsBefore);
  }

  private static List<SpendRecord> allSpend() {
    return stack
        .stores()
        .spendLog()
        .query(SpendQuery.all(io.llmgateway.core.PageRequest.first(1000)))
        .items();
  }

  private static SpendRecord spend(String id) {
    return allSpend().stream()
        .filter(r -> r.requestId().equals(id))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no spend record for " + id));
  }
}

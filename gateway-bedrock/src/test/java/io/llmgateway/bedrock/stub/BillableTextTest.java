package io.llmgateway.bedrock.stub;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The measure of billable text the bound contract and the stub's usage rest on. */
class BillableTextTest {

  private static long bytes(String body) {
    return BillableText.bytes(body.getBytes(UTF_8));
  }

  @Test
  void countsStringValuesAsWrittenBetweenTheirQuotes() {
    assertThat(bytes("{\"system\":[{\"text\":\"a\\u0001\\\"é\"}]}")).isEqualTo(1 + 6 + 2 + 2);
  }

  @Test
  void skipsTheRoleAndImageFormatAndBytesOnly() {
    String body =
        "{\"messages\":[{\"role\":\"user\",\"content\":[{\"text\":\"hi\"},"
            + "{\"image\":{\"format\":\"png\",\"source\":{\"bytes\":\"AAAA\"}}}]}]}";
    assertThat(bytes(body)).isEqualTo(2);
  }

  @Test
  void countsToolSchemasAndToolInputsWhole() {
    String schema = "{\"type\":\"object\",\"properties\":{\"n\":{\"enum\":[1E+5]}}}";
    String body =
        "{\"messages\":[{\"role\":\"assistant\",\"content\":[{\"toolUse\":{\"toolUseId\":\"id\","
            + "\"name\":\"t\",\"input\":{\"a\":1}}}]}],\"toolConfig\":{\"tools\":[{\"toolSpec\":"
            + "{\"name\":\"t\",\"description\":\"dd\",\"inputSchema\":{\"json\":"
            + schema
            + "}}}],\"toolChoice\":{\"tool\":{\"name\":\"t\"}}}}";
    assertThat(bytes(body)).isEqualTo(2 + 1 + 7 + 1 + 2 + schema.length() + 1);
  }

  @Test
  void aStringInAFieldNobodyListedCountsByDefault() {
    assertThat(bytes("{\"inferenceConfig\":{\"maxTokens\":5},\"newField\":{\"x\":\"abc\"}}"))
        .isEqualTo(3);
  }
}

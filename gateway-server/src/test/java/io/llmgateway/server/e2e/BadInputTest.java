package io.llmgateway.server.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.llmgateway.server.ServerConfig;
import io.llmgateway.server.support.GatewayStack;
import java.io.ByteArrayInputStream;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Hostile and broken requests get a clean 4xx in OpenAI's error shape, never a 5xx. */
class BadInputTest {
  static GatewayStack stack;
  static String key;
  static final ObjectMapper JSON = new ObjectMapper();
  static final String MSG = "\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]";

  @BeforeAll
  static void start() {
    stack =
        GatewayStack.start(
            ServerConfig.forTests().toBuilder()
                .limits(new ServerConfig.Limits(64 * 1024, 50, 1024, 2, 32, 8))
                .build(),
            s -> s);
    key = stack.userKey("drafting");
  }

  @AfterAll
  static void stop() {
    stack.close();
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      textBlock =
          """
          malformed JSON                 | 400 | {"model":"model-cheap",
          not an object                  | 400 | [1,2,3]
          empty body                     | 400 |
          trailing garbage               | 400 | {"model":"model-cheap","messages":[{"role":"user","content":"hi"}]} x
          messages is a string           | 400 | {"model":"model-cheap","messages":"hi"}
          empty messages                 | 400 | {"model":"model-cheap","messages":[]}
          missing messages               | 400 | {"model":"model-cheap"}
          missing model                  | 400 | {"messages":[{"role":"user","content":"hi"}]}
          model is a number              | 400 | {"model":7,"messages":[{"role":"user","content":"hi"}]}
          temperature is a string        | 400 | {"model":"model-cheap","temperature":"hot","messages":[{"role":"user","content":"hi"}]}
          temperature out of range       | 400 | {"model":"model-cheap","temperature":7,"messages":[{"role":"user","content":"hi"}]}
          max_tokens is a string         | 400 | {"model":"model-cheap","max_tokens":"many","messages":[{"role":"user","content":"hi"}]}
          max_tokens is fractional       | 400 | {"model":"model-cheap","max_tokens":10.5,"messages":[{"role":"user","content":"hi"}]}
          huge max_tokens                | 400 | {"model":"model-cheap","max_tokens":1000000000000,"messages":[{"role":"user","content":"hi"}]}
          negative max_tokens            | 400 | {"model":"model-cheap","max_tokens":-1,"messages":[{"role":"user","content":"hi"}]}
          unknown role                   | 400 | {"model":"model-cheap","messages":[{"role":"wizard","content":"hi"}]}
          content is a number            | 400 | {"model":"model-cheap","messages":[{"role":"user","content":5}]}
          unknown model                  | 404 | {"model":"gpt-17","messages":[{"role":"user","content":"hi"}]}
          api_base                       | 400 | {"model":"model-cheap","api_base":"http://169.254.169.254","messages":[{"role":"user","content":"hi"}]}
          base_url                       | 400 | {"model":"model-cheap","base_url":"http://evil","messages":[{"role":"user","content":"hi"}]}
          aws_access_key_id              | 400 | {"model":"model-cheap","aws_access_key_id":"AKIA","messages":[{"role":"user","content":"hi"}]}
          aws_region_name                | 400 | {"model":"model-cheap","aws_region_name":"eu-west-1","messages":[{"role":"user","content":"hi"}]}
          extra_headers                  | 400 | {"model":"model-cheap","extra_headers":{"x":"y"},"messages":[{"role":"user","content":"hi"}]}
          unknown field                  | 400 | {"model":"model-cheap","temprature":1,"messages":[{"role":"user","content":"hi"}]}
          n greater than one             | 400 | {"model":"model-cheap","n":3,"messages":[{"role":"user","content":"hi"}]}
          logprobs                       | 400 | {"model":"model-cheap","logprobs":true,"messages":[{"role":"user","content":"hi"}]}
          presence_penalty               | 400 | {"model":"model-cheap","presence_penalty":1.5,"messages":[{"role":"user","content":"hi"}]}
          functions                      | 400 | {"model":"model-cheap","functions":[],"messages":[{"role":"user","content":"hi"}]}
          image URL to fetch             | 400 | {"model":"model-cheap","messages":[{"role":"user","content":[{"type":"image_url","image_url":{"url":"http://169.254.169.254/latest"}}]}]}
          image not base64               | 400 | {"model":"model-cheap","messages":[{"role":"user","content":[{"type":"image_url","image_url":{"url":"data:image/png;base64,@@@"}}]}]}
          image type unsupported         | 400 | {"model":"model-cheap","messages":[{"role":"user","content":[{"type":"image_url","image_url":{"url":"data:image/tiff;base64,AAAA"}}]}]}
          audio part                     | 400 | {"model":"model-cheap","messages":[{"role":"user","content":[{"type":"input_audio","input_audio":{}}]}]}
          tool without name              | 400 | {"model":"model-cheap","tools":[{"type":"function","function":{}}],"messages":[{"role":"user","content":"hi"}]}
          tool name invalid              | 400 | {"model":"model-cheap","tools":[{"type":"function","function":{"name":"rm -rf"}}],"messages":[{"role":"user","content":"hi"}]}
          tool_choice names no tool      | 400 | {"model":"model-cheap","tool_choice":{"type":"function","function":{"name":"x"}},"messages":[{"role":"user","content":"hi"}]}
          stream_options without stream  | 400 | {"model":"model-cheap","stream_options":{"include_usage":true},"messages":[{"role":"user","content":"hi"}]}
          stream is a string             | 400 | {"model":"model-cheap","stream":"yes","messages":[{"role":"user","content":"hi"}]}
          duplicate keys                 | 400 | {"model":"model-cheap","model":"model-reasoning","messages":[{"role":"user","content":"hi"}]}
          too many stop sequences        | 400 | {"model":"model-cheap","stop":["a","b","c","d","e"],"messages":[{"role":"user","content":"hi"}]}
          """)
  void refusesWithA4xx(String name, int status, String body) throws Exception {
    HttpResponse<String> r = stack.post("/v1/chat/completions", key, body == null ? "" : body);
    assertCleanError(r, status);
  }

  @Test
  void acceptsAMaxTokensAboveTheModelLimitByClampingIt() throws Exception {
    HttpResponse<String> r =
        stack.post(
            "/v1/chat/completions",
            key,
            "{\"model\":\"model-cheap\",\"max_tokens\":999999," + MSG + "}");
    assertThat(r.statusCode()).isEqualTo(200);
    JsonNode sent = JSON.readTree(stack.stub.lastRequest().body());
    assertThat(sent.path("inferenceConfig").path("maxTokens").asInt()).isEqualTo(5000);
  }

  @Test
  void refusesInvalidUtf8() throws Exception {
    byte[] prefix =
        "{\"model\":\"model-cheap\",\"messages\":[{\"role\":\"user\",\"content\":\""
            .getBytes(StandardCharsets.UTF_8);
    byte[] bad = {(byte) 0xC3, (byte) 0x28, (byte) 0xFF};
    byte[] suffix = "\"}]}".getBytes(StandardCharsets.UTF_8);
    byte[] body = new byte[prefix.length + bad.length + suffix.length];
    System.arraycopy(prefix, 0, body, 0, prefix.length);
    System.arraycopy(bad, 0, body, prefix.length, bad.length);
    System.arraycopy(suffix, 0, body, prefix.length + bad.length, suffix.length);
    assertCleanError(stack.post("/v1/chat/completions", key, body), 400);
  }

  @Test
  void refusesDeeplyNestedJson() throws Exception {
    String deep = "[".repeat(500) + "]".repeat(500);
    assertCleanError(
        stack.post(
            "/v1/chat/completions",
            key,
            "{\"model\":\"model-cheap\",\"metadata\":" + deep + "," + MSG + "}"),
        400);
  }

  @Test
  void refusesTooManyMessages() throws Exception {
    String many = ("{\"role\":\"user\",\"content\":\"hi\"},").repeat(51);
    assertCleanError(
        stack.post(
            "/v1/chat/completions",
            key,
            "{\"model\":\"model-cheap\",\"messages\":["
                + many.substring(0, many.length() - 1)
                + "]}"),
        400);
  }

  @Test
  void refusesAnImageAboveTheSizeLimit() throws Exception {
    String data = java.util.Base64.getEncoder().encodeToString(new byte[2048]);
    assertCleanError(
        stack.post(
            "/v1/chat/completions",
            key,
            "{\"model\":\"model-cheap\",\"messages\":[{\"role\":\"user\",\"content\":[{\"type\":\"image_url\",\"image_url\":{\"url\":\"data:image/png;base64,"
                + data
                + "\"}}]}]}"),
        400);
  }

  @Test
  void refusesAnOversizedBodyWithContentLength() throws Exception {
    String big =
        "{\"model\":\"model-cheap\",\"messages\":[{\"role\":\"user\",\"content\":\""
            + "z".repeat(70_000)
            + "\"}]}";
    assertCleanError(stack.post("/v1/chat/completions", key, big), 413);
  }

  @Test
  void refusesAnOversizedChunkedBody() throws Exception {
    byte[] big =
        ("{\"model\":\"model-cheap\",\"messages\":[{\"role\":\"user\",\"content\":\""
                + "z".repeat(200_000)
                + "\"}]}")
            .getBytes(StandardCharsets.UTF_8);
    HttpRequest request =
        HttpRequest.newBuilder(URI.create(stack.server.baseUrl() + "/v1/chat/completions"))
            .header("Authorization", "Bearer " + key)
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(big)))
            .build();
    HttpResponse<String> r;
    try {
      r = stack.http().send(request, HttpResponse.BodyHandlers.ofString());
    } catch (java.io.IOException e) {
      // The server may close the connection while the client is still sending: also a refusal.
      return;
    }
    assertCleanError(r, 413);
  }

  @Test
  void refusesAMissingKeyBeforeLookingAtTheBody() throws Exception {
    assertCleanError(stack.post("/v1/chat/completions", null, "{not json"), 401);
  }

  @Test
  void sqlInTheAuthorizationHeaderIsJustAnUnknownKey() throws Exception {
    long t0 = System.nanoTime();
    HttpResponse<String> r =
        stack.post("/v1/chat/completions", "x' OR (SELECT pg_sleep(3)) IS NOT NULL --", "{}");
    assertCleanError(r, 401);
    assertThat((System.nanoTime() - t0) / 1_000_000).isLessThan(2_000);
  }

  private static void assertCleanError(HttpResponse<String> r, int status) throws Exception {
    assertThat(r.statusCode()).as(r.body()).isEqualTo(status);
    JsonNode error = JSON.readTree(r.body()).path("error");
    assertThat(error.path("message").asText()).isNotBlank();
    assertThat(error.path("type").asText()).isNotBlank();
    assertThat(error.path("code").asText()).isNotBlank();
    assertThat(error.has("param")).isTrue();
    assertThat(r.body()).doesNotContain("at io.").doesNotContain("Exception").doesNotContain(key);
    assertThat(r.headers().firstValue("x-request-id")).isPresent();
  }
}

package io.llmgateway.bedrock.stub;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.Test;

/** The stub itself, over plain HTTP: defaults, scripting, recording. */
class BedrockStubTest {
  private final HttpClient http =
      HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

  private HttpResponse<String> post(BedrockStub stub, String path, String body) throws Exception {
    return http.send(
        HttpRequest.newBuilder(URI.create(stub.endpoint() + path))
            .POST(HttpRequest.BodyPublishers.ofString(body))
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void listensOnLoopbackOnly() {
    try (BedrockStub stub = BedrockStub.start()) {
      assertThat(stub.endpoint().getHost()).isEqualTo("127.0.0.1");
    }
  }

  @Test
  void echoesTheLastUserTextWithinMaxTokensByDefault() throws Exception {
    try (BedrockStub stub = BedrockStub.start()) {
      HttpResponse<String> r =
          post(
              stub,
              "/model/m%3A0/converse",
              "{\"messages\":[{\"role\":\"user\",\"content\":[{\"text\":\"one two three\"}]}],"
                  + "\"inferenceConfig\":{\"maxTokens\":3}}");

      assertThat(r.statusCode()).isEqualTo(200);
      assertThat(r.body())
          .contains("\"text\":\"echo: one two\"")
          .contains("\"stopReason\":\"max_tokens\"")
          .contains("\"outputTokens\":3");
    }
  }

  @Test
  void billsToolDefinitionsAsInputAndRecordsWhatItBilled() throws Exception {
    String hi = "{\"messages\":[{\"role\":\"user\",\"content\":[{\"text\":\"hi\"}]}]";
    String tools =
        ",\"toolConfig\":{\"tools\":[{\"toolSpec\":{\"name\":\"t\",\"description\":\""
            + "d".repeat(4_000)
            + "\",\"inputSchema\":{\"json\":{\"type\":\"object\"}}}}]}";
    try (BedrockStub stub = BedrockStub.start()) {
      post(stub, "/model/m/converse", hi + "}");
      post(stub, "/model/m/converse", hi + tools + "}");

      assertThat(stub.billed()).hasSize(2);
      assertThat(stub.billed().get(0).inputTokens()).isEqualTo(1);
      // "hi", the tool's name and description and its schema, at four bytes a token.
      long billable = 2 + 1 + 4_000 + "{\"type\":\"object\"}".length();
      assertThat(stub.billed().get(1).inputTokens()).isEqualTo((billable + 3) / 4);
      stub.reset();
      assertThat(stub.billed()).isEmpty();
    }
  }

  @Test
  void answersScriptedResponsesInOrderAndRecordsRequests() throws Exception {
    try (BedrockStub stub = BedrockStub.start()) {
      stub.enqueue(StubResponse.error(429, "ThrottlingException", "Too many tokens"));

      HttpResponse<String> first = post(stub, "/model/m/converse", "{}");
      HttpResponse<String> second = post(stub, "/model/m/converse", "{}");

      assertThat(first.statusCode()).isEqualTo(429);
      assertThat(first.headers().firstValue("x-amzn-ErrorType"))
          .hasValueSatisfying(v -> assertThat(v).startsWith("ThrottlingException:"));
      assertThat(second.statusCode()).isEqualTo(200);
      assertThat(stub.requests())
          .extracting(ReceivedRequest::path)
          .containsOnly("/model/m/converse");
      assertThat(stub.requestCount()).isEqualTo(2);
    }
  }

  @Test
  void billsTheUsageOfEveryAnswerItServesButNotErrors() throws Exception {
    try (BedrockStub stub = BedrockStub.start()) {
      java.util.List<Billed> bill = new java.util.concurrent.CopyOnWriteArrayList<>();
      stub.onBilled(bill::add);
      stub.enqueue(
          StubResponse.error(429, "ThrottlingException", "Too many tokens"),
          StubResponse.text("hi", 7, 2));

      post(stub, "/model/m%3A0/converse", "{}");
      post(stub, "/model/m%3A0/converse", "{}");

      assertThat(bill)
          .singleElement()
          .satisfies(
              b -> {
                assertThat(b.modelId()).isEqualTo("m:0");
                assertThat(b.inputTokens()).isEqualTo(7);
                assertThat(b.outputTokens()).isEqualTo(2);
              });
    }
  }

  @Test
  void refusesUnknownPaths() throws Exception {
    try (BedrockStub stub = BedrockStub.start()) {
      assertThat(post(stub, "/other", "{}").statusCode()).isEqualTo(404);
    }
  }
}

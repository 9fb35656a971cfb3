package io.llmgateway.server.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.openai.client.OpenAIClient;
import com.openai.errors.BadRequestException;
import com.openai.errors.InternalServerException;
import com.openai.errors.PermissionDeniedException;
import com.openai.errors.RateLimitException;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import com.openai.models.embeddings.CreateEmbeddingResponse;
import com.openai.models.embeddings.EmbeddingCreateParams;
import io.llmgateway.bedrock.stub.StubResponse;
import io.llmgateway.core.GatewayConfig;
import io.llmgateway.core.admin.IssuedKey;
import io.llmgateway.core.budget.BudgetLimit;
import io.llmgateway.core.catalog.Pricing;
import io.llmgateway.core.chat.TokenUsage;
import io.llmgateway.core.money.Money;
import io.llmgateway.core.spend.SpendRecord;
import io.llmgateway.core.spend.SpendStatus;
import io.llmgateway.server.support.SharedStack;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * {@code POST /v1/embeddings} end to end: the official OpenAI Java SDK against the gateway on real
 * PostgreSQL, model-embed (Titan Text Embeddings V2, $0.02 per 1M input tokens) served by the
 * Bedrock stub's InvokeModel. The retrieval tier may use model-embed, coding may not.
 */
class EmbeddingsTest extends SharedStack {
  static final Pricing TITAN = Pricing.perMillionUsd("0.02", "0.02");
  static final String TITAN_PATH = "/model/amazon.titan-embed-text-v2%3A0/invoke";
  static final ObjectMapper JSON = new ObjectMapper();

  @Test
  void stringInputIsOneTitanCallAnsweredInOpenAisShapeAndChargedItsInputTokens() throws Exception {
    IssuedKey key = stack.userKey("retrieval", List.of());
    CreateEmbeddingResponse r =
        stack
            .client(key.plaintext())
            .embeddings()
            .create(
                EmbeddingCreateParams.builder()
                    .model("model-embed")
                    .input("hello embeddings") // 16 bytes: the stub bills 4 tokens
                    .encodingFormat(EmbeddingCreateParams.EncodingFormat.FLOAT)
                    .user("alice")
                    .build());

    assertThat(r.data()).hasSize(1);
    List<Float> v = r.data().getFirst().embedding();
    assertThat(v).hasSize(1024);
    assertThat(norm(v)).isCloseTo(1.0, within(1e-4));
    assertThat(r.model()).isEqualTo("model-embed");
    assertThat(r.usage().promptTokens()).isEqualTo(4);
    assertThat(r.usage().totalTokens()).isEqualTo(4);

    assertThat(stack.stub.requestCount()).isEqualTo(1);
    assertThat(stack.stub.lastRequest().path()).isEqualTo(TITAN_PATH);
    JsonNode sent = JSON.readTree(stack.stub.lastRequest().body());
    assertThat(sent.get("inputText").asText()).isEqualTo("hello embeddings");
    assertThat(sent.get("dimensions").asInt()).isEqualTo(1024);

    SpendRecord spend = stack.awaitSettledSpend(key.key().userId().orElseThrow(), seconds(5));
    assertThat(spend.status()).isEqualTo(SpendStatus.SUCCESS);
    assertThat(spend.model()).isEqualTo("model-embed");
    assertThat(spend.deploymentId()).contains("titan-embed-v2-us-east-1");
    assertThat(spend.usage().orElseThrow().inputTokens()).isEqualTo(4);
    assertThat(spend.usage().orElseThrow().outputTokens()).isZero();
    assertThat(spend.cost()).isEqualTo(TITAN.cost(TokenUsage.reported(4, 0)));
    assertThat(spend.cost()).isEqualTo(Money.ofNanos(80));
  }

  @Test
  void arrayInputIsOneCallPerTextVectorsInInputOrderWithTheDimensionsAsked() {
    IssuedKey key = stack.userKey("retrieval", List.of());
    OpenAIClient client = stack.client(key.plaintext());
    List<String> texts = List.of("alpha", "beta beta", "gamma gamma gamma", "delta", "epsilon");
    CreateEmbeddingResponse r =
        client
            .embeddings()
            .create(
                EmbeddingCreateParams.builder()
                    .model("model-embed")
                    .inputOfArrayOfStrings(texts)
                    .dimensions(256)
                    .encodingFormat(EmbeddingCreateParams.EncodingFormat.FLOAT)
                    .build());

    assertThat(stack.stub.requestCount()).isEqualTo(texts.size());
    assertThat(r.data()).hasSize(texts.size());
    long expectedTokens = 0;
    for (int i = 0; i < texts.size(); i++) {
      assertThat(r.data().get(i).index()).isEqualTo(i);
      assertThat(r.data().get(i).embedding()).hasSize(256);
      expectedTokens += Math.max(1, (texts.get(i).length() + 3) / 4);
    }
    assertThat(r.usage().promptTokens()).isEqualTo(expectedTokens);
    // In input order: the third vector is the one the third text alone gets.
    List<Float> third = embedOne(client, texts.get(2), 256, null);
    assertThat(r.data().get(2).embedding()).isEqualTo(third);
    assertThat(r.data().get(1).embedding()).isNotEqualTo(third);
  }

  @Test
  void base64IsLittleEndianFloat32AsOpenAiSendsIt() {
    OpenAIClient client = stack.client(stack.userKey("retrieval"));
    List<Float> floats =
        embedOne(client, "same text", 512, EmbeddingCreateParams.EncodingFormat.FLOAT);
    CreateEmbeddingResponse r =
        client
            .embeddings()
            .create(
                EmbeddingCreateParams.builder()
                    .model("model-embed")
                    .input("same text")
                    .dimensions(512)
                    .encodingFormat(EmbeddingCreateParams.EncodingFormat.BASE64)
                    .build());
    String b64 = r.data().getFirst().embeddingValue().asBase64();
    ByteBuffer bytes =
        ByteBuffer.wrap(Base64.getDecoder().decode(b64)).order(ByteOrder.LITTLE_ENDIAN);
    List<Float> decoded = new ArrayList<>();
    while (bytes.hasRemaining()) {
      decoded.add(bytes.getFloat());
    }
    assertThat(decoded).hasSize(512).isEqualTo(floats);
  }

  @Test
  void aBudgetThatCannotPayTheInputIsRefusedAs429BeforeAnyUpstreamCall() throws Exception {
    // $0.000001 = 1,000 nano-USD; the input bound of one short text (about 85 tokens at 20
    // nano-USD each) is more.
    IssuedKey key = stack.userKey("retrieval", List.of(BudgetLimit.daily(Money.ofUsd("0.000001"))));
    assertThatThrownBy(() -> embedOne(stack.client(key.plaintext()), "hello", 1024, null))
        .isInstanceOfSatisfying(
            RateLimitException.class,
            e -> {
              assertThat(e.statusCode()).isEqualTo(429);
              assertThat(e.code()).contains("budget_exceeded");
              assertThat(e.headers().values("x-budget-window")).containsExactly("daily");
            });
    assertThat(stack.stub.requestCount()).isZero();
    assertThat(stack.spendOf(key)).isEmpty();
  }

  @Test
  void aTierWithoutModelEmbedIsRefused403() throws Exception {
    IssuedKey key = stack.userKey("coding", List.of());
    assertThatThrownBy(() -> embedOne(stack.client(key.plaintext()), "hello", 1024, null))
        .isInstanceOfSatisfying(
            PermissionDeniedException.class,
            e -> {
              assertThat(e.code()).contains("model_not_allowed");
              assertThat(e.getMessage()).contains("model-balanced");
            });
    assertThat(stack.stub.requestCount()).isZero();
    assertThat(stack.spendOf(key)).isEmpty();
  }

  @Test
  void tokenArraysAreRefusedWithAClear400() {
    IssuedKey key = stack.userKey("retrieval", List.of());
    assertThatThrownBy(
            () ->
                stack
                    .client(key.plaintext())
                    .embeddings()
                    .create(
                        EmbeddingCreateParams.builder()
                            .model("model-embed")
                            .inputOfArrayOfTokens(List.of(15339L, 1917L))
                            .build()))
        .isInstanceOfSatisfying(
            BadRequestException.class,
            e -> {
              assertThat(e.param()).contains("input");
              assertThat(e.getMessage()).contains("token arrays");
            });
    assertThat(stack.stub.requestCount()).isZero();
  }

  @Test
  void badInputsAre400InOpenAisErrorShapeAndNothingIsSentOrWritten() throws Exception {
    IssuedKey key = stack.userKey("retrieval", List.of());
    StringBuilder tooMany = new StringBuilder("[");
    for (int i = 0; i < 2049; i++) {
      tooMany.append(i == 0 ? "" : ",").append("\"t\"");
    }
    tooMany.append(']');
    String[][] cases = {
      {"{\"model\":\"model-embed\",\"input\":\"\"}", "input"},
      {"{\"model\":\"model-embed\",\"input\":[]}", "input"},
      {"{\"model\":\"model-embed\",\"input\":[\"ok\",\"\"]}", "input"},
      {"{\"model\":\"model-embed\",\"input\":" + tooMany + "}", "input"},
      {"{\"model\":\"model-embed\",\"input\":[[1,2],[3]]}", "input"},
      {"{\"model\":\"model-embed\",\"input\":[\"ok\",7]}", "input"},
      {"{\"model\":\"model-embed\"}", "input"},
      {"{\"model\":\"model-embed\",\"input\":\"x\",\"dimensions\":300}", "dimensions"},
      {
        "{\"model\":\"model-embed\",\"input\":\"x\",\"encoding_format\":\"int8\"}",
        "encoding_format"
      },
      {"{\"model\":\"model-embed\",\"input\":\"x\",\"api_base\":\"http://evil\"}", "api_base"},
    };
    for (String[] c : cases) {
      HttpResponse<String> r = stack.post("/v1/embeddings", key.plaintext(), c[0]);
      assertThat(r.statusCode()).as(c[0]).isEqualTo(400);
      JsonNode error = JSON.readTree(r.body()).get("error");
      assertThat(error.get("type").asText()).as(c[0]).isEqualTo("invalid_request_error");
      assertThat(error.get("param").asText()).as(c[0]).isEqualTo(c[1]);
      assertThat(error.get("message").asText()).as(c[0]).isNotBlank();
    }
    assertThat(stack.stub.requestCount()).isZero();
    assertThat(stack.spendOf(key)).isEmpty();
  }

  @Test
  void upstreamErrorsAreMappedAsOnChat() throws Exception {
    IssuedKey key = stack.userKey("retrieval", List.of());
    stack.stub.enqueue(StubResponse.error(403, "AccessDeniedException", "not authorized"));
    assertThatThrownBy(() -> embedOne(stack.client(key.plaintext()), "x", 1024, null))
        .isInstanceOfSatisfying(
            InternalServerException.class,
            e -> {
              assertThat(e.statusCode()).isEqualTo(502);
              assertThat(e.code()).contains("provider_rejected");
            });
    SpendRecord spend = stack.awaitSettledSpend(key.key().userId().orElseThrow(), seconds(5));
    assertThat(spend.status()).isEqualTo(SpendStatus.ERROR);
    assertThat(spend.cost()).as("Bedrock bills no refused call").isEqualTo(Money.ZERO);
  }

  @Test
  void oneFailedCallOfSeveralFailsTheRequestAndChargesItsReservation() throws Exception {
    IssuedKey key = stack.userKey("retrieval", List.of());
    List<String> texts = List.of("one", "two", "three");
    // One call fails late, after the others were answered (and billed).
    stack.stub.enqueue(
        StubResponse.delayed(
            Duration.ofMillis(300), StubResponse.error(500, "InternalServerException", "boom")));
    assertThatThrownBy(
            () ->
                stack
                    .client(key.plaintext())
                    .embeddings()
                    .create(
                        EmbeddingCreateParams.builder()
                            .model("model-embed")
                            .inputOfArrayOfStrings(texts)
                            .build()))
        .isInstanceOf(InternalServerException.class);
    assertThat(stack.stub.billed()).hasSize(2);
    SpendRecord spend = stack.awaitSettledSpend(key.key().userId().orElseThrow(), seconds(5));
    assertThat(spend.status()).isEqualTo(SpendStatus.ERROR);
    // The worst case held: per request 64 + per text (16 + its bytes) tokens at the input price.
    GatewayConfig.InputAllowance a = GatewayConfig.InputAllowance.DEFAULT;
    long bound = a.perRequest() + 3L * a.perMessage() + "onetwothree".length();
    assertThat(spend.cost()).isEqualTo(TITAN.worstCase(bound, 0));
    long billedTokens = stack.stub.billed().stream().mapToLong(b -> b.inputTokens()).sum();
    assertThat(spend.cost())
        .isGreaterThanOrEqualTo(TITAN.cost(TokenUsage.reported(billedTokens, 0)));
  }

  @Test
  void chatOnTheEmbeddingModelIsAClear400() {
    OpenAIClient client = stack.client(stack.userKey("retrieval"));
    assertThatThrownBy(
            () ->
                client
                    .chat()
                    .completions()
                    .create(
                        ChatCompletionCreateParams.builder()
                            .model("model-embed")
                            .addUserMessage("hi")
                            .build()))
        .isInstanceOfSatisfying(
            BadRequestException.class, e -> assertThat(e.getMessage()).contains("/v1/embeddings"));
    assertThat(stack.stub.requestCount()).isZero();
  }

  private static List<Float> embedOne(
      OpenAIClient client, String text, int dims, EmbeddingCreateParams.EncodingFormat format) {
    EmbeddingCreateParams.Builder b =
        EmbeddingCreateParams.builder().model("model-embed").input(text).dimensions(dims);
    if (format != null) {
      b.encodingFormat(format);
    }
    return client.embeddings().create(b.build()).data().getFirst().embedding();
  }

  private static double norm(List<Float> v) {
    double s = 0;
    for (float f : v) {
      s += f * f;
    }
    return Math.sqrt(s);
  }

  private static Duration seconds(int n) {
    return Duration.ofSeconds(n);
  }
}

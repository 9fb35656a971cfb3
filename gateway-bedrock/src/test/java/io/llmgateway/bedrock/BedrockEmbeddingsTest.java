package io.llmgateway.bedrock;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.llmgateway.bedrock.stub.ReceivedRequest;
import io.llmgateway.bedrock.stub.StubResponse;
import io.llmgateway.core.catalog.Deployment;
import io.llmgateway.core.catalog.Pricing;
import io.llmgateway.core.chat.TokenUsage;
import io.llmgateway.core.embedding.EmbeddingRequest;
import io.llmgateway.core.embedding.EmbeddingResponse;
import io.llmgateway.core.error.Billing;
import io.llmgateway.core.error.InvalidRequestException;
import io.llmgateway.core.error.ProviderUnavailableException;
import io.llmgateway.core.provider.EmbeddingCall;
import io.llmgateway.core.provider.HealthStatus;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalInt;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/**
 * Embeddings over InvokeModel against the wire-format stub: Titan V2 one text per call, Cohere
 * Embed in batches of 96, usage from the body or Bedrock's token-count header, refusals before any
 * call, all-or-nothing failures, and the health probe of an embedding model.
 */
class BedrockEmbeddingsTest extends StubTestBase {
  static final Pricing PRICE = Pricing.perMillionUsd("0.10", "0.10");

  static Deployment model(String id) {
    return Deployment.of("embed", "bedrock", id, PRICE, 8192, 1);
  }

  static EmbeddingResponse embed(String modelId, List<String> texts, OptionalInt dims) {
    return bedrock.embed(
        new EmbeddingCall("req-1", model(modelId), new EmbeddingRequest("embed", texts, dims)));
  }

  @Test
  void cohereEmbedsInBatchesOf96InInputOrderWithTheHeadersTokenCount() throws Exception {
    List<String> texts = IntStream.range(0, 100).mapToObj(i -> "text number " + i).toList();
    EmbeddingResponse r = embed("cohere.embed-english-v3", texts, OptionalInt.empty());

    assertThat(stub.requestCount()).isEqualTo(2);
    List<Integer> batchSizes = new ArrayList<>();
    for (ReceivedRequest q : stub.requests()) {
      assertThat(q.path()).isEqualTo("/model/cohere.embed-english-v3/invoke");
      JsonNode body = Json.MAPPER.readTree(q.body());
      assertThat(body.get("input_type").asText()).isEqualTo("search_document");
      batchSizes.add(body.get("texts").size());
    }
    assertThat(batchSizes).containsExactlyInAnyOrder(96, 4);
    assertThat(r.vectors()).hasSize(100);
    assertThat(r.vectors().get(99)).hasSize(1024);
    // Input order kept across batches: text 97 alone gets the vector it got in the batch.
    float[] alone =
        embed("cohere.embed-english-v3", List.of(texts.get(97)), OptionalInt.empty())
            .vectors()
            .getFirst();
    assertThat(r.vectors().get(97)).isEqualTo(alone);
    long billed = 0;
    for (int i = 0; i < 2; i++) {
      billed += stub.billed().get(i).inputTokens();
    }
    assertThat(r.usage()).isEqualTo(TokenUsage.reported(billed, 0));
  }

  @Test
  void titanSendsOneTextPerCallWithItsDimensions() throws Exception {
    EmbeddingResponse r =
        embed("amazon.titan-embed-text-v2:0", List.of("a b c", "d e f g"), OptionalInt.of(512));
    assertThat(stub.requestCount()).isEqualTo(2);
    for (ReceivedRequest q : stub.requests()) {
      JsonNode body = Json.MAPPER.readTree(q.body());
      assertThat(body.get("dimensions").asInt()).isEqualTo(512);
      assertThat(body.get("normalize").asBoolean()).isTrue();
    }
    assertThat(r.vectors()).extracting(v -> v.length).containsExactly(512, 512);
    assertThat(r.usage().source()).isEqualTo(TokenUsage.Source.REPORTED);
  }

  @Test
  void whatTheModelCannotDoIsRefusedBeforeAnyCall() {
    assertThatThrownBy(() -> embed("cohere.embed-english-v3", List.of("x"), OptionalInt.of(256)))
        .isInstanceOf(InvalidRequestException.class)
        .hasMessageContaining("dimensions");
    assertThatThrownBy(
            () -> embed("amazon.titan-embed-text-v2:0", List.of("x"), OptionalInt.of(384)))
        .isInstanceOf(InvalidRequestException.class);
    assertThatThrownBy(() -> embed(Fixtures.NOVA_MICRO, List.of("x"), OptionalInt.empty()))
        .isInstanceOf(InvalidRequestException.class)
        .hasMessageContaining("does not serve embeddings");
    assertThat(stub.requestCount()).isZero();
  }

  @Test
  void aLoneThrottledCallIsNotBilledAndMayFailOver() {
    stub.enqueue(StubResponse.error(429, "ThrottlingException", "slow down"));
    assertThatThrownBy(
            () -> embed("amazon.titan-embed-text-v2:0", List.of("x"), OptionalInt.empty()))
        .isInstanceOfSatisfying(
            ProviderUnavailableException.class,
            e -> assertThat(e.billing()).isEqualTo(Billing.NOT_BILLED));
  }

  @Test
  void aFailureAfterAnotherCallWasBilledIsMarkedMaybeBilled() {
    stub.enqueue(
        StubResponse.delayed(
            java.time.Duration.ofMillis(300),
            StubResponse.error(429, "ThrottlingException", "slow down")));
    assertThatThrownBy(
            () -> embed("amazon.titan-embed-text-v2:0", List.of("x", "y"), OptionalInt.empty()))
        .isInstanceOfSatisfying(
            ProviderUnavailableException.class,
            e -> {
              assertThat(e.billing()).isEqualTo(Billing.MAYBE_BILLED);
              assertThat(e.retryable()).isFalse();
            });
    assertThat(stub.billed()).hasSize(1);
  }

  @Test
  void theHealthProbeOfAnEmbeddingModelIsAOneWordEmbedding() {
    HealthStatus s = bedrock.probe(model("amazon.titan-embed-text-v2:0"));
    assertThat(s.state()).isEqualTo(HealthStatus.State.HEALTHY);
    assertThat(stub.lastRequest().path()).isEqualTo("/model/amazon.titan-embed-text-v2%3A0/invoke");
  }
}

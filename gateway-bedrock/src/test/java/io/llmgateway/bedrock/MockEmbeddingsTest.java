package io.llmgateway.bedrock;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.llmgateway.core.catalog.Deployment;
import io.llmgateway.core.catalog.Pricing;
import io.llmgateway.core.embedding.EmbeddingRequest;
import io.llmgateway.core.embedding.EmbeddingResponse;
import io.llmgateway.core.error.InvalidRequestException;
import io.llmgateway.core.provider.EmbeddingCall;
import io.llmgateway.core.provider.ModelProvider;
import java.util.List;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;

/** The offline provider's embeddings (bin/gateway's demo mode): deterministic unit vectors. */
class MockEmbeddingsTest {
  final ModelProvider mock = Providers.mock(MockSettings.defaults());
  final Deployment d =
      Deployment.of(
          "model-embed",
          "mock",
          "amazon.titan-embed-text-v2:0",
          Pricing.perMillionUsd("0.02", "0.02"),
          8192,
          1);

  EmbeddingResponse embed(List<String> texts, OptionalInt dims) {
    return mock.embed(new EmbeddingCall("r", d, new EmbeddingRequest("model-embed", texts, dims)));
  }

  @Test
  void theSameTextAlwaysGetsTheSameUnitVectorAndOthersAnother() {
    EmbeddingResponse a = embed(List.of("hello", "world", "hello"), OptionalInt.empty());
    EmbeddingResponse b = embed(List.of("hello"), OptionalInt.of(1024));

    assertThat(a.vectors()).hasSize(3);
    assertThat(a.vectors().get(0)).hasSize(1024).isEqualTo(a.vectors().get(2));
    assertThat(a.vectors().get(0)).isEqualTo(b.vectors().get(0));
    assertThat(a.vectors().get(1)).isNotEqualTo(a.vectors().get(0));
    double norm = 0;
    for (float f : a.vectors().get(1)) {
      norm += f * f;
    }
    assertThat(Math.sqrt(norm)).isCloseTo(1.0, org.assertj.core.data.Offset.offset(1e-5));
    // "hello" 5 bytes -> 2 tokens, "world" 2: the mock's four-bytes-a-token imitation.
    assertThat(a.usage().inputTokens()).isEqualTo(6);
    assertThat(a.usage().outputTokens()).isZero();
  }

  @Test
  void lengthsTitanLacksAreRefusedBeforeTheCall() {
    assertThat(embed(List.of("x"), OptionalInt.of(256)).vectors().getFirst()).hasSize(256);
    assertThatThrownBy(
            () ->
                mock.checkEmbedding(
                    d, new EmbeddingRequest("m", List.of("x"), OptionalInt.of(300))))
        .isInstanceOf(InvalidRequestException.class);
  }
}

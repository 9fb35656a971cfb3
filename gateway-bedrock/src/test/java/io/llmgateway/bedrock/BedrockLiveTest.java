package io.llmgateway.bedrock;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.llmgateway.core.catalog.Deployment;
import io.llmgateway.core.chat.ChatChunk;
import io.llmgateway.core.chat.ChatRequest;
import io.llmgateway.core.chat.TokenUsage;
import io.llmgateway.core.provider.ChatStream;
import io.llmgateway.core.provider.HealthStatus;
import io.llmgateway.core.provider.ModelProvider;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;

/**
 * Calls real Bedrock, for users to verify their account. Opt-in: {@code ./mvnw -pl gateway-bedrock
 * -am verify -Pbedrock-live [-Dbedrock.live.model=us.amazon.nova-micro-v1:0]
 * [-Dbedrock.live.region=us-east-1]}. Skipped without AWS credentials. Costs a few hundred tokens.
 */
@EnabledIfSystemProperty(named = "bedrock.live", matches = "true")
class BedrockLiveTest {
  private static ModelProvider bedrock;
  private static Deployment deployment;

  @BeforeAll
  static void setUp() {
    boolean credentials;
    try (var chain = DefaultCredentialsProvider.builder().build()) {
      chain.resolveCredentials();
      credentials = true;
    } catch (RuntimeException e) {
      credentials = System.getenv("AWS_BEARER_TOKEN_BEDROCK") != null;
    }
    assumeTrue(credentials, "no AWS credentials found; skipping the live Bedrock test");
    String model = System.getProperty("bedrock.live.model", "us.amazon.nova-micro-v1:0");
    String region = System.getProperty("bedrock.live.region", "us-east-1");
    deployment =
        new Deployment(
            "live",
            "model-cheap",
            "bedrock",
            model,
            Optional.of(region),
            Optional.empty(),
            Fixtures.deployment("bedrock").pricing(),
            128_000,
            5_000,
            Deployment.Source.CONFIG);
    bedrock = Providers.bedrock(BedrockSettings.defaults());
  }

  @AfterAll
  static void tearDown() throws Exception {
    if (bedrock != null) {
      ((AutoCloseable) bedrock).close();
    }
  }

  @Test
  void answersABlockingCall() {
    var r =
        bedrock.complete(
            Fixtures.request(
                deployment, ChatRequest.of("model-cheap", "Say hello in 3 words"), 20));
    assertThat(r.text()).isPresent();
    assertThat(r.usage().source()).isEqualTo(TokenUsage.Source.REPORTED);
    assertThat(r.usage().outputTokens()).isBetween(1L, 20L);
  }

  @Test
  void streamsAnAnswerWithUsage() {
    try (ChatStream s =
        bedrock.stream(
            Fixtures.request(deployment, ChatRequest.of("model-cheap", "Count to five"), 30))) {
      boolean sawUsage = false;
      for (var c = s.next(); c.isPresent(); c = s.next()) {
        sawUsage |= c.get() instanceof ChatChunk.Usage;
      }
      assertThat(sawUsage).isTrue();
    }
  }

  @Test
  void probesHealthy() {
    HealthStatus h = bedrock.probe(deployment);
    assertThat(h.state()).as(h.detail()).isEqualTo(HealthStatus.State.HEALTHY);
  }
}

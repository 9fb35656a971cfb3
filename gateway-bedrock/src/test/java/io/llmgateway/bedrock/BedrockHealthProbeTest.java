package io.llmgateway.bedrock;

import static org.assertj.core.api.Assertions.assertThat;

import io.llmgateway.bedrock.stub.StubResponse;
import io.llmgateway.core.provider.HealthStatus;
import io.llmgateway.core.provider.HealthStatus.State;
import io.llmgateway.core.provider.ModelProvider;
import java.net.URI;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The health probe: a real 1-token Converse on the exact model id, cached for a TTL. */
class BedrockHealthProbeTest extends StubTestBase {
  private ModelProvider uncached;

  @BeforeEach
  void uncachedProvider() {
    uncached = Providers.bedrock(stub.settings().toBuilder().healthCacheTtl(Duration.ZERO).build());
  }

  @AfterEach
  void closeUncached() throws Exception {
    ((AutoCloseable) uncached).close();
  }

  @Test
  void probesTheExactModelIdWithOneTokenOverTheTrafficPath() throws Exception {
    HealthStatus h = uncached.probe(deployment());

    assertThat(h.state()).isEqualTo(State.HEALTHY);
    assertThat(stub.lastRequest().path()).isEqualTo(Fixtures.NOVA_MICRO_PATH);
    assertThat(lastBody().toString())
        .isEqualTo(
            "{\"messages\":[{\"role\":\"user\",\"content\":[{\"text\":\"ping\"}]}],"
                + "\"inferenceConfig\":{\"maxTokens\":1}}");
  }

  @Test
  void cachesTheResultForTheTtl() {
    HealthStatus first = bedrock.probe(deployment());
    HealthStatus second = bedrock.probe(deployment());

    assertThat(second).isSameAs(first);
    assertThat(stub.requestCount()).isEqualTo(1);
  }

  @Test
  void probesAgainOnceTheTtlHasPassed() {
    uncached.probe(deployment());
    uncached.probe(deployment());
    assertThat(stub.requestCount()).isEqualTo(2);
  }

  @Test
  void throttlingIsDegraded() {
    stub.enqueue(StubResponse.error(429, "ThrottlingException", "Too many requests"));
    HealthStatus h = uncached.probe(deployment());
    assertThat(h.state()).isEqualTo(State.DEGRADED);
    assertThat(stub.requestCount()).as("no retries").isEqualTo(1);
  }

  @Test
  void accessDeniedIsUnhealthyAndSaysWhatToCheck() {
    stub.enqueue(StubResponse.error(403, "AccessDeniedException", "not authorized"));
    HealthStatus h = uncached.probe(deployment());
    assertThat(h.state()).isEqualTo(State.UNHEALTHY);
    assertThat(h.detail()).contains("HTTP 403").contains(Fixtures.NOVA_MICRO).contains("IAM");
  }

  @Test
  void aBareModelIdWithoutProfileIsUnhealthyWithAHint() {
    stub.enqueue(
        StubResponse.error(
            400,
            "ValidationException",
            "Invocation of model ID amazon.nova-micro-v1:0 with on-demand throughput isn't"
                + " supported."));
    HealthStatus h = uncached.probe(deployment());
    assertThat(h.state()).isEqualTo(State.UNHEALTHY);
    assertThat(h.detail()).contains("inference profile");
  }

  @Test
  void anUnreachableEndpointIsUnhealthy() {
    var nowhere = Fixtures.deployment("bedrock", Optional.of(URI.create("http://127.0.0.1:9")));
    HealthStatus h = uncached.probe(nowhere);
    assertThat(h.state()).isEqualTo(State.UNHEALTHY);
    assertThat(h.detail()).isNotBlank();
  }
}

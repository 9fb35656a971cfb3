package io.llmgateway.bedrock;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.llmgateway.bedrock.stub.BedrockStub;
import io.llmgateway.bedrock.stub.SigV4Check;
import io.llmgateway.bedrock.stub.StubResponse;
import io.llmgateway.core.catalog.Deployment;
import io.llmgateway.core.error.ProviderRejectedException;
import io.llmgateway.core.error.ProviderUnavailableException;
import io.llmgateway.core.provider.ChatStream;
import io.llmgateway.core.provider.ModelProvider;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The lean HTTP path as the stub sees it: signatures, connection reuse, aborts. */
class BedrockTransportTest extends StubTestBase {

  @Test
  void signsEveryCallWithSigV4ForBedrockInTheDeploymentsRegion() {
    bedrock.complete(Fixtures.ask(deployment(), "hi"));
    try (ChatStream s = bedrock.stream(Fixtures.ask(deployment(), "hi"))) {
      drain(s);
    }

    String today = LocalDate.now(ZoneOffset.UTC).format(DateTimeFormatter.BASIC_ISO_DATE);
    assertThat(stub.requests())
        .hasSize(2)
        .allSatisfy(
            r -> {
              assertThat(r.header("Authorization").orElseThrow())
                  .startsWith(
                      "AWS4-HMAC-SHA256 Credential="
                          + BedrockStub.ACCESS_KEY_ID
                          + "/"
                          + today
                          + "/us-east-1/bedrock/aws4_request, SignedHeaders=")
                  .doesNotContain(BedrockStub.SECRET_ACCESS_KEY);
              assertThat(r.header("x-amz-date")).hasValueSatisfying(d -> assertThat(d).hasSize(16));
              // The stub verified it already; checked here too so a failure says why.
              assertThat(SigV4Check.problem(r, BedrockStub.SECRET_ACCESS_KEY)).isEmpty();
              assertThat(SigV4Check.parse(r.header("Authorization").get()).get().signedHeaders())
                  .contains("host", "x-amz-date", "content-type");
            });
  }

  @Test
  void aWrongSecretIsRefusedByTheStubAsBedrockWould() throws Exception {
    ModelProvider wrong =
        Providers.bedrock(
            stub.settings().toBuilder()
                .staticCredentials(BedrockStub.ACCESS_KEY_ID, "not-the-secret")
                .build());
    try {
      assertThatThrownBy(() -> wrong.complete(Fixtures.ask(deployment(), "hi")))
          .isInstanceOfSatisfying(
              ProviderRejectedException.class,
              e -> {
                assertThat(e.upstreamStatus()).isEqualTo(403);
                assertThat(e.getMessage()).contains("credentials").doesNotContain("not-the-secret");
              });
    } finally {
      ((AutoCloseable) wrong).close();
    }
  }

  @Test
  void signsAnInferenceProfileArnAsAnEncodedPathLabel() {
    Deployment arn =
        new Deployment(
            "dep-arn",
            "model-cheap",
            "bedrock",
            "arn:aws:bedrock:us-east-1:123456789012:application-inference-profile/abc123",
            Optional.of("us-east-1"),
            Optional.empty(),
            deployment().pricing(),
            128_000,
            5_000,
            Deployment.Source.CONFIG);

    bedrock.complete(Fixtures.ask(arn, "hi"));

    assertThat(stub.lastRequest().path())
        .isEqualTo(
            "/model/arn%3Aaws%3Abedrock%3Aus-east-1%3A123456789012%3A"
                + "application-inference-profile%2Fabc123/converse");
  }

  @Test
  void reusesOneKeepAliveConnectionForSequentialCalls() {
    for (int i = 0; i < 30; i++) {
      bedrock.complete(Fixtures.ask(deployment(), "call " + i));
      try (ChatStream s = bedrock.stream(Fixtures.ask(deployment(), "stream " + i))) {
        drain(s);
      }
    }
    assertThat(stub.requestCount()).isEqualTo(60);
    assertThat(stub.connectionCount()).isLessThanOrEqualTo(2);
  }

  @Test
  void theCallTimeoutAbortsABlockingCallAndTheNextCallWorks() throws Exception {
    ModelProvider impatient =
        Providers.bedrock(stub.settings().toBuilder().callTimeout(Duration.ofMillis(300)).build());
    try {
      stub.enqueue(StubResponse.delayed(Duration.ofSeconds(3), StubResponse.text("x", 1, 1)));
      long start = System.nanoTime();
      assertThatThrownBy(() -> impatient.complete(Fixtures.ask(deployment(), "hi")))
          .isInstanceOfSatisfying(
              ProviderUnavailableException.class,
              e -> {
                assertThat(e.kind()).isEqualTo(ProviderUnavailableException.Kind.TIMEOUT);
                assertThat(e.getMessage()).contains("call timeout");
              });
      assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(2));

      assertThat(impatient.complete(Fixtures.ask(deployment(), "again")).text())
          .contains("echo: again");
    } finally {
      ((AutoCloseable) impatient).close();
    }
  }

  @Test
  void readsTheErrorTypeFromTheBodyWhenTheHeaderIsMissing() {
    stub.enqueue(
        StubResponse.raw(
            400,
            "application/json",
            "{\"__type\":\"com.amazon.bedrock#ServiceQuotaExceededException\","
                + "\"message\":\"quota gone\"}"));
    assertThatThrownBy(() -> bedrock.complete(Fixtures.ask(deployment(), "hi")))
        .isInstanceOfSatisfying(
            ProviderUnavailableException.class,
            e -> {
              assertThat(e.kind()).isEqualTo(ProviderUnavailableException.Kind.THROTTLED);
              assertThat(e.getMessage()).contains("quota gone");
            });
  }

  @Test
  void theCallTimeoutEndsAStreamThatKeepsTrickling() throws Exception {
    ModelProvider impatient =
        Providers.bedrock(stub.settings().toBuilder().callTimeout(Duration.ofMillis(800)).build());
    stub.enqueue(
        StubResponse.slowStream(
            java.util.Collections.nCopies(50, "tok "), Duration.ofMillis(100), 1, 1));
    try (ChatStream s = impatient.stream(Fixtures.ask(deployment(), "hi"))) {
      // Events come every 100 ms (well within the 10 s idle timeout); only the call timeout ends
      // it.
      assertThatThrownBy(() -> drain(s))
          .isInstanceOfSatisfying(
              ProviderUnavailableException.class,
              e -> {
                assertThat(e.kind()).isEqualTo(ProviderUnavailableException.Kind.TIMEOUT);
                assertThat(e.getMessage()).contains("call timeout");
              });
      assertThat(stub.awaitAbortedStream(Duration.ofSeconds(5))).isTrue();
    } finally {
      ((AutoCloseable) impatient).close();
    }
  }

  @Test
  void mapsAnErrorFrameByItsErrorCodeHeader() {
    java.util.Map<String, String> headers = new java.util.LinkedHashMap<>();
    headers.put(":message-type", "error");
    headers.put(":error-code", "ThrottlingException");
    headers.put(":error-message", "slow down");
    stub.enqueue(
        StubResponse.frames(
            java.util.List.of(
                io.llmgateway.bedrock.stub.EventStreamEncoder.event(
                    "messageStart", "{\"role\":\"assistant\"}"),
                io.llmgateway.bedrock.stub.EventStreamEncoder.frame(headers, new byte[0]))));

    assertThatThrownBy(() -> bedrock.stream(Fixtures.ask(deployment(), "hi")))
        .isInstanceOfSatisfying(
            ProviderUnavailableException.class,
            e -> assertThat(e.kind()).isEqualTo(ProviderUnavailableException.Kind.THROTTLED));
  }

  @Test
  void aStreamAbandonedMidwayDoesNotPoisonThePool() {
    stub.enqueue(
        StubResponse.slowStream(
            java.util.Collections.nCopies(20, "tok "), Duration.ofMillis(50), 1, 1));
    ChatStream s = bedrock.stream(Fixtures.ask(deployment(), "hi"));
    assertThat(s.next()).isPresent();
    s.close();

    for (int i = 0; i < 5; i++) {
      assertThat(bedrock.complete(Fixtures.ask(deployment(), "after " + i)).text())
          .contains("echo: after " + i);
    }
  }
}

package io.llmgateway.bedrock;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.llmgateway.bedrock.stub.StubResponse;
import io.llmgateway.core.error.GatewayException;
import io.llmgateway.core.error.ProviderRejectedException;
import io.llmgateway.core.error.ProviderUnavailableException;
import io.llmgateway.core.error.ProviderUnavailableException.Kind;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Every documented Bedrock error, as an HTTP answer before any event: each becomes the right typed
 * error, from {@code complete()} and from {@code stream()} itself (so the gateway can fail over),
 * with one attempt only and a message safe for clients.
 */
class BedrockErrorMappingTest extends StubTestBase {

  /** expected: REJECTED:<status>:<billing> or <Kind>:<retryable>:<billing>. */
  @ParameterizedTest(name = "{1} {0} -> {2}")
  @CsvSource({
    "ThrottlingException, 429, THROTTLED:true:NOT_BILLED",
    "ModelNotReadyException, 429, UNAVAILABLE:true:NOT_BILLED",
    "ValidationException, 400, REJECTED:400:NOT_BILLED",
    "AccessDeniedException, 403, REJECTED:403:NOT_BILLED",
    "ResourceNotFoundException, 404, REJECTED:404:NOT_BILLED",
    "ModelTimeoutException, 408, TIMEOUT:true:MAYBE_BILLED",
    "ModelErrorException, 424, BAD_RESPONSE:true:MAYBE_BILLED",
    "InternalServerException, 500, UNAVAILABLE:true:NOT_BILLED",
    "ServiceUnavailableException, 503, UNAVAILABLE:true:NOT_BILLED",
    "ServiceQuotaExceededException, 400, THROTTLED:true:NOT_BILLED",
    "UnrecognizedClientException, 403, REJECTED:403:NOT_BILLED",
    "SomethingNewException, 502, UNAVAILABLE:true:NOT_BILLED"
  })
  void mapsEachBedrockErrorToATypedErrorBeforeTheFirstEvent(
      String errorType, int status, String expected) {
    String message =
        "User: arn:aws:sts::123456789012:assumed-role/x is not authorized, key AKIAABCDEFGHIJKLMNOP";
    stub.enqueue(StubResponse.error(status, errorType, message));
    Throwable blocking = catchThrowable(() -> bedrock.complete(Fixtures.ask(deployment(), "hi")));
    stub.enqueue(StubResponse.error(status, errorType, message));
    Throwable streaming = catchThrowable(() -> bedrock.stream(Fixtures.ask(deployment(), "hi")));

    for (Throwable t : List.of(blocking, streaming)) {
      assertThat(describe(t)).isEqualTo(expected);
      assertThat(t.getMessage())
          .doesNotContain("123456789012")
          .doesNotContain("AKIAABCDEFGHIJKLMNOP")
          .doesNotContain("11111111-2222");
    }
    assertThat(stub.requestCount()).as("no SDK retries").isEqualTo(2);
  }

  @Test
  void throttlingCarriesARetryHint() {
    stub.enqueue(StubResponse.error(429, "ThrottlingException", "Too many tokens"));
    Throwable t = catchThrowable(() -> bedrock.complete(Fixtures.ask(deployment(), "hi")));
    assertThat(t)
        .isInstanceOfSatisfying(
            ProviderUnavailableException.class,
            e -> {
              assertThat(e.retryAfter()).isPresent();
              assertThat(e.getMessage()).contains("Too many tokens");
            });
  }

  @Test
  void validationMessagesReachTheClient() {
    stub.enqueue(
        StubResponse.error(
            400,
            "ValidationException",
            "Invocation of model ID amazon.nova-micro-v1:0 with on-demand throughput isn't"
                + " supported."));
    Throwable t = catchThrowable(() -> bedrock.complete(Fixtures.ask(deployment(), "hi")));
    assertThat(t).hasMessageContaining("on-demand throughput isn't supported");
  }

  @Test
  void aNonJsonBadGatewayIsUnavailable() {
    stub.enqueue(StubResponse.raw(502, "text/html", "<html>bad gateway</html>"));
    Throwable t = catchThrowable(() -> bedrock.stream(Fixtures.ask(deployment(), "hi")));
    assertThat(describe(t)).isEqualTo("UNAVAILABLE:true:NOT_BILLED");
  }

  @Test
  void readsTheCodeFromTheHeaderOrTheBodyAndHonoursRetryAfter() {
    byte[] body =
        "{\"message\":\"Too many tokens\"}".getBytes(java.nio.charset.StandardCharsets.UTF_8);
    GatewayException fromHeader =
        BedrockErrors.fromHttp(
            429,
            "ThrottlingException:http://internal.amazon.com/coral/com.amazon.bedrock/",
            body,
            "7");
    assertThat(fromHeader)
        .isInstanceOfSatisfying(
            ProviderUnavailableException.class,
            e -> {
              assertThat(e.kind()).isEqualTo(Kind.THROTTLED);
              assertThat(e.retryAfter()).contains(java.time.Duration.ofSeconds(7));
              assertThat(e.getMessage()).contains("Too many tokens");
            });

    byte[] typed =
        "{\"__type\":\"com.amazon.bedrock#ModelNotReadyException\",\"Message\":\"warming\"}"
            .getBytes(java.nio.charset.StandardCharsets.UTF_8);
    assertThat(describe(BedrockErrors.fromHttp(429, null, typed, null)))
        .isEqualTo("UNAVAILABLE:true:NOT_BILLED");
    assertThat(describe(BedrockErrors.fromHttp(403, "ExpiredTokenException", new byte[0], null)))
        .isEqualTo("REJECTED:403:NOT_BILLED");
    assertThat(describe(BedrockErrors.fromHttp(504, null, new byte[0], null)))
        .as("a gateway timeout: the call may have run behind it")
        .isEqualTo("TIMEOUT:true:MAYBE_BILLED");
  }

  @Test
  void mapsInStreamExceptionsByTheirLowerCamelTypeAsPossiblyBilled() {
    // Inside a 200 stream Bedrock had accepted the call: whatever the error, it may have billed.
    byte[] payload = "{\"message\":\"x\"}".getBytes(java.nio.charset.StandardCharsets.UTF_8);
    assertThat(describe(BedrockErrors.fromStreamException("modelStreamErrorException", payload)))
        .isEqualTo("BAD_RESPONSE:true:MAYBE_BILLED");
    assertThat(describe(BedrockErrors.fromStreamException("validationException", payload)))
        .isEqualTo("REJECTED:400:MAYBE_BILLED");
    assertThat(describe(BedrockErrors.fromStreamException("throttlingException", payload)))
        .isEqualTo("THROTTLED:true:MAYBE_BILLED");
    assertThat(describe(BedrockErrors.fromStreamException("somethingNew", new byte[] {'{'})))
        .isEqualTo("BAD_RESPONSE:true:MAYBE_BILLED");
  }

  static String describe(Throwable t) {
    assertThat(t).isInstanceOf(GatewayException.class);
    return switch (t) {
      case ProviderRejectedException r -> "REJECTED:" + r.upstreamStatus() + ":" + r.billing();
      case ProviderUnavailableException u -> u.kind() + ":" + u.retryable() + ":" + u.billing();
      default -> t.getClass().getSimpleName();
    };
  }

  static Kind kind(Throwable t) {
    return ((ProviderUnavailableException) t).kind();
  }
}

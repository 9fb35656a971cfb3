package io.llmgateway.server.otel;

import static io.llmgateway.server.otel.OtlpReceiver.attr;
import static io.llmgateway.server.otel.OtlpReceiver.hex;
import static io.llmgateway.server.otel.OtlpReceiver.num;
import static io.llmgateway.server.otel.OtlpReceiver.str;
import static org.assertj.core.api.Assertions.assertThat;

import io.llmgateway.bedrock.stub.StubResponse;
import io.llmgateway.core.admin.IssuedKey;
import io.llmgateway.core.budget.BudgetLimit;
import io.llmgateway.core.identity.RateLimits;
import io.llmgateway.core.money.Money;
import io.llmgateway.server.ServerConfig;
import io.llmgateway.server.support.GatewayStack;
import io.opentelemetry.proto.trace.v1.Span;
import io.opentelemetry.proto.trace.v1.Span.SpanKind;
import io.opentelemetry.proto.trace.v1.Status.StatusCode;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.UUID;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Traces as a collector receives them: the gateway (real PostgreSQL, wire-format Bedrock stub)
 * configured only by OTEL_* settings exports OTLP/HTTP protobuf to a receiver on 127.0.0.1, which
 * decodes it with the OTLP protobuf classes. Blocking, streamed, refused and failed requests.
 */
class OtelTracesTest {
  private static final SecureRandom RANDOM = new SecureRandom();
  private static OtlpReceiver receiver;
  private static GatewayStack stack;

  @BeforeAll
  static void start() throws Exception {
    receiver = OtlpReceiver.start();
    Map<String, String> env =
        Map.of(
            "OTEL_EXPORTER_OTLP_ENDPOINT", receiver.endpoint(),
            "OTEL_SERVICE_NAME", "gateway-under-test",
            "OTEL_TRACES_SAMPLER", "parentbased_always_on",
            "OTEL_BSP_SCHEDULE_DELAY", "50");
    stack =
        GatewayStack.start(
            ServerConfig.forTests(),
            UnaryOperator.identity(),
            b -> b.tracing(ServerTracing.fromEnv(env)));
  }

  @AfterAll
  static void stop() {
    if (stack != null) {
      stack.close();
    }
    if (receiver != null) {
      receiver.close();
    }
  }

  @Test
  void blockingRequestIsOneServerSpanWithGenAiAttributesContinuingTheClientsTrace()
      throws Exception {
    IssuedKey key = stack.key("drafting", s -> s);
    String prompt = "confidential-prompt-" + UUID.randomUUID();
    String answer = "confidential-answer-" + UUID.randomUUID();
    stack.stub.enqueue(StubResponse.text(answer, 10, 5));
    String traceId = randomHex(16);
    String clientSpan = randomHex(8);

    HttpResponse<String> r = post(key, chat(prompt, false), traceId, clientSpan);
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.body()).contains(answer);

    List<Span> trace = receiver.awaitTrace(traceId, t -> count(t, SpanKind.SPAN_KIND_SERVER) == 1);
    Span server = only(trace, SpanKind.SPAN_KIND_SERVER);
    assertThat(hex(server.getParentSpanId())).isEqualTo(clientSpan);
    assertThat(server.getName()).isEqualTo("chat model-cheap");
    assertThat(str(server, "gen_ai.operation.name")).isEqualTo("chat");
    assertThat(str(server, "gen_ai.request.model")).isEqualTo("model-cheap");
    assertThat(str(server, "gen_ai.provider.name")).isEqualTo("aws.bedrock");
    // Not also the deprecated gen_ai.system: one name per value (docs/OBSERVABILITY.md).
    assertThat(attr(server, "gen_ai.system")).isEmpty();
    // The Bedrock model id the stub was called with (percent-encoded in its path).
    String deployed =
        java.net.URLDecoder.decode(stack.stub.lastRequest().path(), StandardCharsets.UTF_8);
    assertThat(str(server, "gen_ai.response.model")).isNotBlank();
    assertThat(deployed).contains(str(server, "gen_ai.response.model"));
    assertThat(num(server, "gen_ai.usage.input_tokens")).isEqualTo(10L);
    assertThat(num(server, "gen_ai.usage.output_tokens")).isEqualTo(5L);
    assertThat(num(server, "gen_ai.usage.cache_read.input_tokens")).isEqualTo(0L);
    long cost =
        stack
            .awaitSettledSpend(key.key().userId().orElseThrow(), Duration.ofSeconds(10))
            .cost()
            .nanos();
    assertThat(cost).isPositive();
    assertThat(num(server, "gateway.cost.nano_usd")).isEqualTo(cost);
    assertThat(str(server, "gateway.key.id")).isEqualTo(key.key().id());
    assertThat(str(server, "gateway.user.id")).isEqualTo(key.key().userId().orElseThrow());
    assertThat(str(server, "gateway.team.id")).isEqualTo("drafting");
    assertThat(str(server, "gen_ai.response.id")).startsWith("chatcmpl-");
    assertThat(r.body()).contains(str(server, "gen_ai.response.id"));
    assertThat(attr(server, "gateway.completion.id")).isEmpty();
    assertThat(str(server, "gateway.request.id")).isNotBlank();
    assertThat(str(server, "gateway.outcome")).isEqualTo("success");
    assertThat(num(server, "http.response.status_code")).isEqualTo(200L);
    assertThat(str(server, "http.route")).isEqualTo("/v1/chat/completions");
    assertThat(attr(server, "error.type")).isEmpty();

    // Child spans of the request span, in the same trace.
    assertThat(trace).hasSize(4);
    Span admission = named(trace, "gateway.admission");
    Span upstream = only(trace, SpanKind.SPAN_KIND_CLIENT);
    Span settlement = named(trace, "gateway.settlement");
    for (Span child : List.of(admission, upstream, settlement)) {
      assertThat(child.getParentSpanId()).isEqualTo(server.getSpanId());
      assertThat(child.getStatus().getCode()).isNotEqualTo(StatusCode.STATUS_CODE_ERROR);
    }
    assertThat(str(admission, "gateway.admission.claim")).isIn("lease", "reservation");
    assertThat(num(admission, "gateway.admission.output_cap")).isPositive();
    assertThat(upstream.getName()).isEqualTo("chat " + str(server, "gen_ai.response.model"));
    assertThat(str(upstream, "gen_ai.provider.name")).isEqualTo("aws.bedrock");
    assertThat(num(upstream, "gateway.attempt")).isEqualTo(1L);
    assertThat(upstream.getStartTimeUnixNano())
        .isGreaterThanOrEqualTo(admission.getEndTimeUnixNano());
    assertThat(settlement.getStartTimeUnixNano())
        .isGreaterThanOrEqualTo(upstream.getEndTimeUnixNano());
    assertThat(receiver.serviceNames()).contains("gateway-under-test");

    // Never the prompt, the answer or the key by default.
    String raw = receiver.rawText();
    assertThat(raw).contains(traceIdBytes(traceId)).doesNotContain(prompt).doesNotContain(answer);
    assertThat(raw).doesNotContain(key.plaintext());
  }

  @Test
  void streamedRequestTimesItsFirstTokenOnTheUpstreamSpan() throws Exception {
    IssuedKey key = stack.key("drafting", s -> s);
    stack.stub.enqueue(
        StubResponse.delayed(
            Duration.ofMillis(30), StubResponse.stream(List.of("Hel", "lo", "!"), 12, 7)));
    String traceId = randomHex(16);

    HttpResponse<String> r = post(key, chat("stream me", true), traceId, randomHex(8));
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.body()).contains("[DONE]");

    List<Span> trace = receiver.awaitTrace(traceId, t -> count(t, SpanKind.SPAN_KIND_SERVER) == 1);
    Span server = only(trace, SpanKind.SPAN_KIND_SERVER);
    Span upstream = only(trace, SpanKind.SPAN_KIND_CLIENT);
    assertThat(attr(server, "gateway.stream").orElseThrow().getBoolValue()).isTrue();
    assertThat(num(server, "gen_ai.usage.input_tokens")).isEqualTo(12L);
    assertThat(num(server, "gen_ai.usage.output_tokens")).isEqualTo(7L);
    assertThat(str(server, "gateway.outcome")).isEqualTo("success");
    assertThat(str(server, "gen_ai.response.id")).startsWith("chatcmpl-");
    // The time to first token is an attribute, not also a span event.
    assertThat(upstream.getEventsList()).isEmpty();
    double ttft =
        attr(upstream, "gen_ai.server.time_to_first_token").orElseThrow().getDoubleValue();
    assertThat(ttft).isPositive().isLessThan(10.0);
    // The upstream span lasts as long as the stream, and ends before it settles.
    Span settlement = named(trace, "gateway.settlement");
    assertThat(upstream.getEndTimeUnixNano())
        .isLessThanOrEqualTo(settlement.getStartTimeUnixNano());
    assertThat(receiver.rawText()).doesNotContain("stream me");
  }

  @Test
  void budgetRefusalEndsInTheAdmissionSpanWithItsErrorType() throws Exception {
    IssuedKey key =
        stack.key(
            "drafting",
            s -> s.toBuilder().budgets(List.of(BudgetLimit.daily(Money.ofNanos(1)))).build());
    String traceId = randomHex(16);

    HttpResponse<String> r = post(key, chat("too dear", false), traceId, randomHex(8));
    assertThat(r.statusCode()).isGreaterThanOrEqualTo(400).isLessThan(500);

    List<Span> trace = receiver.awaitTrace(traceId, t -> count(t, SpanKind.SPAN_KIND_SERVER) == 1);
    Span server = only(trace, SpanKind.SPAN_KIND_SERVER);
    assertThat(str(server, "error.type")).isEqualTo("budget_exceeded");
    assertThat(str(server, "gateway.outcome")).isEqualTo("refused");
    assertThat(server.getStatus().getCode()).isEqualTo(StatusCode.STATUS_CODE_ERROR);
    assertThat(num(server, "http.response.status_code")).isEqualTo((long) r.statusCode());
    assertThat(str(server, "gateway.key.id")).isEqualTo(key.key().id());
    Span admission = named(trace, "gateway.admission");
    assertThat(str(admission, "error.type")).isEqualTo("budget_exceeded");
    assertThat(admission.getStatus().getCode()).isEqualTo(StatusCode.STATUS_CODE_ERROR);
    assertThat(OtlpReceiver.names(trace))
        .containsExactlyInAnyOrder(server.getName(), "gateway.admission");
  }

  @Test
  void rateLimitRefusalIsTracedAndARequestWithoutTraceparentStartsItsOwnTrace() throws Exception {
    IssuedKey key =
        stack.key(
            "drafting",
            s ->
                s.toBuilder()
                    .rateLimits(
                        new RateLimits(
                            OptionalLong.of(1), OptionalLong.empty(), OptionalLong.empty()))
                    .build());
    stack.stub.enqueue(StubResponse.text("first", 10, 5));
    HttpResponse<String> first =
        stack.post(
            "/v1/chat/completions",
            key.plaintext(),
            chat("one", false).getBytes(StandardCharsets.UTF_8));
    assertThat(first.statusCode()).isEqualTo(200);
    String traceId = randomHex(16);
    HttpResponse<String> second = post(key, chat("two", false), traceId, randomHex(8));
    assertThat(second.statusCode()).isEqualTo(429);

    List<Span> trace = receiver.awaitTrace(traceId, t -> count(t, SpanKind.SPAN_KIND_SERVER) == 1);
    Span server = only(trace, SpanKind.SPAN_KIND_SERVER);
    assertThat(str(server, "error.type")).isEqualTo("rate_limit_exceeded");
    assertThat(str(server, "gateway.outcome")).isEqualTo("refused");
    assertThat(str(named(trace, "gateway.admission"), "error.type"))
        .isEqualTo("rate_limit_exceeded");

    // The first request had no traceparent: a root span of a trace of its own.
    Span root =
        receiver.spans().stream()
            .filter(s -> s.getKind() == SpanKind.SPAN_KIND_SERVER)
            .filter(s -> key.key().id().equals(str(s, "gateway.key.id")))
            .filter(s -> Long.valueOf(200).equals(num(s, "http.response.status_code")))
            .findFirst()
            .orElseThrow();
    assertThat(root.getParentSpanId().isEmpty()).isTrue();
    assertThat(hex(root.getTraceId())).isNotEqualTo(traceId);
  }

  @Test
  void chatStreamFailingMidStreamCarriesItsErrorTypeOnTheRequestSpan() throws Exception {
    IssuedKey key = stack.key("drafting", s -> s);
    stack.stub.enqueue(
        StubResponse.inStreamException(List.of("Hel"), "throttlingException", "Too many tokens"));
    String traceId = randomHex(16);

    HttpResponse<String> r = post(key, chat("cut me", true), traceId, randomHex(8));
    // The stream had begun (200 and a first chunk), then ended with an error event.
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.body()).contains("Hel").contains("\"error\"");

    List<Span> trace = receiver.awaitTrace(traceId, t -> count(t, SpanKind.SPAN_KIND_SERVER) == 1);
    Span server = only(trace, SpanKind.SPAN_KIND_SERVER);
    // As the Responses and Messages streams do: the failure is named on the request's span.
    assertThat(str(server, "error.type")).isNotBlank();
    assertThat(server.getStatus().getCode()).isEqualTo(StatusCode.STATUS_CODE_ERROR);
  }

  @Test
  void upstreamFailureMarksEachAttemptAndTheRequestAsErrors() throws Exception {
    IssuedKey key = stack.key("drafting", s -> s);
    stack.stub.enqueue(
        StubResponse.error(503, "ServiceUnavailableException", "down"),
        StubResponse.error(503, "ServiceUnavailableException", "down"));
    String traceId = randomHex(16);

    HttpResponse<String> r = post(key, chat("fail me", false), traceId, randomHex(8));
    assertThat(r.statusCode()).isGreaterThanOrEqualTo(500);

    List<Span> trace = receiver.awaitTrace(traceId, t -> count(t, SpanKind.SPAN_KIND_SERVER) == 1);
    Span server = only(trace, SpanKind.SPAN_KIND_SERVER);
    assertThat(server.getStatus().getCode()).isEqualTo(StatusCode.STATUS_CODE_ERROR);
    assertThat(str(server, "error.type")).isNotBlank();
    assertThat(str(server, "gateway.outcome")).isEqualTo("error");
    assertThat(num(server, "http.response.status_code")).isEqualTo((long) r.statusCode());
    List<Span> attempts =
        trace.stream().filter(s -> s.getKind() == SpanKind.SPAN_KIND_CLIENT).toList();
    assertThat(attempts).hasSize(2);
    assertThat(attempts)
        .extracting(s -> num(s, "gateway.attempt"))
        .containsExactlyInAnyOrder(1L, 2L);
    for (Span a : attempts) {
      assertThat(a.getStatus().getCode()).isEqualTo(StatusCode.STATUS_CODE_ERROR);
      assertThat(str(a, "error.type")).isEqualTo(str(server, "error.type"));
    }
    named(trace, "gateway.settlement");
  }

  static HttpResponse<String> post(IssuedKey key, String body, String traceId, String parent)
      throws Exception {
    return stack.post(
        "/v1/chat/completions",
        key.plaintext(),
        body.getBytes(StandardCharsets.UTF_8),
        "traceparent",
        "00-" + traceId + "-" + parent + "-01");
  }

  static String chat(String prompt, boolean stream) {
    return "{\"model\":\"model-cheap\",\"messages\":[{\"role\":\"user\",\"content\":\""
        + prompt
        + "\"}]"
        + (stream ? ",\"stream\":true,\"stream_options\":{\"include_usage\":true}" : "")
        + "}";
  }

  static String randomHex(int bytes) {
    byte[] b = new byte[bytes];
    RANDOM.nextBytes(b);
    return HexFormat.of().formatHex(b);
  }

  /** The trace id as it appears inside the protobuf body (raw bytes, read as text). */
  static String traceIdBytes(String hex) {
    return new String(HexFormat.of().parseHex(hex), StandardCharsets.UTF_8);
  }

  static long count(List<Span> trace, SpanKind kind) {
    return trace.stream().filter(s -> s.getKind() == kind).count();
  }

  static Span only(List<Span> trace, SpanKind kind) {
    List<Span> of = trace.stream().filter(s -> s.getKind() == kind).toList();
    assertThat(of).as(kind + " spans").hasSize(1);
    return of.get(0);
  }

  static Span named(List<Span> trace, String name) {
    List<Span> of = trace.stream().filter(s -> s.getName().equals(name)).toList();
    assertThat(of).as(name + " spans in " + OtlpReceiver.names(trace)).hasSize(1);
    return of.get(0);
  }
}

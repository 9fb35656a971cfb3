package io.llmgateway.server.otel;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.llmgateway.core.GatewayTracing;
import io.llmgateway.core.catalog.Deployment;
import io.llmgateway.core.chat.ChatRequest;
import io.llmgateway.core.chat.ChatResponse;
import io.llmgateway.core.chat.FinishReason;
import io.llmgateway.core.chat.TokenUsage;
import io.llmgateway.core.spend.SpendRecord;
import io.llmgateway.core.spend.SpendStatus;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Context;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.function.Function;

/**
 * The core's tracing port on the OpenTelemetry API: GenAI semantic-convention attributes on the
 * request's span (the HTTP server span {@link HttpTracing} made current), and child spans for
 * admission, each upstream attempt and settlement. Phases of a request with no current span (a
 * stream closed by the shutdown thread, an embedder without the HTTP layer) are not traced, so no
 * stray root spans appear. Prompt and answer text only with {@code captureContent}. Thread-safe.
 */
final class OtelGatewayTracing implements GatewayTracing {
  /** Longest captured content, in characters (only with GATEWAY_OTEL_CAPTURE_CONTENT=true). */
  static final int MAX_CONTENT_CHARS = 16_384;

  // Per-request values computed once: the request path then only puts references.
  private static final Map<FinishReason, List<String>> FINISH_REASONS =
      lowerCase(FinishReason.class, List::of);
  private static final Map<SpendStatus, String> OUTCOMES = lowerCase(SpendStatus.class, s -> s);
  private static final Map<TokenUsage.Source, String> USAGE_SOURCES =
      lowerCase(TokenUsage.Source.class, s -> s);

  /**
   * The keys of the core's phase attributes ({@code gateway.admission.*}), made once: the API's
   * {@code setAttribute(String, ...)} would make a new key object on every call. The core passes
   * constant names only (core's internal.Tracing), so these hold a handful of entries.
   */
  private static final ConcurrentMap<String, AttributeKey<String>> STRING_KEYS =
      new ConcurrentHashMap<>();

  private static final ConcurrentMap<String, AttributeKey<Long>> LONG_KEYS =
      new ConcurrentHashMap<>();

  private final Tracer tracer;
  private final boolean captureContent;
  private final ObjectMapper json;

  OtelGatewayTracing(Tracer tracer, boolean captureContent, ObjectMapper json) {
    this.tracer = tracer;
    this.captureContent = captureContent;
    this.json = json;
  }

  @Override
  public void request(String operation, ChatRequest request) {
    Span span = Span.current();
    if (!span.isRecording()) {
      return;
    }
    span.updateName(operation + " " + request.model());
    span.setAttribute(GenAi.OPERATION_NAME, operation);
    span.setAttribute(GenAi.REQUEST_MODEL, request.model());
    request.maxTokens().ifPresent(m -> span.setAttribute(GenAi.REQUEST_MAX_TOKENS, m));
    span.setAttribute(GenAi.GATEWAY_STREAM, request.stream());
    if (captureContent) {
      span.setAttribute(GenAi.INPUT_MESSAGES, write(request.messages()));
    }
  }

  @Override
  public PhaseSpan start(Phase phase) {
    Context parent = Context.current();
    if (!Span.fromContext(parent).isRecording()) {
      return PhaseSpan.NONE;
    }
    String name = phase == Phase.ADMISSION ? "gateway.admission" : "gateway.settlement";
    return new OtelPhaseSpan(tracer.spanBuilder(name).setParent(parent).startSpan());
  }

  @Override
  public PhaseSpan upstream(Deployment deployment, int attempt, int outputCap) {
    Context parent = Context.current();
    Span request = Span.fromContext(parent);
    if (!request.isRecording()) {
      return PhaseSpan.NONE;
    }
    String provider = GenAi.providerName(deployment.provider());
    // The last attempt's values stay: the deployment that answered (or failed last).
    request.setAttribute(GenAi.PROVIDER_NAME, provider);
    request.setAttribute(GenAi.RESPONSE_MODEL, deployment.providerModelId());
    request.setAttribute(GenAi.GATEWAY_DEPLOYMENT, deployment.id());
    Span span =
        tracer
            .spanBuilder("chat " + deployment.providerModelId())
            .setParent(parent)
            .setSpanKind(SpanKind.CLIENT)
            .setAttribute(GenAi.OPERATION_NAME, "chat")
            .setAttribute(GenAi.PROVIDER_NAME, provider)
            .setAttribute(GenAi.REQUEST_MODEL, deployment.providerModelId())
            .setAttribute(GenAi.REQUEST_MAX_TOKENS, outputCap)
            .setAttribute(GenAi.GATEWAY_DEPLOYMENT, deployment.id())
            .setAttribute(GenAi.GATEWAY_ATTEMPT, attempt)
            .startSpan();
    deployment.region().ifPresent(r -> span.setAttribute(GenAi.CLOUD_REGION, r));
    return new OtelPhaseSpan(span);
  }

  @Override
  public void answered(ChatResponse response) {
    Span span = Span.current();
    if (!span.isRecording()) {
      return;
    }
    // The response id is set at settlement (the spend row's request id): streams have one too.
    span.setAttribute(GenAi.RESPONSE_FINISH_REASONS, FINISH_REASONS.get(response.finishReason()));
    if (captureContent) {
      span.setAttribute(GenAi.OUTPUT_MESSAGES, write(response.text().orElse("")));
    }
  }

  @Override
  public void settled(SpendRecord record) {
    Span span = Span.current();
    if (!span.isRecording()) {
      return;
    }
    record.usage().ifPresent(u -> usage(span, u));
    span.setAttribute(GenAi.GATEWAY_COST_NANO_USD, record.cost().nanos());
    span.setAttribute(GenAi.GATEWAY_OUTCOME, OUTCOMES.get(record.status()));
    record.errorCode().ifPresent(e -> span.setAttribute(GenAi.ERROR_TYPE, e));
    // The completion id (chatcmpl-...): the client's answer, the spend row and the access log.
    span.setAttribute(GenAi.RESPONSE_ID, record.requestId());
    span.setAttribute(GenAi.GATEWAY_KEY_ID, record.keyId());
    record.userId().ifPresent(u -> span.setAttribute(GenAi.GATEWAY_USER_ID, u));
    record.teamId().ifPresent(t -> span.setAttribute(GenAi.GATEWAY_TEAM_ID, t));
  }

  private static void usage(Span span, TokenUsage u) {
    // Semantic conventions: input tokens include the cached ones, which are also given apart.
    span.setAttribute(GenAi.USAGE_INPUT_TOKENS, u.promptTokens());
    span.setAttribute(GenAi.USAGE_OUTPUT_TOKENS, u.outputTokens());
    span.setAttribute(GenAi.USAGE_CACHE_READ_TOKENS, u.cacheReadTokens());
    span.setAttribute(GenAi.USAGE_CACHE_CREATION_TOKENS, u.cacheWriteTokens());
    span.setAttribute(GenAi.GATEWAY_USAGE_SOURCE, USAGE_SOURCES.get(u.source()));
  }

  private String write(Object value) {
    String text;
    try {
      text = json.writeValueAsString(value);
    } catch (Exception e) {
      text = "\"(not serialisable)\"";
    }
    return text.length() <= MAX_CONTENT_CHARS ? text : text.substring(0, MAX_CONTENT_CHARS);
  }

  private static <E extends Enum<E>, V> Map<E, V> lowerCase(
      Class<E> type, Function<String, V> value) {
    Map<E, V> map = new EnumMap<>(type);
    for (E e : type.getEnumConstants()) {
      map.put(e, value.apply(e.name().toLowerCase(Locale.ROOT)));
    }
    return map;
  }

  /** One phase's span; ends once (a stream may fail after it was ended by a cancel). */
  private static final class OtelPhaseSpan implements PhaseSpan {
    private final Span span;
    private final long startedNanos = System.nanoTime();
    private boolean ended;

    OtelPhaseSpan(Span span) {
      this.span = span;
    }

    @Override
    public void attribute(String key, String value) {
      span.setAttribute(STRING_KEYS.computeIfAbsent(key, AttributeKey::stringKey), value);
    }

    @Override
    public void attribute(String key, long value) {
      span.setAttribute(LONG_KEYS.computeIfAbsent(key, AttributeKey::longKey), value);
    }

    @Override
    public void firstToken() {
      double seconds = (System.nanoTime() - startedNanos) / 1e9;
      // An attribute, not also a span event: the event said nothing the attribute does not.
      span.setAttribute(GenAi.TIME_TO_FIRST_TOKEN, seconds);
    }

    @Override
    public synchronized void end() {
      if (!ended) {
        ended = true;
        span.end();
      }
    }

    @Override
    public synchronized void fail(String errorType) {
      if (!ended) {
        ended = true;
        span.setAttribute(GenAi.ERROR_TYPE, errorType);
        span.setStatus(StatusCode.ERROR);
        span.end();
      }
    }
  }
}

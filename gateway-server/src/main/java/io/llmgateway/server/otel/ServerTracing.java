package io.llmgateway.server.otel;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.javalin.http.Context;
import io.llmgateway.core.GatewayTracing;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.autoconfigure.AutoConfiguredOpenTelemetrySdk;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * OpenTelemetry tracing, configured by the standard {@code OTEL_*} variables
 * (docs/OBSERVABILITY.md) and off unless one of them names where to send traces: {@code
 * OTEL_EXPORTER_OTLP_ENDPOINT}, {@code OTEL_EXPORTER_OTLP_TRACES_ENDPOINT} or {@code
 * OTEL_TRACES_EXPORTER}; {@code OTEL_SDK_DISABLED=true} turns it off whatever else is set. Off,
 * there is no SDK, no exporter thread, and the core gets {@link GatewayTracing#NONE}. Prompt and
 * answer text go into spans only with {@code GATEWAY_OTEL_CAPTURE_CONTENT=true}. Thread-safe.
 */
public final class ServerTracing implements AutoCloseable {
  /** Tracing off. */
  public static final ServerTracing OFF = new ServerTracing(null, false, null);

  /** Spans per OTLP export unless OTEL_BSP_MAX_EXPORT_BATCH_SIZE says otherwise. */
  static final int EXPORT_BATCH = 2048;

  private final OpenTelemetrySdk sdk;
  private final GatewayTracing gateway;
  private final HttpTracing http;

  private ServerTracing(OpenTelemetrySdk sdk, boolean captureContent, ObjectMapper json) {
    this.sdk = sdk;
    if (sdk == null) {
      this.gateway = GatewayTracing.NONE;
      this.http = null;
    } else {
      var tracer = sdk.getTracer("io.llmgateway");
      this.gateway = new OtelGatewayTracing(tracer, captureContent, json);
      this.http = new HttpTracing(tracer, sdk.getPropagators().getTextMapPropagator());
    }
  }

  /**
   * Tracing as {@code env} configures it ({@code System.getenv()} in production; the real
   * environment and system properties still override what {@code env} says, as the SDK reads them).
   */
  public static ServerTracing fromEnv(Map<String, String> env) {
    if (!configured(env)) {
      return OFF;
    }
    Map<String, String> properties = sdkProperties(env);
    OpenTelemetrySdk sdk =
        AutoConfiguredOpenTelemetrySdk.builder()
            .addPropertiesSupplier(() -> properties)
            .disableShutdownHook()
            .build()
            .getOpenTelemetrySdk();
    boolean capture = "true".equalsIgnoreCase(env.get("GATEWAY_OTEL_CAPTURE_CONTENT"));
    return new ServerTracing(sdk, capture, new ObjectMapper().findAndRegisterModules());
  }

  /**
   * The SDK's settings: ours as defaults, then every {@code OTEL_*} variable of {@code env} over
   * them (as {@code otel.*} properties).
   */
  static Map<String, String> sdkProperties(Map<String, String> env) {
    Map<String, String> properties = new HashMap<>();
    // Traces only: metrics are scraped from /metrics, logs go to the process's output.
    properties.put("otel.metrics.exporter", "none");
    properties.put("otel.logs.exporter", "none");
    properties.put("otel.service.name", "llm-gateway");
    properties.put("otel.exporter.otlp.protocol", "http/protobuf");
    // Larger export batches than the SDK's 512 (queue 2048): each export is one HTTP request
    // whose fixed cost (the JDK client's exchange, a fresh buffer) was most of tracing's CPU at a
    // few thousand requests a second (docs/OBSERVABILITY.md "Overhead"); the queue holds four
    // batches, so a burst is not dropped while one is in flight. Both stay OTEL_BSP_* settings.
    properties.put("otel.bsp.max.export.batch.size", String.valueOf(EXPORT_BATCH));
    properties.put("otel.bsp.max.queue.size", String.valueOf(4 * EXPORT_BATCH));
    // The OTLP exporter's immutable_data mode (the SDK's default is reusable_data): each span's
    // marshaler is built once on the processor's thread with its strings as UTF-8 bytes
    // (String.getBytes), where reusable_data computes every string's size and then its bytes char
    // by char (on JDK 23+ the SDK avoids sun.misc.Unsafe, and its VarHandle encoder needs
    // java.lang opened), in two passes on two threads. ~2-5 µs less CPU a traced request for
    // ~3.5 KB more short-lived garbage (docs/OBSERVABILITY.md "Overhead").
    // OTEL_JAVA_EXPORTER_MEMORY_MODE still decides (the same key once an OTEL_* variable is turned
    // into a property below).
    properties.put("otel.java.exporter.memory.mode", "immutable_data");
    env.forEach(
        (k, v) -> {
          if (k.startsWith("OTEL_")) {
            properties.put(k.toLowerCase(Locale.ROOT).replace('_', '.'), v);
          }
        });
    return properties;
  }

  /** Whether {@code env} asks for traces (see the class comment). */
  static boolean configured(Map<String, String> env) {
    if ("true".equalsIgnoreCase(env.getOrDefault("OTEL_SDK_DISABLED", "").trim())) {
      return false;
    }
    String exporter = env.getOrDefault("OTEL_TRACES_EXPORTER", "").trim();
    if (exporter.equalsIgnoreCase("none")) {
      return false;
    }
    return !exporter.isEmpty()
        || !env.getOrDefault("OTEL_EXPORTER_OTLP_ENDPOINT", "").isBlank()
        || !env.getOrDefault("OTEL_EXPORTER_OTLP_TRACES_ENDPOINT", "").isBlank();
  }

  /** The SDK's own description (its processors and exporter with their settings), for tests. */
  String describe() {
    return sdk == null ? "off" : sdk.getSdkTracerProvider().toString();
  }

  public boolean enabled() {
    return sdk != null;
  }

  /** The core's port: {@link GatewayTracing#NONE} when off. */
  public GatewayTracing gateway() {
    return gateway;
  }

  /** Before any handler: starts the request's span (continuing a client's traceparent). */
  public void begin(Context ctx) {
    if (http != null) {
      http.begin(ctx);
    }
  }

  /** After the handlers, on their thread: the span stops being current there. */
  public void detach(Context ctx) {
    if (http != null) {
      http.detach(ctx);
    }
  }

  /** Once the response is written: the span gets the status and outcome, and ends. */
  public void end(Context ctx) {
    if (http != null) {
      http.end(ctx);
    }
  }

  /** Exports what is still buffered (at most a few seconds) and stops the SDK. */
  @Override
  public void close() {
    if (sdk != null) {
      sdk.shutdown().join(5, TimeUnit.SECONDS);
    }
  }
}

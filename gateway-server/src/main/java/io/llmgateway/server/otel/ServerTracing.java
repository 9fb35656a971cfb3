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
    Map<String, String> defaults = new HashMap<>();
    // Traces only: metrics are scraped from /metrics, logs go to the process's output.
    defaults.put("otel.metrics.exporter", "none");
    defaults.put("otel.logs.exporter", "none");
    defaults.put("otel.service.name", "llm-gateway");
    defaults.put("otel.exporter.otlp.protocol", "http/protobuf");
    env.forEach(
        (k, v) -> {
          if (k.startsWith("OTEL_")) {
            defaults.put(k.toLowerCase(Locale.ROOT).replace('_', '.'), v);
          }
        });
    OpenTelemetrySdk sdk =
        AutoConfiguredOpenTelemetrySdk.builder()
            .addPropertiesSupplier(() -> defaults)
            .disableShutdownHook()
            .build()
            .getOpenTelemetrySdk();
    boolean capture = "true".equalsIgnoreCase(env.get("GATEWAY_OTEL_CAPTURE_CONTENT"));
    return new ServerTracing(sdk, capture, new ObjectMapper().findAndRegisterModules());
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

package io.llmgateway.server.otel;

import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Scope;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.autoconfigure.AutoConfiguredOpenTelemetrySdk;
import java.lang.management.ManagementFactory;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * What tracing costs per request apart from the rest of the gateway: the SDK configured as {@link
 * ServerTracing} configures it, exporting to {@code args[0]} (an OTLP/HTTP receiver, e.g. {@code
 * bench.OtlpSink} in its own process), replays the four spans of a lease-path request (server,
 * admission, upstream, settlement, with the attributes {@link OtelGatewayTracing} and {@link
 * HttpTracing} set) at a steady {@code args[1]} requests a second for {@code args[2]} seconds a
 * round, and prints the process's CPU per request each round. Extra {@code OTEL_*} settings as
 * {@code KEY=VALUE} arguments after those (e.g. the SDK's own batch size: {@code
 * OTEL_BSP_MAX_EXPORT_BATCH_SIZE=512 OTEL_BSP_MAX_QUEUE_SIZE=2048}). Run by bench/otel-export.sh;
 * not a test.
 */
public final class ExportCostBench {
  private ExportCostBench() {}

  public static void main(String[] args) throws Exception {
    Map<String, String> env = new HashMap<>();
    env.put("OTEL_EXPORTER_OTLP_ENDPOINT", args[0]);
    env.put("OTEL_SERVICE_NAME", "export-cost-bench");
    int rate = Integer.parseInt(args[1]);
    int seconds = Integer.parseInt(args[2]);
    for (String kv : List.of(args).subList(3, args.length)) {
      env.put(kv.substring(0, kv.indexOf('=')), kv.substring(kv.indexOf('=') + 1));
    }
    Map<String, String> properties = ServerTracing.sdkProperties(env);
    OpenTelemetrySdk sdk =
        AutoConfiguredOpenTelemetrySdk.builder()
            .addPropertiesSupplier(() -> properties)
            .disableShutdownHook()
            .build()
            .getOpenTelemetrySdk();
    Tracer tracer = sdk.getTracer("io.llmgateway");
    var os =
        (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
    System.out.println(
        "batch "
            + properties.get("otel.bsp.max.export.batch.size")
            + ", queue "
            + properties.get("otel.bsp.max.queue.size")
            + ", "
            + rate
            + " requests/s");
    long perTick = Math.max(1, rate / 100); // 100 ticks a second: a steady, not bursty, load
    for (int round = 1; round <= 6; round++) {
      long requests = 0;
      long cpu0 = os.getProcessCpuTime();
      long start = System.nanoTime();
      long end = start + TimeUnit.SECONDS.toNanos(seconds);
      for (long tick = start; tick < end; tick += 10_000_000L) {
        for (int i = 0; i < perTick; i++) {
          request(tracer, requests++);
        }
        LockSupport.parkNanos(tick + 10_000_000L - System.nanoTime());
      }
      long cpu = os.getProcessCpuTime() - cpu0;
      System.out.printf(
          "round %d: %.1f us CPU per request (%d requests)%n",
          round, cpu / 1e3 / requests, requests);
    }
    sdk.shutdown().join(10, TimeUnit.SECONDS);
  }

  /** The spans and attributes of one traced lease-path chat request. */
  private static void request(Tracer tracer, long n) {
    Span server =
        tracer
            .spanBuilder("POST")
            .setSpanKind(SpanKind.SERVER)
            .setAttribute(GenAi.HTTP_METHOD, "POST")
            .setAttribute(GenAi.URL_PATH, "/v1/chat/completions")
            .startSpan();
    try (Scope ignored = server.makeCurrent()) {
      server.updateName("chat model-cheap");
      server.setAttribute(GenAi.OPERATION_NAME, "chat");
      server.setAttribute(GenAi.REQUEST_MODEL, "model-cheap");
      server.setAttribute(GenAi.GATEWAY_STREAM, false);
      tracer.spanBuilder("gateway.admission").startSpan().end();
      server.setAttribute(GenAi.PROVIDER_NAME, "aws.bedrock");
      server.setAttribute(GenAi.SYSTEM, "aws.bedrock");
      server.setAttribute(GenAi.RESPONSE_MODEL, "us.amazon.nova-micro-v1:0");
      server.setAttribute(GenAi.GATEWAY_DEPLOYMENT, "nova-micro-us-east-1");
      tracer
          .spanBuilder("chat us.amazon.nova-micro-v1:0")
          .setSpanKind(SpanKind.CLIENT)
          .setAttribute(GenAi.OPERATION_NAME, "chat")
          .setAttribute(GenAi.PROVIDER_NAME, "aws.bedrock")
          .setAttribute(GenAi.SYSTEM, "aws.bedrock")
          .setAttribute(GenAi.REQUEST_MODEL, "us.amazon.nova-micro-v1:0")
          .setAttribute(GenAi.REQUEST_MAX_TOKENS, 5000L)
          .setAttribute(GenAi.GATEWAY_DEPLOYMENT, "nova-micro-us-east-1")
          .setAttribute(GenAi.GATEWAY_ATTEMPT, 1L)
          .setAttribute(GenAi.CLOUD_REGION, "us-east-1")
          .startSpan()
          .end();
      server.setAttribute(GenAi.RESPONSE_ID, "chatcmpl-" + n);
      server.setAttribute(GenAi.RESPONSE_FINISH_REASONS, List.of("stop"));
      Span settlement = tracer.spanBuilder("gateway.settlement").startSpan();
      server.setAttribute(GenAi.USAGE_INPUT_TOKENS, 7L);
      server.setAttribute(GenAi.USAGE_OUTPUT_TOKENS, 6L);
      server.setAttribute(GenAi.USAGE_CACHE_READ_TOKENS, 0L);
      server.setAttribute(GenAi.USAGE_CACHE_CREATION_TOKENS, 0L);
      server.setAttribute(GenAi.GATEWAY_USAGE_SOURCE, "provider");
      server.setAttribute(GenAi.GATEWAY_COST_NANO_USD, 1085L);
      server.setAttribute(GenAi.GATEWAY_OUTCOME, "success");
      server.setAttribute(GenAi.GATEWAY_COMPLETION_ID, "chatcmpl-" + n);
      server.setAttribute(GenAi.GATEWAY_KEY_ID, "key_ba8142071873e936ec73f55e");
      server.setAttribute(GenAi.GATEWAY_USER_ID, "demo-bench1");
      server.setAttribute(GenAi.GATEWAY_TEAM_ID, "bench1");
      settlement.end();
    }
    server.setAttribute(GenAi.HTTP_ROUTE, "/v1/chat/completions");
    server.setAttribute(GenAi.HTTP_STATUS, 200L);
    server.setAttribute(GenAi.GATEWAY_REQUEST_ID, "req-" + n);
    server.end();
  }
}

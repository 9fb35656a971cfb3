package io.llmgateway.server.otel;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.llmgateway.core.GatewayTracing;
import io.llmgateway.core.catalog.Deployment;
import io.llmgateway.core.catalog.Pricing;
import io.llmgateway.core.chat.ChatRequest;
import io.llmgateway.core.chat.ChatResponse;
import io.llmgateway.core.chat.FinishReason;
import io.llmgateway.core.chat.TokenUsage;
import io.llmgateway.core.identity.Principal;
import io.llmgateway.core.money.Money;
import io.llmgateway.core.spend.SpendRecord;
import io.llmgateway.core.spend.SpendStatus;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.Scope;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.autoconfigure.AutoConfiguredOpenTelemetrySdk;
import java.lang.management.ManagementFactory;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * What tracing costs per request apart from the rest of the gateway: the SDK configured as {@link
 * ServerTracing} configures it, exporting to {@code args[0]} (an OTLP/HTTP receiver, e.g. {@code
 * bench.OtlpSink} in its own process), drives the real tracing code ({@link OtelGatewayTracing}'s
 * port calls and {@link HttpTracing}'s span start and finish) as one lease-path chat request does,
 * at a steady {@code args[1]} requests a second for {@code args[2]} seconds a round, and prints the
 * process's CPU and heap allocation per request each round, and the CPU by thread group (the
 * processor's thread, the sender's threads, GC, the JIT compilers, the rest) from /proc. Extra
 * {@code OTEL_*} settings as {@code KEY=VALUE} arguments after those (e.g. the SDK's own batch
 * size: {@code OTEL_BSP_MAX_EXPORT_BATCH_SIZE=512 OTEL_BSP_MAX_QUEUE_SIZE=2048}). Run by
 * bench/otel-export.sh; not a test.
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
    var request =
        new Request(
            new HttpTracing(tracer, sdk.getPropagators().getTextMapPropagator()),
            new OtelGatewayTracing(tracer, false, new ObjectMapper()));
    var os =
        (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
    var threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
    System.out.println(
        "batch "
            + properties.get("otel.bsp.max.export.batch.size")
            + ", queue "
            + properties.get("otel.bsp.max.queue.size")
            + ", "
            + rate
            + " requests/s");
    long perTick = Math.max(1, rate / 100); // 100 ticks a second: a steady, not bursty, load
    long n = 0;
    for (int round = 1; round <= 6; round++) {
      long requests = 0;
      Map<String, Long> threads0 = threadTicks();
      long cpu0 = os.getProcessCpuTime();
      long alloc0 = threads.getTotalThreadAllocatedBytes();
      long start = System.nanoTime();
      long end = start + TimeUnit.SECONDS.toNanos(seconds);
      for (long tick = start; tick < end; tick += 10_000_000L) {
        for (int i = 0; i < perTick; i++) {
          request.run(n++);
          requests++;
        }
        LockSupport.parkNanos(tick + 10_000_000L - System.nanoTime());
      }
      long cpu = os.getProcessCpuTime() - cpu0;
      long alloc = threads.getTotalThreadAllocatedBytes() - alloc0;
      Map<String, Long> threads1 = threadTicks();
      StringBuilder groups = new StringBuilder();
      long finalRequests = requests;
      threads1.forEach(
          (g, t) ->
              groups.append(
                  String.format(
                      " %s %.1f",
                      g,
                      (t - threads0.getOrDefault(g, 0L))
                          * 1e6
                          / TICKS_PER_SECOND
                          / finalRequests)));
      System.out.printf(
          "round %d: %.1f us CPU, %.0f bytes allocated per request (%d requests); by thread:%s%n",
          round, cpu / 1e3 / requests, (double) alloc / requests, requests, groups);
    }
    sdk.shutdown().join(10, TimeUnit.SECONDS);
  }

  /** Linux's USER_HZ (getconf CLK_TCK): the unit of /proc's utime and stime. */
  private static final long TICKS_PER_SECOND = 100;

  /**
   * CPU ticks (utime + stime) of this process's live threads by group, from /proc/self/task (empty
   * elsewhere): the JIT compilers apart, as they are still busy in the first rounds; "other" is the
   * thread driving the requests (the span starts, attributes and ends) and the JVM's rest.
   */
  private static Map<String, Long> threadTicks() {
    Map<String, Long> groups = new java.util.TreeMap<>();
    java.io.File[] tasks = new java.io.File("/proc/self/task").listFiles();
    for (java.io.File task : tasks == null ? new java.io.File[0] : tasks) {
      String stat;
      try {
        stat = java.nio.file.Files.readString(task.toPath().resolve("stat"));
      } catch (java.io.IOException e) {
        continue;
      }
      String name = stat.substring(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
      String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
      long ticks = Long.parseLong(f[11]) + Long.parseLong(f[12]);
      groups.merge(group(name), ticks, Long::sum);
    }
    return groups;
  }

  private static String group(String thread) {
    if (thread.startsWith("C1 ") || thread.startsWith("C2 ")) {
      return "jit";
    }
    if (thread.startsWith("GC ") || thread.startsWith("G1 ")) {
      return "gc";
    }
    if (thread.startsWith("BatchSpanProce")) {
      return "bsp";
    }
    if (thread.startsWith("jdkhttp")
        || thread.startsWith("HttpClient")
        || thread.startsWith("Ok")
        || thread.startsWith("otlp")) {
      return "sender";
    }
    return "other";
  }

  /** The tracing calls of one lease-path chat request, in the order the gateway makes them. */
  private record Request(HttpTracing http, OtelGatewayTracing gateway) {
    private static final ChatRequest CHAT =
        ChatRequest.builder("model-cheap")
            .messages(ChatRequest.of("model-cheap", "Say hello to the benchmark").messages())
            .maxTokens(16)
            .build();
    private static final Deployment DEPLOYMENT =
        new Deployment(
            "nova-micro-us-east-1",
            "model-cheap",
            "bedrock",
            "us.amazon.nova-micro-v1:0",
            Optional.of("us-east-1"),
            Optional.empty(),
            Pricing.perMillionUsd("0.035", "0.14"),
            128_000,
            5_000,
            Deployment.Source.CONFIG);
    private static final TokenUsage USAGE = TokenUsage.reported(7, 6);
    private static final Principal PRINCIPAL = new Principal.Master("bench");

    void run(long n) {
      // Fresh per request, as in the gateway: the completion and request ids.
      String id = "chatcmpl-" + Long.toHexString(0x1000_0000_0000L + n);
      Span server = http.start(Context.root(), "POST", "/v1/chat/completions");
      try (Scope ignored = server.makeCurrent()) {
        gateway.request("chat", CHAT);
        GatewayTracing.PhaseSpan admission = gateway.start(GatewayTracing.Phase.ADMISSION);
        // What core's internal.Tracing.admitted puts on it (its Admitted needs a live claim).
        admission.attribute("gateway.admission.claim", "lease");
        admission.attribute("gateway.admission.output_cap", 16);
        admission.attribute("gateway.admission.input_bound", 40);
        admission.attribute("gateway.rate_limit.permit", "none");
        admission.end();
        gateway.upstream(DEPLOYMENT, 1, 16).end();
        Instant now = Instant.now();
        gateway.answered(
            new ChatResponse(
                id, "model-cheap", now, Optional.of("Hello"), List.of(), FinishReason.STOP, USAGE));
        GatewayTracing.PhaseSpan settlement = gateway.start(GatewayTracing.Phase.SETTLEMENT);
        gateway.settled(
            new SpendRecord(
                id,
                "key_ba8142071873e936ec73f55e",
                Optional.of("demo-bench1"),
                Optional.of("bench1"),
                "model-cheap",
                Optional.of(DEPLOYMENT.id()),
                Optional.of(USAGE),
                Money.ofNanos(1085),
                SpendStatus.SUCCESS,
                Optional.empty(),
                3,
                now,
                now));
        settlement.end();
      }
      HttpTracing.finish(server, "POST", "/v1/chat/completions", 200, "req-" + n, null, PRINCIPAL);
    }
  }
}

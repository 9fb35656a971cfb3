package io.llmgateway.bedrock.bench;

import io.llmgateway.bedrock.Providers;
import io.llmgateway.bedrock.stub.BedrockStub;
import io.llmgateway.core.catalog.Deployment;
import io.llmgateway.core.catalog.Pricing;
import io.llmgateway.core.chat.ChatRequest;
import io.llmgateway.core.money.Price;
import io.llmgateway.core.provider.ChatStream;
import io.llmgateway.core.provider.ModelProvider;
import io.llmgateway.core.provider.ProviderRequest;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * A manual measurement of the Bedrock adapter's CPU per call against the in-process {@link
 * BedrockStub}, not a test. One caller thread, sequential calls; after a warm-up it reports calls/s
 * and CPU per call: of the caller thread, of the whole process, of the stub's threads, and the
 * process minus the stub (the adapter plus GC and JIT). Run after {@code ./mvnw -pl gateway-bedrock
 * -am test-compile} and {@code ./mvnw -pl gateway-bedrock dependency:build-classpath
 * -Dmdep.outputFile=/tmp/bedrock.cp}:
 *
 * <pre>
 * java -Xmx512m -cp gateway-core/target/classes:gateway-bedrock/target/classes:\
 *   gateway-bedrock/target/test-classes:$(cat /tmp/bedrock.cp) \
 *   io.llmgateway.bedrock.bench.ConverseCallBench complete 20
 * </pre>
 *
 * Arguments: {@code complete|stream} (default complete) and measured seconds (default 20; the
 * warm-up is 10 s).
 */
public final class ConverseCallBench {
  private ConverseCallBench() {}

  public static void main(String[] args) throws Exception {
    String mode = args.length > 0 ? args[0] : "complete";
    int seconds = args.length > 1 ? Integer.parseInt(args[1]) : 20;
    Deployment d =
        new Deployment(
            "dep-bench",
            "model-cheap",
            "bedrock",
            "us.amazon.nova-micro-v1:0",
            Optional.of("us-east-1"),
            Optional.empty(),
            Pricing.of(Price.perMillionUsd("0.035"), Price.perMillionUsd("0.14")),
            128_000,
            5_000,
            Deployment.Source.CONFIG);
    ProviderRequest req =
        new ProviderRequest(
            "bench", d, ChatRequest.of("model-cheap", "Say hello to the benchmark"), 16);
    try (BedrockStub stub = BedrockStub.start()) {
      ModelProvider p = Providers.bedrock(stub.settings());
      try {
        run(p, req, mode, 10_000, false);
        run(p, req, mode, seconds * 1_000L, true);
      } finally {
        ((AutoCloseable) p).close();
      }
    }
  }

  private static void run(
      ModelProvider p, ProviderRequest req, String mode, long millis, boolean report) {
    ThreadMXBean threads = ManagementFactory.getThreadMXBean();
    var os =
        (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
    Map<Long, Long> stubBefore = stubThreadCpu(threads);
    long processBefore = os.getProcessCpuTime();
    long callerBefore = threads.getCurrentThreadCpuTime();
    long start = System.nanoTime();
    long end = start + millis * 1_000_000L;
    long calls = 0;
    while (System.nanoTime() < end) {
      for (int i = 0; i < 100; i++) {
        if (mode.equals("stream")) {
          try (ChatStream s = p.stream(req)) {
            while (s.next().isPresent()) {
              // drain
            }
          }
        } else {
          p.complete(req);
        }
      }
      calls += 100;
    }
    long wall = System.nanoTime() - start;
    long caller = threads.getCurrentThreadCpuTime() - callerBefore;
    long process = os.getProcessCpuTime() - processBefore;
    long stub = 0;
    for (Map.Entry<Long, Long> e : stubThreadCpu(threads).entrySet()) {
      stub += e.getValue() - stubBefore.getOrDefault(e.getKey(), 0L);
    }
    if (report) {
      System.out.printf(
          "%s: %d calls in %.1f s = %.0f calls/s; CPU per call: caller thread %.1f us,"
              + " process %.1f us, stub threads %.1f us, process minus stub %.1f us%n",
          mode,
          calls,
          wall / 1e9,
          calls / (wall / 1e9),
          caller / 1e3 / calls,
          process / 1e3 / calls,
          stub / 1e3 / calls,
          (process - stub) / 1e3 / calls);
    }
  }

  /** CPU time of the stub's threads (its handler pool and the JDK server's dispatcher). */
  private static Map<Long, Long> stubThreadCpu(ThreadMXBean threads) {
    Map<Long, Long> out = new HashMap<>();
    for (ThreadInfo t : threads.getThreadInfo(threads.getAllThreadIds())) {
      if (t != null
          && (t.getThreadName().startsWith("bedrock-stub-")
              || t.getThreadName().startsWith("HTTP-Dispatcher"))) {
        out.put(t.getThreadId(), Math.max(0, threads.getThreadCpuTime(t.getThreadId())));
      }
    }
    return out;
  }
}

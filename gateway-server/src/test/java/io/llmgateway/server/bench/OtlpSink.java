package io.llmgateway.server.bench;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.trace.v1.Span;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A local OTLP/HTTP trace sink for {@code bench/run.sh}'s {@code otel} path: accepts {@code POST
 * /v1/traces} and answers 200 as a collector does; {@code GET /count} answers the spans decoded,
 * the exports and the bytes received. It shares the benchmark's machine with the gateway, so by
 * default it only counts (decoding every export took CPU from the gateway being measured); with
 * {@code -Dsink.decode=true} it decodes each export with the OTLP protobuf classes. With {@code
 * -Dsink.durations=true} (implies decoding) it also keeps every span's duration by span name:
 * {@code GET /durations} answers their percentiles, one line a name, and {@code GET /reset} forgets
 * them ({@code bench/phases.sh}: where a request's time goes, by the gateway's own spans). Prints
 * {@code SINK <endpoint>}; stops on SIGTERM.
 */
public final class OtlpSink {
  private OtlpSink() {}

  public static void main(String[] args) throws Exception {
    AtomicLong spans = new AtomicLong();
    AtomicLong exports = new AtomicLong();
    AtomicLong bytes = new AtomicLong();
    boolean durations = Boolean.getBoolean("sink.durations");
    boolean decode = durations || Boolean.getBoolean("sink.decode");
    Map<String, List<Long>> byName = new TreeMap<>();
    HttpServer server =
        HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 64);
    server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
    server.createContext(
        "/v1/traces",
        ex -> {
          try (ex) {
            byte[] body = ex.getRequestBody().readAllBytes();
            exports.incrementAndGet();
            bytes.addAndGet(body.length);
            if (decode) {
              ExportTraceServiceRequest.parseFrom(body)
                  .getResourceSpansList()
                  .forEach(
                      rs ->
                          rs.getScopeSpansList()
                              .forEach(
                                  ss -> {
                                    spans.addAndGet(ss.getSpansCount());
                                    if (durations) {
                                      synchronized (byName) {
                                        for (Span s : ss.getSpansList()) {
                                          byName
                                              .computeIfAbsent(s.getName(), n -> new ArrayList<>())
                                              .add(
                                                  s.getEndTimeUnixNano()
                                                      - s.getStartTimeUnixNano());
                                        }
                                      }
                                    }
                                  }));
            }
            ex.getResponseHeaders().set("Content-Type", "application/x-protobuf");
            ex.sendResponseHeaders(200, -1);
          }
        });
    server.createContext(
        "/count", ex -> answer(ex, spans.get() + " " + exports.get() + " " + bytes.get() + "\n"));
    server.createContext(
        "/durations",
        ex -> {
          StringBuilder out = new StringBuilder();
          synchronized (byName) {
            byName.forEach((name, d) -> out.append(percentiles(name, d)));
          }
          answer(ex, out.toString());
        });
    server.createContext(
        "/reset",
        ex -> {
          synchronized (byName) {
            byName.clear();
          }
          answer(ex, "");
        });
    server.start();
    System.out.println("SINK http://127.0.0.1:" + server.getAddress().getPort());
    System.out.flush();
    Runtime.getRuntime().addShutdownHook(new Thread(() -> server.stop(0)));
    Thread.currentThread().join();
  }

  /** "name n=… p10=… p50=… p90=… p99=… ms" for one span name's durations (nanoseconds). */
  private static String percentiles(String name, List<Long> nanos) {
    List<Long> d = new ArrayList<>(nanos);
    Collections.sort(d);
    int n = d.size();
    return String.format(
        "%s n=%d p10=%.3f p50=%.3f p90=%.3f p99=%.3f ms%n",
        name.replace(' ', '_'),
        n,
        d.get(n / 10) / 1e6,
        d.get(n / 2) / 1e6,
        d.get(n * 9 / 10) / 1e6,
        d.get(n * 99 / 100) / 1e6);
  }

  private static void answer(HttpExchange ex, String text) throws IOException {
    try (ex) {
      byte[] b = text.getBytes(StandardCharsets.UTF_8);
      ex.sendResponseHeaders(200, b.length);
      ex.getResponseBody().write(b);
    }
  }
}

package io.llmgateway.server.bench;

import com.sun.net.httpserver.HttpServer;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A local OTLP/HTTP trace sink for {@code bench/run.sh}'s {@code otel} path: accepts {@code POST
 * /v1/traces} and answers 200 as a collector does; {@code GET /count} answers the spans decoded,
 * the exports and the bytes received. It shares the benchmark's machine with the gateway, so by
 * default it only counts (decoding every export took CPU from the gateway being measured); with
 * {@code -Dsink.decode=true} it decodes each export with the OTLP protobuf classes. Prints {@code
 * SINK <endpoint>}; stops on SIGTERM.
 */
public final class OtlpSink {
  private OtlpSink() {}

  public static void main(String[] args) throws Exception {
    AtomicLong spans = new AtomicLong();
    AtomicLong exports = new AtomicLong();
    AtomicLong bytes = new AtomicLong();
    boolean decode = Boolean.getBoolean("sink.decode");
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
                              .forEach(ss -> spans.addAndGet(ss.getSpansCount())));
            }
            ex.getResponseHeaders().set("Content-Type", "application/x-protobuf");
            ex.sendResponseHeaders(200, -1);
          }
        });
    server.createContext(
        "/count",
        ex -> {
          try (ex) {
            byte[] b =
                (spans.get() + " " + exports.get() + " " + bytes.get() + "\n")
                    .getBytes(StandardCharsets.UTF_8);
            ex.sendResponseHeaders(200, b.length);
            ex.getResponseBody().write(b);
          }
        });
    server.start();
    System.out.println("SINK http://127.0.0.1:" + server.getAddress().getPort());
    System.out.flush();
    Runtime.getRuntime().addShutdownHook(new Thread(() -> server.stop(0)));
    Thread.currentThread().join();
  }
}

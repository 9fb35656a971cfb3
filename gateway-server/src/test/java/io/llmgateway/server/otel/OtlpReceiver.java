package io.llmgateway.server.otel;

import com.sun.net.httpserver.HttpServer;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceResponse;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.trace.v1.Span;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Predicate;
import java.util.zip.GZIPInputStream;

/**
 * A real OTLP/HTTP trace receiver on 127.0.0.1: accepts {@code POST /v1/traces} with a protobuf
 * {@code ExportTraceServiceRequest} (gzip or not), as a collector does, and keeps what it decoded
 * and the raw bodies (to search them for text that must not be there).
 */
final class OtlpReceiver implements AutoCloseable {
  private final HttpServer server;
  private final List<Span> spans = new CopyOnWriteArrayList<>();
  private final List<String> serviceNames = new CopyOnWriteArrayList<>();
  private final List<byte[]> bodies = new CopyOnWriteArrayList<>();

  private OtlpReceiver() throws Exception {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext(
        "/v1/traces",
        ex -> {
          try (ex) {
            if (!ex.getRequestMethod().equals("POST")
                || !String.valueOf(ex.getRequestHeaders().getFirst("Content-Type"))
                    .startsWith("application/x-protobuf")) {
              ex.sendResponseHeaders(415, -1);
              return;
            }
            InputStream in = ex.getRequestBody();
            if ("gzip".equals(ex.getRequestHeaders().getFirst("Content-Encoding"))) {
              in = new GZIPInputStream(in);
            }
            byte[] body = in.readAllBytes();
            bodies.add(body);
            ExportTraceServiceRequest request = ExportTraceServiceRequest.parseFrom(body);
            request
                .getResourceSpansList()
                .forEach(
                    rs -> {
                      rs.getResource().getAttributesList().stream()
                          .filter(a -> a.getKey().equals("service.name"))
                          .forEach(a -> serviceNames.add(a.getValue().getStringValue()));
                      rs.getScopeSpansList().forEach(ss -> spans.addAll(ss.getSpansList()));
                    });
            byte[] answer = ExportTraceServiceResponse.getDefaultInstance().toByteArray();
            ex.getResponseHeaders().set("Content-Type", "application/x-protobuf");
            ex.sendResponseHeaders(200, answer.length == 0 ? -1 : answer.length);
            if (answer.length > 0) {
              ex.getResponseBody().write(answer);
            }
          }
        });
    server.start();
  }

  static OtlpReceiver start() throws Exception {
    return new OtlpReceiver();
  }

  /** What OTEL_EXPORTER_OTLP_ENDPOINT is set to. */
  String endpoint() {
    return "http://127.0.0.1:" + server.getAddress().getPort();
  }

  List<Span> spans() {
    return List.copyOf(spans);
  }

  List<String> serviceNames() {
    return List.copyOf(serviceNames);
  }

  /** Every body received, as text (protobuf strings are UTF-8 inside it). */
  String rawText() {
    StringBuilder b = new StringBuilder();
    bodies.forEach(x -> b.append(new String(x, java.nio.charset.StandardCharsets.UTF_8)));
    return b.toString();
  }

  int requests() {
    return bodies.size();
  }

  /** The spans of trace {@code traceIdHex}, once {@code done} holds for them (at most 10 s). */
  List<Span> awaitTrace(String traceIdHex, Predicate<List<Span>> done) throws Exception {
    long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
    while (true) {
      List<Span> trace =
          spans.stream().filter(s -> hex(s.getTraceId()).equals(traceIdHex)).toList();
      if (done.test(trace)) {
        return trace;
      }
      if (System.nanoTime() > deadline) {
        throw new AssertionError("trace " + traceIdHex + " incomplete: " + names(trace));
      }
      Thread.sleep(20);
    }
  }

  static List<String> names(List<Span> spans) {
    return spans.stream().map(Span::getName).toList();
  }

  static String hex(com.google.protobuf.ByteString bytes) {
    return HexFormat.of().formatHex(bytes.toByteArray());
  }

  static Optional<AnyValue> attr(Span span, String key) {
    return span.getAttributesList().stream()
        .filter(a -> a.getKey().equals(key))
        .map(KeyValue::getValue)
        .findFirst();
  }

  static String str(Span span, String key) {
    return attr(span, key).map(AnyValue::getStringValue).orElse(null);
  }

  static Long num(Span span, String key) {
    return attr(span, key).map(AnyValue::getIntValue).orElse(null);
  }

  @Override
  public void close() {
    server.stop(0);
  }
}

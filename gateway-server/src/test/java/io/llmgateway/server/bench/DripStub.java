package io.llmgateway.server.bench;

import static java.nio.charset.StandardCharsets.UTF_8;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.llmgateway.bedrock.stub.EventStreamEncoder;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.concurrent.Executors;

/**
 * A slowly generating Bedrock for bench/run.sh's streams at scale: a ConverseStream whose request
 * mentions {@code drip} gets {@code words} text events, the first at once and each later one {@code
 * interval-ms} after the previous, framed as Bedrock frames them ({@link EventStreamEncoder}:
 * prelude and message CRCs), then messageStop and the usage metadata. Any other stream gets two
 * words at once, and {@code /converse} a short JSON answer, so the same gateway can be warmed up
 * before the crowd arrives. One virtual thread per exchange: thousands of streams sleeping between
 * words cost the stub almost nothing.
 *
 * <p>Usage: {@code DripStub <words> <interval-ms>}; prints {@code STUB <endpoint>}.
 */
public final class DripStub {
  private static final String CONVERSE =
      "{\"output\":{\"message\":{\"role\":\"assistant\",\"content\":[{\"text\":\"hello\"}]}},"
          + "\"stopReason\":\"end_turn\",\"usage\":{\"inputTokens\":12,\"outputTokens\":1,"
          + "\"totalTokens\":13},\"metrics\":{\"latencyMs\":1}}";

  private final int words;
  private final long intervalMs;

  private DripStub(int words, long intervalMs) {
    this.words = words;
    this.intervalMs = intervalMs;
  }

  public static void main(String[] args) throws Exception {
    // As BedrockStub: without it small frames wait for delayed ACKs.
    System.setProperty("sun.net.httpserver.nodelay", "true");
    DripStub stub = new DripStub(Integer.parseInt(args[0]), Long.parseLong(args[1]));
    HttpServer server =
        HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 8192);
    server.createContext("/", stub::handle);
    server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
    server.start();
    System.out.println("STUB http://127.0.0.1:" + server.getAddress().getPort());
    System.out.flush();
    Runtime.getRuntime().addShutdownHook(new Thread(() -> server.stop(0)));
    Thread.currentThread().join();
  }

  private void handle(HttpExchange ex) throws IOException {
    try (ex) {
      String body = new String(ex.getRequestBody().readAllBytes(), UTF_8);
      String path = ex.getRequestURI().getRawPath();
      if (path.endsWith("/converse-stream")) {
        stream(ex, body.contains("drip"));
      } else if (path.endsWith("/converse")) {
        byte[] b = CONVERSE.getBytes(UTF_8);
        ex.getResponseHeaders().add("Content-Type", "application/json");
        ex.sendResponseHeaders(200, b.length);
        ex.getResponseBody().write(b);
      } else {
        ex.sendResponseHeaders(404, -1);
      }
    } catch (IOException | InterruptedException e) {
      // The client went away (or the stub is stopping): nothing to answer.
    }
  }

  private void stream(HttpExchange ex, boolean drip) throws IOException, InterruptedException {
    int n = drip ? words : 2;
    ex.getResponseHeaders().add("Content-Type", "application/vnd.amazon.eventstream");
    ex.sendResponseHeaders(200, 0);
    OutputStream out = ex.getResponseBody();
    send(out, "messageStart", "{\"role\":\"assistant\"}");
    for (int i = 0; i < n; i++) {
      if (i > 0 && drip) {
        Thread.sleep(intervalMs);
      }
      send(
          out,
          "contentBlockDelta",
          "{\"contentBlockIndex\":0,\"delta\":{\"text\":\"word" + i + " \"}}");
    }
    send(out, "contentBlockStop", "{\"contentBlockIndex\":0}");
    send(out, "messageStop", "{\"stopReason\":\"end_turn\"}");
    send(
        out,
        "metadata",
        "{\"usage\":{\"inputTokens\":12,\"outputTokens\":"
            + n
            + ",\"totalTokens\":"
            + (12 + n)
            + "},\"metrics\":{\"latencyMs\":1}}");
    out.close();
  }

  private static void send(OutputStream out, String type, String json) throws IOException {
    out.write(EventStreamEncoder.event(type, json));
    out.flush();
  }
}

package io.llmgateway.bedrock.stub;

import static java.nio.charset.StandardCharsets.UTF_8;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.MissingNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.io.OutputStream;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

/** One exchange being answered: request facts plus the ways to write Bedrock-shaped answers. */
final class StubExchange {
  static final ObjectMapper MAPPER = new ObjectMapper();

  private final HttpExchange exchange;
  private final ReceivedRequest request;
  private final Runnable onAbort;
  private final java.util.function.Consumer<Billed> billing;
  private final boolean cutHalfway;
  private final Duration pauseAfterFirstChunk;

  StubExchange(
      HttpExchange exchange,
      ReceivedRequest request,
      Runnable onAbort,
      java.util.function.Consumer<Billed> billing) {
    this(exchange, request, onAbort, billing, false, Duration.ZERO);
  }

  private StubExchange(
      HttpExchange exchange,
      ReceivedRequest request,
      Runnable onAbort,
      java.util.function.Consumer<Billed> billing,
      boolean cutHalfway,
      Duration pauseAfterFirstChunk) {
    this.exchange = exchange;
    this.request = request;
    this.onAbort = onAbort;
    this.billing = billing;
    this.cutHalfway = cutHalfway;
    this.pauseAfterFirstChunk = pauseAfterFirstChunk;
  }

  /**
   * This exchange with its 200 answers cut after half their body: a JSON answer is sent chunked and
   * ends after half its bytes (an unreadable 200), a stream ends after half its frames (no
   * messageStop, no usage). Errors are sent whole.
   */
  StubExchange cutHalfway() {
    return new StubExchange(exchange, request, onAbort, billing, true, pauseAfterFirstChunk);
  }

  /** This exchange with its streams pausing {@code pause} after their first text chunk. */
  StubExchange pausingAfterFirstChunk(Duration pause) {
    return new StubExchange(exchange, request, onAbort, billing, cutHalfway, pause);
  }

  /** Records that this call is billed {@code usage} (a Converse usage object), as Bedrock would. */
  void bill(JsonNode usage) {
    billing.accept(
        new Billed(
            request,
            usage.path("inputTokens").asLong(),
            usage.path("outputTokens").asLong(),
            usage.path("cacheReadInputTokens").asLong(),
            usage.path("cacheWriteInputTokens").asLong()));
  }

  boolean isStream() {
    return request.isStream();
  }

  JsonNode requestJson() {
    try {
      return MAPPER.readTree(request.body());
    } catch (JsonProcessingException e) {
      return MissingNode.getInstance();
    }
  }

  /** The request body as received (UTF-8). */
  byte[] requestBytes() {
    return request.body().getBytes(UTF_8);
  }

  static JsonNode parse(String json) {
    try {
      return MAPPER.readTree(json);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException("not JSON: " + json, e);
    }
  }

  /**
   * An event frame whose payload carries a random-length {@code p} padding field, as production
   * Bedrock does (reference doc 2.1).
   */
  byte[] event(String type, ObjectNode payload) {
    ObjectNode copy = payload.deepCopy();
    int n = ThreadLocalRandom.current().nextInt(1, 40);
    StringBuilder p = new StringBuilder(n);
    for (int i = 0; i < n; i++) {
      p.append((char) ('a' + ThreadLocalRandom.current().nextInt(26)));
    }
    copy.put("p", p.toString());
    return EventStreamEncoder.event(type, copy.toString());
  }

  /** The request's raw path (names the model). */
  String requestPathForEmbeddings() {
    return request.path();
  }

  /** Adds a response header (before the answer is sent). */
  void header(String name, String value) {
    exchange.getResponseHeaders().add(name, value);
  }

  void json(int status, JsonNode body) throws IOException {
    raw(status, "application/json", body.toString());
  }

  void raw(int status, String contentType, String body) throws IOException {
    byte[] bytes = body.getBytes(UTF_8);
    if (cutHalfway && status == 200) {
      exchange.getResponseHeaders().add("Content-Type", contentType);
      exchange.sendResponseHeaders(200, 0);
      try (OutputStream os = exchange.getResponseBody()) {
        os.write(bytes, 0, bytes.length / 2);
      }
      return;
    }
    exchange.getResponseHeaders().add("Content-Type", contentType);
    exchange.getResponseHeaders().add("x-amzn-RequestId", "11111111-2222-3333-4444-555555555555");
    exchange.sendResponseHeaders(status, bytes.length == 0 ? -1 : bytes.length);
    if (bytes.length > 0) {
      try (OutputStream os = exchange.getResponseBody()) {
        os.write(bytes);
      }
    }
  }

  void error(int status, String errorType, String message) throws IOException {
    exchange
        .getResponseHeaders()
        .add(
            "x-amzn-ErrorType",
            errorType + ":http://internal.amazon.com/coral/com.amazon.bedrock/");
    raw(status, "application/json", MAPPER.createObjectNode().put("message", message).toString());
  }

  /** A frame and how long to wait before sending it. */
  record Timed(Duration before, byte[] frame) {}

  /** A chunked event stream of frames sent at once, each flushed. */
  void stream(List<byte[]> frames) throws IOException {
    timedStream(frames.stream().map(f -> new Timed(Duration.ZERO, f)).toList());
  }

  /** A chunked event stream; each frame waits its delay and is flushed. */
  void timedStream(List<Timed> frames) throws IOException {
    if (cutHalfway) {
      frames = frames.subList(0, frames.size() / 2);
    }
    if (!pauseAfterFirstChunk.isZero() && frames.size() > 2) {
      // messageStart, the first text chunk, then the pause before the rest.
      List<Timed> paused = new java.util.ArrayList<>(frames);
      Timed third = paused.get(2);
      paused.set(2, new Timed(third.before().plus(pauseAfterFirstChunk), third.frame()));
      frames = paused;
    }
    exchange.getResponseHeaders().add("Content-Type", "application/vnd.amazon.eventstream");
    exchange.getResponseHeaders().add("x-amzn-RequestId", "11111111-2222-3333-4444-555555555555");
    exchange.sendResponseHeaders(200, 0);
    OutputStream os = exchange.getResponseBody();
    try {
      for (Timed f : frames) {
        sleep(f.before());
        os.write(f.frame());
        os.flush();
      }
      os.close();
    } catch (IOException e) {
      // The client went away mid-stream (cancellation, timeout): that is what tests look for.
      onAbort.run();
    }
  }

  static void sleep(Duration d) {
    if (d.isZero() || d.isNegative()) {
      return;
    }
    try {
      Thread.sleep(d);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}

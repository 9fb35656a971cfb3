package io.llmgateway.bedrock.stub;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * One scripted answer of the {@link BedrockStub}. Answers (text, tool use, errors) render as a JSON
 * Converse response on {@code /converse} and as an event stream on {@code /converse-stream}; the
 * stream-only behaviours (truncated, in-stream exception, slow) always stream. Immutable.
 */
public final class StubResponse {

  @FunctionalInterface
  interface Renderer {
    void render(StubExchange x) throws IOException;
  }

  private final String description;
  private final Renderer renderer;

  private StubResponse(String description, Renderer renderer) {
    this.description = description;
    this.renderer = renderer;
  }

  void render(StubExchange x) throws IOException {
    renderer.render(x);
  }

  @Override
  public String toString() {
    return "StubResponse[" + description + "]";
  }

  private static final JsonNodeFactory F = JsonNodeFactory.instance;

  /** A text answer ({@code end_turn}) with the given usage. */
  public static StubResponse text(String text, int inputTokens, int outputTokens) {
    return text(text, "end_turn", inputTokens, outputTokens, 0, 0);
  }

  /** A text answer with any stop reason and usage including cache reads and writes. */
  public static StubResponse text(
      String text,
      String stopReason,
      int inputTokens,
      int outputTokens,
      int cacheReadTokens,
      int cacheWriteTokens) {
    ObjectNode usage = usage(inputTokens, outputTokens, cacheReadTokens, cacheWriteTokens);
    return new StubResponse(
        "text",
        x -> {
          x.bill(usage);
          if (x.isStream()) {
            List<byte[]> frames = new ArrayList<>();
            frames.add(x.event("messageStart", F.objectNode().put("role", "assistant")));
            for (String chunk : chunks(text)) {
              frames.add(textDelta(x, 0, chunk));
            }
            frames.add(x.event("contentBlockStop", F.objectNode().put("contentBlockIndex", 0)));
            frames.add(x.event("messageStop", F.objectNode().put("stopReason", stopReason)));
            frames.add(x.event("metadata", metadata(usage)));
            x.stream(frames);
          } else {
            ArrayNode content = F.arrayNode();
            content.addObject().put("text", text);
            x.json(200, converseBody(content, stopReason, usage));
          }
        });
  }

  /** A tool call (stop reason {@code tool_use}); {@code inputJson} is the tool's input object. */
  public static StubResponse toolUse(
      String toolUseId, String name, String inputJson, int inputTokens, int outputTokens) {
    ObjectNode usage = usage(inputTokens, outputTokens, 0, 0);
    JsonNode input = StubExchange.parse(inputJson);
    return new StubResponse(
        "toolUse",
        x -> {
          x.bill(usage);
          if (x.isStream()) {
            List<byte[]> frames = new ArrayList<>();
            frames.add(x.event("messageStart", F.objectNode().put("role", "assistant")));
            ObjectNode start = F.objectNode().put("contentBlockIndex", 0);
            start
                .putObject("start")
                .putObject("toolUse")
                .put("toolUseId", toolUseId)
                .put("name", name);
            frames.add(x.event("contentBlockStart", start));
            String json = input.toString();
            int cut = json.length() / 2;
            for (String fragment : List.of(json.substring(0, cut), json.substring(cut))) {
              ObjectNode d = F.objectNode().put("contentBlockIndex", 0);
              d.putObject("delta").putObject("toolUse").put("input", fragment);
              frames.add(x.event("contentBlockDelta", d));
            }
            frames.add(x.event("contentBlockStop", F.objectNode().put("contentBlockIndex", 0)));
            frames.add(x.event("messageStop", F.objectNode().put("stopReason", "tool_use")));
            frames.add(x.event("metadata", metadata(usage)));
            x.stream(frames);
          } else {
            ArrayNode content = F.arrayNode();
            content
                .addObject()
                .putObject("toolUse")
                .put("toolUseId", toolUseId)
                .put("name", name)
                .set("input", input);
            x.json(200, converseBody(content, "tool_use", usage));
          }
        });
  }

  /**
   * An HTTP error as Bedrock sends it: the status, {@code x-amzn-ErrorType: <errorType>:...} and
   * {@code {"message": ...}}, e.g. {@code error(429, "ThrottlingException", "Too many tokens")}.
   */
  public static StubResponse error(int status, String errorType, String message) {
    return new StubResponse(
        "error " + status + " " + errorType, x -> x.error(status, errorType, message));
  }

  /** An event stream of the given text chunks ({@code end_turn}) with the given usage. */
  public static StubResponse stream(List<String> chunks, int inputTokens, int outputTokens) {
    return slowStream(chunks, Duration.ZERO, inputTokens, outputTokens);
  }

  /**
   * A stream whose first text chunk comes at once and every later one after {@code delay}: for idle
   * timeouts and cancellation.
   */
  public static StubResponse slowStream(
      List<String> chunks, Duration delay, int inputTokens, int outputTokens) {
    List<String> copy = List.copyOf(chunks);
    ObjectNode usage = usage(inputTokens, outputTokens, 0, 0);
    return new StubResponse(
        "stream",
        x -> {
          x.bill(usage);
          List<StubExchange.Timed> frames = new ArrayList<>();
          frames.add(now(x.event("messageStart", F.objectNode().put("role", "assistant"))));
          for (int i = 0; i < copy.size(); i++) {
            frames.add(
                new StubExchange.Timed(
                    i == 0 ? Duration.ZERO : delay, textDelta(x, 0, copy.get(i))));
          }
          frames.add(now(x.event("contentBlockStop", F.objectNode().put("contentBlockIndex", 0))));
          frames.add(now(x.event("messageStop", F.objectNode().put("stopReason", "end_turn"))));
          frames.add(now(x.event("metadata", metadata(usage))));
          x.timedStream(frames);
        });
  }

  /**
   * A stream of {@code count} copies of {@code chunk} as fast as the reader takes them, built frame
   * by frame as it is sent (gigabytes cost the stub nothing): for readers that stop reading.
   */
  public static StubResponse longStream(
      String chunk, int count, int inputTokens, int outputTokens) {
    ObjectNode usage = usage(inputTokens, outputTokens, 0, 0);
    return new StubResponse(
        "long stream",
        x -> {
          x.bill(usage);
          byte[] start = x.event("messageStart", F.objectNode().put("role", "assistant"));
          byte[] delta = textDelta(x, 0, chunk);
          byte[] stop = x.event("messageStop", F.objectNode().put("stopReason", "end_turn"));
          byte[] meta = x.event("metadata", metadata(usage));
          x.timedStream(
              new java.util.AbstractList<StubExchange.Timed>() {
                @Override
                public StubExchange.Timed get(int i) {
                  return now(i == 0 ? start : i <= count ? delta : i == count + 1 ? stop : meta);
                }

                @Override
                public int size() {
                  return count + 3;
                }
              });
        });
  }

  private static StubExchange.Timed now(byte[] frame) {
    return new StubExchange.Timed(Duration.ZERO, frame);
  }

  /** A stream that stops after its text chunks: no messageStop, no metadata. */
  public static StubResponse truncatedStream(List<String> chunks) {
    List<String> copy = List.copyOf(chunks);
    return new StubResponse(
        "truncated stream",
        x -> {
          List<byte[]> frames = new ArrayList<>();
          frames.add(x.event("messageStart", F.objectNode().put("role", "assistant")));
          for (String c : copy) {
            frames.add(textDelta(x, 0, c));
          }
          x.stream(frames);
        });
  }

  /** A stream with messageStop but without the metadata (usage) event. */
  public static StubResponse streamWithoutMetadata(List<String> chunks) {
    List<String> copy = List.copyOf(chunks);
    return new StubResponse(
        "stream without metadata",
        x -> {
          List<byte[]> frames = new ArrayList<>();
          frames.add(x.event("messageStart", F.objectNode().put("role", "assistant")));
          for (String c : copy) {
            frames.add(textDelta(x, 0, c));
          }
          frames.add(x.event("contentBlockStop", F.objectNode().put("contentBlockIndex", 0)));
          frames.add(x.event("messageStop", F.objectNode().put("stopReason", "end_turn")));
          x.stream(frames);
        });
  }

  /**
   * A stream that sends its text chunks and then an exception frame, e.g. {@code
   * inStreamException(List.of("Hel"), "throttlingException", "Too many tokens")}.
   */
  public static StubResponse inStreamException(
      List<String> chunksBefore, String exceptionType, String message) {
    List<String> copy = List.copyOf(chunksBefore);
    return new StubResponse(
        "in-stream " + exceptionType,
        x -> {
          List<byte[]> frames = new ArrayList<>();
          frames.add(x.event("messageStart", F.objectNode().put("role", "assistant")));
          for (String c : copy) {
            frames.add(textDelta(x, 0, c));
          }
          frames.add(
              EventStreamEncoder.exception(
                  exceptionType, F.objectNode().put("message", message).toString()));
          x.stream(frames);
        });
  }

  /** Raw event-stream frames, sent as they are. */
  public static StubResponse frames(List<byte[]> frames) {
    List<byte[]> copy = List.copyOf(frames);
    return new StubResponse("frames", x -> x.stream(copy));
  }

  /** Any status, content type and body. */
  public static StubResponse raw(int status, String contentType, String body) {
    Objects.requireNonNull(body, "body");
    return new StubResponse("raw " + status, x -> x.raw(status, contentType, body));
  }

  /** Waits {@code delay} before sending anything, then answers as {@code then}. */
  public static StubResponse delayed(Duration delay, StubResponse then) {
    return new StubResponse(
        "delayed " + then.description,
        x -> {
          StubExchange.sleep(delay);
          then.render(x);
        });
  }

  /**
   * The default echo answer with its 200 body cut after half its bytes (blocking: an unreadable
   * JSON; streamed: half the frames, no usage). Billed in full, as Bedrock bills a call whose
   * answer the client never read whole.
   */
  public static StubResponse echoCutHalfway() {
    StubResponse echo = echo();
    return new StubResponse("echo cut halfway", x -> echo.render(x.cutHalfway()));
  }

  /**
   * The default echo answer, streamed with a pause of {@code pause} after its first text chunk: a
   * client that hangs up after the first chunk is gone before the rest (and the usage) arrive.
   */
  public static StubResponse echoPausingAfterFirstChunk(Duration pause) {
    StubResponse echo = echo();
    return new StubResponse(
        "echo pausing after its first chunk", x -> echo.render(x.pausingAfterFirstChunk(pause)));
  }

  /**
   * The default: echoes the last user text, at most maxTokens words. Input usage is what Bedrock
   * bills: every billable byte of the request ({@link BillableText}: system, messages, tool
   * results, tool definitions and the response-format tool), at about four bytes per token. A real
   * tokenizer gives at most one token per byte, so this stays below any honest upper bound, but a
   * tool definition is never free.
   */
  static StubResponse echo() {
    return new StubResponse(
        "echo",
        x -> {
          JsonNode req = x.requestJson();
          String last = "";
          for (JsonNode m : req.path("messages")) {
            for (JsonNode c : m.path("content")) {
              if (c.has("text") && "user".equals(m.path("role").asText())) {
                last = c.get("text").asText();
              }
            }
          }
          int max = req.path("inferenceConfig").path("maxTokens").asInt(Integer.MAX_VALUE);
          String[] words = ("echo: " + last).trim().split("\\s+");
          int n = Math.min(words.length, Math.max(1, max));
          String text = String.join(" ", java.util.Arrays.copyOf(words, n));
          String stop = n < words.length ? "max_tokens" : "end_turn";
          int input = (int) Math.max(1, (billable(x) + 3) / 4);
          text(text, stop, input, n, 0, 0).render(x);
        });
  }

  private static long billable(StubExchange x) {
    try {
      return BillableText.bytes(x.requestBytes());
    } catch (IllegalArgumentException e) {
      return 0; // not JSON: a fault-injection test's body, which Bedrock would refuse
    }
  }

  static List<String> chunks(String text) {
    // Word-sized pieces keeping their spaces, so joined chunks equal the text.
    List<String> out = new ArrayList<>();
    for (String piece : text.split("(?<= )")) {
      if (!piece.isEmpty()) {
        out.add(piece);
      }
    }
    if (out.isEmpty()) {
      out.add(text);
    }
    return out;
  }

  private static byte[] textDelta(StubExchange x, int index, String text) {
    ObjectNode d = F.objectNode().put("contentBlockIndex", index);
    d.putObject("delta").put("text", text);
    return x.event("contentBlockDelta", d);
  }

  private static ObjectNode usage(int in, int out, int cacheRead, int cacheWrite) {
    ObjectNode u = F.objectNode();
    u.put("inputTokens", in);
    u.put("outputTokens", out);
    u.put("totalTokens", in + out + cacheRead + cacheWrite);
    if (cacheRead > 0 || cacheWrite > 0) {
      u.put("cacheReadInputTokens", cacheRead);
      u.put("cacheWriteInputTokens", cacheWrite);
    }
    return u;
  }

  private static ObjectNode metadata(ObjectNode usage) {
    ObjectNode m = F.objectNode();
    m.set("usage", usage.deepCopy());
    m.putObject("metrics").put("latencyMs", 42);
    return m;
  }

  private static ObjectNode converseBody(ArrayNode content, String stopReason, ObjectNode usage) {
    ObjectNode body = F.objectNode();
    ObjectNode message = body.putObject("output").putObject("message");
    message.put("role", "assistant");
    message.set("content", content);
    body.put("stopReason", stopReason);
    body.set("usage", usage.deepCopy());
    body.putObject("metrics").put("latencyMs", 42);
    return body;
  }
}

package io.llmgateway.server.anthropic;

import io.llmgateway.core.chat.ChatChunk;
import io.llmgateway.core.chat.FinishReason;
import io.llmgateway.core.chat.TokenUsage;
import io.llmgateway.server.http.Json;
import io.llmgateway.server.openai.SseRelay;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/**
 * Encodes one streamed answer as Anthropic's server-sent events: {@code message_start} and a {@code
 * ping}, then per content block {@code content_block_start}, {@code content_block_delta}s ({@code
 * text_delta} or {@code input_json_delta}) and {@code content_block_stop}, then {@code
 * message_delta} (stop reason and the whole usage: Bedrock reports it only at the end, so {@code
 * message_start} carries zeros) and {@code message_stop}. The core's chunk order (deltas, one
 * finish, one usage) maps onto this directly. Not thread-safe: one per stream.
 */
final class MessageEvents implements SseRelay.Encoder {
  private final Json json;
  private final String id;
  private final String model;
  private int blocks;
  private boolean open;
  private boolean openIsText;
  private FinishReason finish = FinishReason.STOP;
  private boolean stopped;

  MessageEvents(Json json, String id, String model) {
    this.json = json;
    this.id = id;
    this.model = model;
  }

  /** {@code message_start} then {@code ping}, as Anthropic opens a stream. */
  @Override
  public byte[] start() {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    event(
        out,
        "message_start",
        json.write(
            g -> {
              g.writeStartObject();
              g.writeStringField("type", "message_start");
              g.writeFieldName("message");
              MessageWriter.head(g, id, model);
              g.writeArrayFieldStart("content");
              g.writeEndArray();
              g.writeNullField("stop_reason");
              g.writeNullField("stop_sequence");
              g.writeFieldName("usage");
              MessageWriter.usage(g, new TokenUsage(0, 0, 0, 0, TokenUsage.Source.ESTIMATED));
              g.writeEndObject();
              g.writeEndObject();
            }));
    event(out, "ping", "{\"type\":\"ping\"}".getBytes(StandardCharsets.UTF_8));
    return out.toByteArray();
  }

  /** The events for one canonical chunk; empty if it adds nothing to send. */
  @Override
  public byte[] of(ChatChunk chunk) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    switch (chunk) {
      case ChatChunk.TextDelta t -> {
        if (t.text().isEmpty()) {
          break;
        }
        if (!open || !openIsText) {
          close(out);
          startBlock(out, true, null, null);
        }
        delta(out, "text_delta", "text", t.text());
      }
      case ChatChunk.ToolCallDelta t -> {
        if (t.id().isPresent() || !open || openIsText) {
          close(out);
          startBlock(out, false, t.id().orElse(""), t.name().orElse(""));
        }
        if (!t.argumentsFragment().isEmpty()) {
          delta(out, "input_json_delta", "partial_json", t.argumentsFragment());
        }
      }
      case ChatChunk.Finish f -> {
        finish = f.reason();
        close(out);
      }
      case ChatChunk.Usage u -> stop(out, u.usage());
    }
    return out.toByteArray();
  }

  /** Whether {@code message_stop} went out (a stream ending without it was cut short). */
  boolean stopped() {
    return stopped;
  }

  private void stop(ByteArrayOutputStream out, TokenUsage usage) {
    close(out);
    event(
        out,
        "message_delta",
        json.write(
            g -> {
              g.writeStartObject();
              g.writeStringField("type", "message_delta");
              g.writeObjectFieldStart("delta");
              g.writeStringField("stop_reason", MessageWriter.stopReason(finish));
              g.writeNullField("stop_sequence");
              g.writeEndObject();
              g.writeFieldName("usage");
              MessageWriter.usage(g, usage);
              g.writeEndObject();
            }));
    event(out, "message_stop", "{\"type\":\"message_stop\"}".getBytes(StandardCharsets.UTF_8));
    stopped = true;
  }

  private void startBlock(ByteArrayOutputStream out, boolean text, String toolId, String name) {
    int index = blocks;
    event(
        out,
        "content_block_start",
        json.write(
            g -> {
              g.writeStartObject();
              g.writeStringField("type", "content_block_start");
              g.writeNumberField("index", index);
              g.writeObjectFieldStart("content_block");
              if (text) {
                g.writeStringField("type", "text");
                g.writeStringField("text", "");
              } else {
                g.writeStringField("type", "tool_use");
                g.writeStringField("id", toolId);
                g.writeStringField("name", name);
                g.writeObjectFieldStart("input");
                g.writeEndObject();
              }
              g.writeEndObject();
              g.writeEndObject();
            }));
    open = true;
    openIsText = text;
  }

  private void delta(ByteArrayOutputStream out, String type, String field, String value) {
    int index = blocks;
    event(
        out,
        "content_block_delta",
        json.write(
            g -> {
              g.writeStartObject();
              g.writeStringField("type", "content_block_delta");
              g.writeNumberField("index", index);
              g.writeObjectFieldStart("delta");
              g.writeStringField("type", type);
              g.writeStringField(field, value);
              g.writeEndObject();
              g.writeEndObject();
            }));
  }

  private void close(ByteArrayOutputStream out) {
    if (!open) {
      return;
    }
    String body = "{\"type\":\"content_block_stop\",\"index\":" + blocks + "}";
    event(out, "content_block_stop", body.getBytes(StandardCharsets.UTF_8));
    open = false;
    blocks++;
  }

  static void event(ByteArrayOutputStream out, String name, byte[] data) {
    out.writeBytes(("event: " + name + "\ndata: ").getBytes(StandardCharsets.US_ASCII));
    out.writeBytes(data);
    out.writeBytes("\n\n".getBytes(StandardCharsets.US_ASCII));
  }
}

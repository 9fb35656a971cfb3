package io.llmgateway.server.anthropic;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import io.llmgateway.core.chat.ChatResponse;
import io.llmgateway.core.chat.FinishReason;
import io.llmgateway.core.chat.TokenUsage;
import io.llmgateway.core.chat.ToolCall;
import io.llmgateway.server.http.Json;
import java.io.IOException;

/**
 * Writes Anthropic's {@code message} object: content blocks (text, then tool_use), {@code
 * stop_reason}, {@code stop_sequence} (always null: Bedrock's Converse does not say which sequence
 * matched, and its {@code stop_sequence} reason arrives as {@code end_turn}) and usage in
 * Anthropic's split ({@code input_tokens} excludes cached tokens, as Bedrock's does). Thread-safe.
 */
final class MessageWriter {
  private final Json json;

  MessageWriter(Json json) {
    this.json = json;
  }

  byte[] message(String id, String model, ChatResponse r) {
    return json.write(
        g -> {
          head(g, id, model);
          g.writeArrayFieldStart("content");
          if (r.text().isPresent() && !r.text().get().isEmpty()) {
            g.writeStartObject();
            g.writeStringField("type", "text");
            g.writeStringField("text", r.text().get());
            g.writeEndObject();
          }
          for (ToolCall c : r.toolCalls()) {
            g.writeStartObject();
            g.writeStringField("type", "tool_use");
            g.writeStringField("id", c.id());
            g.writeStringField("name", c.name());
            g.writeFieldName("input");
            g.writeTree(input(c.argumentsJson()));
            g.writeEndObject();
          }
          g.writeEndArray();
          g.writeStringField("stop_reason", stopReason(r.finishReason()));
          g.writeNullField("stop_sequence");
          g.writeFieldName("usage");
          usage(g, r.usage());
          g.writeEndObject();
        });
  }

  /** {@code {"input_tokens": N}} for count_tokens. */
  byte[] count(long inputTokens) {
    return json.write(
        g -> {
          g.writeStartObject();
          g.writeNumberField("input_tokens", inputTokens);
          g.writeEndObject();
        });
  }

  /** The message object's opening fields (also message_start's, with empty content). */
  static void head(JsonGenerator g, String id, String model) throws IOException {
    g.writeStartObject();
    g.writeStringField("id", id);
    g.writeStringField("type", "message");
    g.writeStringField("role", "assistant");
    g.writeStringField("model", model);
  }

  static void usage(JsonGenerator g, TokenUsage u) throws IOException {
    g.writeStartObject();
    g.writeNumberField("input_tokens", u.inputTokens());
    g.writeNumberField("output_tokens", u.outputTokens());
    g.writeNumberField("cache_creation_input_tokens", u.cacheWriteTokens());
    g.writeNumberField("cache_read_input_tokens", u.cacheReadTokens());
    g.writeEndObject();
  }

  static String stopReason(FinishReason r) {
    return switch (r) {
      case STOP -> "end_turn";
      case LENGTH -> "max_tokens";
      case TOOL_CALLS -> "tool_use";
      case CONTENT_FILTER -> "refusal";
    };
  }

  /** Tool arguments as a JSON object (the provider adapter wrote them as JSON text). */
  JsonNode input(String argumentsJson) throws IOException {
    if (argumentsJson == null || argumentsJson.isBlank()) {
      return json.mapper().createObjectNode();
    }
    return json.mapper().readTree(argumentsJson);
  }
}

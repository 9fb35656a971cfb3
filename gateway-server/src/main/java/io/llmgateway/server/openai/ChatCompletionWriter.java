package io.llmgateway.server.openai;

import com.fasterxml.jackson.core.JsonGenerator;
import io.llmgateway.core.chat.ChatChunk;
import io.llmgateway.core.chat.ChatResponse;
import io.llmgateway.core.chat.FinishReason;
import io.llmgateway.core.chat.TokenUsage;
import io.llmgateway.core.chat.ToolCall;
import io.llmgateway.server.http.Json;
import java.io.IOException;
import java.util.Optional;

/**
 * Writes OpenAI's {@code chat.completion} and {@code chat.completion.chunk} JSON by hand, with the
 * explicit nulls OpenAI sends ({@code content}, {@code refusal}, {@code logprobs}, {@code
 * finish_reason}), so strict clients such as the official SDKs parse them unchanged. Thread-safe.
 */
public final class ChatCompletionWriter {
  private final Json json;

  public ChatCompletionWriter(Json json) {
    this.json = json;
  }

  /** A whole answer. {@code model} is the logical model the caller asked for. */
  public byte[] completion(String id, String model, long created, ChatResponse r) {
    return json.write(
        g -> {
          g.writeStartObject();
          g.writeStringField("id", id);
          g.writeStringField("object", "chat.completion");
          g.writeNumberField("created", created);
          g.writeStringField("model", model);
          g.writeArrayFieldStart("choices");
          g.writeStartObject();
          g.writeNumberField("index", 0);
          g.writeObjectFieldStart("message");
          g.writeStringField("role", "assistant");
          Optional<String> text = r.text();
          if (text.isPresent()) {
            g.writeStringField("content", text.get());
          } else {
            g.writeNullField("content");
          }
          g.writeNullField("refusal");
          if (!r.toolCalls().isEmpty()) {
            g.writeArrayFieldStart("tool_calls");
            for (ToolCall c : r.toolCalls()) {
              g.writeStartObject();
              g.writeStringField("id", c.id());
              g.writeStringField("type", "function");
              g.writeObjectFieldStart("function");
              g.writeStringField("name", c.name());
              g.writeStringField("arguments", c.argumentsJson());
              g.writeEndObject();
              g.writeEndObject();
            }
            g.writeEndArray();
          }
          g.writeEndObject();
          g.writeNullField("logprobs");
          g.writeStringField("finish_reason", r.finishReason().openAiName());
          g.writeEndObject();
          g.writeEndArray();
          usage(g, r.usage());
          g.writeEndObject();
        });
  }

  /** Writes the chunks of one streamed answer. Not thread-safe: one per stream. */
  public StreamChunks chunks(String id, String model, long created, boolean includeUsage) {
    return new StreamChunks(id, model, created, includeUsage);
  }

  /** The chunk encoder of one stream. */
  public final class StreamChunks {
    private final String id;
    private final String model;
    private final long created;
    private final boolean includeUsage;

    private StreamChunks(String id, String model, long created, boolean includeUsage) {
      this.id = id;
      this.model = model;
      this.created = created;
      this.includeUsage = includeUsage;
    }

    /** The opening chunk: the assistant role with empty content, as OpenAI sends first. */
    public byte[] role() {
      return chunk(
          g -> {
            g.writeStringField("role", "assistant");
            g.writeStringField("content", "");
          },
          null);
    }

    /** The chunk for one canonical piece, or empty if it is not sent (usage without opt-in). */
    public Optional<byte[]> of(ChatChunk c) {
      return switch (c) {
        case ChatChunk.TextDelta t ->
            Optional.of(chunk(g -> g.writeStringField("content", t.text()), null));
        case ChatChunk.ToolCallDelta t -> Optional.of(chunk(g -> toolCall(g, t), null));
        case ChatChunk.Finish f -> Optional.of(chunk(g -> {}, f.reason()));
        case ChatChunk.Usage u ->
            includeUsage ? Optional.of(usageChunk(u.usage())) : Optional.empty();
      };
    }

    private byte[] chunk(Json.JsonWriter delta, FinishReason finish) {
      return json.write(
          g -> {
            head(g);
            g.writeArrayFieldStart("choices");
            g.writeStartObject();
            g.writeNumberField("index", 0);
            g.writeObjectFieldStart("delta");
            delta.write(g);
            g.writeEndObject();
            g.writeNullField("logprobs");
            if (finish == null) {
              g.writeNullField("finish_reason");
            } else {
              g.writeStringField("finish_reason", finish.openAiName());
            }
            g.writeEndObject();
            g.writeEndArray();
            if (includeUsage) {
              g.writeNullField("usage");
            }
            g.writeEndObject();
          });
    }

    private byte[] usageChunk(TokenUsage u) {
      return json.write(
          g -> {
            head(g);
            g.writeArrayFieldStart("choices");
            g.writeEndArray();
            usage(g, u);
            g.writeEndObject();
          });
    }

    private void head(JsonGenerator g) throws IOException {
      g.writeStartObject();
      g.writeStringField("id", id);
      g.writeStringField("object", "chat.completion.chunk");
      g.writeNumberField("created", created);
      g.writeStringField("model", model);
    }
  }

  private static void toolCall(JsonGenerator g, ChatChunk.ToolCallDelta t) throws IOException {
    g.writeArrayFieldStart("tool_calls");
    g.writeStartObject();
    g.writeNumberField("index", t.index());
    if (t.id().isPresent()) {
      g.writeStringField("id", t.id().get());
      g.writeStringField("type", "function");
    }
    g.writeObjectFieldStart("function");
    if (t.name().isPresent()) {
      g.writeStringField("name", t.name().get());
    }
    g.writeStringField("arguments", t.argumentsFragment());
    g.writeEndObject();
    g.writeEndObject();
    g.writeEndArray();
  }

  private static void usage(JsonGenerator g, TokenUsage u) throws IOException {
    g.writeObjectFieldStart("usage");
    g.writeNumberField("prompt_tokens", u.promptTokens());
    g.writeNumberField("completion_tokens", u.outputTokens());
    g.writeNumberField("total_tokens", u.totalTokens());
    g.writeObjectFieldStart("prompt_tokens_details");
    g.writeNumberField("cached_tokens", u.cacheReadTokens());
    g.writeEndObject();
    g.writeEndObject();
  }
}

package io.llmgateway.server.openai;

import com.fasterxml.jackson.core.JsonGenerator;
import io.llmgateway.core.chat.ChatResponse;
import io.llmgateway.core.chat.FinishReason;
import io.llmgateway.core.chat.TokenUsage;
import io.llmgateway.core.chat.ToolCall;
import io.llmgateway.server.http.Json;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * Writes OpenAI's Response object ({@code "object": "response"}) by hand, with every field OpenAI
 * sends (explicit nulls included) so strict clients such as the official SDKs and the Agents SDK
 * parse it unchanged. Output items are a {@code message} with one {@code output_text} part and one
 * {@code function_call} item per tool call. The streamed events ({@link ResponsesEvents}) reuse the
 * same item and response shapes. Thread-safe.
 */
final class ResponsesWriter {
  private final Json json;

  ResponsesWriter(Json json) {
    this.json = json;
  }

  Json json() {
    return json;
  }

  /** One output item of a response. */
  sealed interface Item {
    String id();
  }

  /** An assistant message with its text ({@code output_text}). */
  record MessageItem(String id, String text) implements Item {}

  /** A tool call: {@code callId} is the upstream's tool-use id the tool output must name. */
  record FunctionCallItem(String id, String callId, String name, String arguments)
      implements Item {}

  /** How a response ended: {@code status} and, for failures or incomplete answers, why. */
  record Outcome(String status, Optional<String> incompleteReason, Optional<Error> error) {
    static final Outcome IN_PROGRESS =
        new Outcome("in_progress", Optional.empty(), Optional.empty());
    static final Outcome COMPLETED = new Outcome("completed", Optional.empty(), Optional.empty());

    static Outcome of(FinishReason reason) {
      return switch (reason) {
        case LENGTH ->
            new Outcome("incomplete", Optional.of("max_output_tokens"), Optional.empty());
        case CONTENT_FILTER ->
            new Outcome("incomplete", Optional.of("content_filter"), Optional.empty());
        case STOP, TOOL_CALLS -> COMPLETED;
      };
    }

    static Outcome failed(String code, String message) {
      return new Outcome("failed", Optional.empty(), Optional.of(new Error(code, message)));
    }
  }

  /** A failed response's {@code error}: OpenAI's code ({@code server_error} ...) and message. */
  record Error(String code, String message) {}

  static String messageId() {
    return "msg_" + UUID.randomUUID().toString().replace("-", "");
  }

  static String functionCallId(String callId) {
    return "fc_" + callId;
  }

  /** The blocking answer. */
  byte[] response(String id, long created, ResponsesRequest req, ChatResponse r) {
    List<Item> items = new ArrayList<>();
    r.text()
        .filter(t -> !t.isEmpty() || r.toolCalls().isEmpty())
        .ifPresent(t -> items.add(new MessageItem(messageId(), t)));
    for (ToolCall c : r.toolCalls()) {
      items.add(new FunctionCallItem(functionCallId(c.id()), c.id(), c.name(), c.argumentsJson()));
    }
    return json.write(
        g ->
            response(
                g, id, created, req, Outcome.of(r.finishReason()), items, Optional.of(r.usage())));
  }

  /** The Response object in any state (streamed events embed it). */
  static void response(
      JsonGenerator g,
      String id,
      long created,
      ResponsesRequest req,
      Outcome outcome,
      List<Item> items,
      Optional<TokenUsage> usage)
      throws IOException {
    g.writeStartObject();
    g.writeStringField("id", id);
    g.writeStringField("object", "response");
    g.writeNumberField("created_at", created);
    g.writeStringField("status", outcome.status());
    g.writeBooleanField("background", false);
    if (outcome.error().isPresent()) {
      g.writeObjectFieldStart("error");
      g.writeStringField("code", outcome.error().get().code());
      g.writeStringField("message", outcome.error().get().message());
      g.writeEndObject();
    } else {
      g.writeNullField("error");
    }
    if (outcome.incompleteReason().isPresent()) {
      g.writeObjectFieldStart("incomplete_details");
      g.writeStringField("reason", outcome.incompleteReason().get());
      g.writeEndObject();
    } else {
      g.writeNullField("incomplete_details");
    }
    nullable(g, "instructions", req.instructions());
    if (req.maxOutputTokens().isPresent()) {
      g.writeNumberField("max_output_tokens", req.maxOutputTokens().getAsInt());
    } else {
      g.writeNullField("max_output_tokens");
    }
    g.writeNullField("max_tool_calls");
    g.writeStringField("model", req.model());
    g.writeArrayFieldStart("output");
    for (Item item : items) {
      item(g, item, "completed");
    }
    g.writeEndArray();
    g.writeBooleanField("parallel_tool_calls", req.parallelToolCalls());
    g.writeNullField("previous_response_id");
    g.writeObjectFieldStart("reasoning");
    g.writeNullField("effort");
    g.writeNullField("summary");
    g.writeEndObject();
    g.writeStringField("service_tier", "default");
    // Nothing is stored, whatever the request asked (docs/SERVER.md).
    g.writeBooleanField("store", false);
    number(g, "temperature", req.chat().temperature());
    g.writeObjectFieldStart("text");
    g.writeFieldName("format");
    g.writeTree(req.textFormat());
    g.writeEndObject();
    g.writeFieldName("tool_choice");
    g.writeTree(req.toolChoice());
    g.writeFieldName("tools");
    g.writeTree(req.tools());
    number(g, "top_p", req.chat().topP());
    g.writeStringField("truncation", "disabled");
    if (usage.isPresent()) {
      usage(g, usage.get());
    } else {
      g.writeNullField("usage");
    }
    nullable(g, "user", req.chat().user());
    g.writeFieldName("metadata");
    g.writeTree(req.metadata());
    g.writeEndObject();
  }

  /** One output item; {@code status} is in_progress while streamed, else completed. */
  static void item(JsonGenerator g, Item item, String status) throws IOException {
    g.writeStartObject();
    switch (item) {
      case MessageItem m -> {
        g.writeStringField("id", m.id());
        g.writeStringField("type", "message");
        g.writeStringField("status", status);
        g.writeStringField("role", "assistant");
        g.writeArrayFieldStart("content");
        if (status.equals("completed")) {
          textPart(g, m.text());
        }
        g.writeEndArray();
      }
      case FunctionCallItem f -> {
        g.writeStringField("id", f.id());
        g.writeStringField("type", "function_call");
        g.writeStringField("status", status);
        g.writeStringField("call_id", f.callId());
        g.writeStringField("name", f.name());
        g.writeStringField("arguments", f.arguments());
      }
    }
    g.writeEndObject();
  }

  /** An {@code output_text} content part. */
  static void textPart(JsonGenerator g, String text) throws IOException {
    g.writeStartObject();
    g.writeStringField("type", "output_text");
    g.writeStringField("text", text);
    g.writeArrayFieldStart("annotations");
    g.writeEndArray();
    g.writeArrayFieldStart("logprobs");
    g.writeEndArray();
    g.writeEndObject();
  }

  /** OpenAI's usage: {@code input_tokens} counts cached tokens too, as chat's prompt_tokens. */
  static void usage(JsonGenerator g, TokenUsage u) throws IOException {
    g.writeObjectFieldStart("usage");
    g.writeNumberField("input_tokens", u.promptTokens());
    g.writeObjectFieldStart("input_tokens_details");
    g.writeNumberField("cached_tokens", u.cacheReadTokens());
    g.writeEndObject();
    g.writeNumberField("output_tokens", u.outputTokens());
    g.writeObjectFieldStart("output_tokens_details");
    g.writeNumberField("reasoning_tokens", 0);
    g.writeEndObject();
    g.writeNumberField("total_tokens", u.totalTokens());
    g.writeEndObject();
  }

  private static void nullable(JsonGenerator g, String field, Optional<String> v)
      throws IOException {
    if (v.isPresent()) {
      g.writeStringField(field, v.get());
    } else {
      g.writeNullField(field);
    }
  }

  private static void number(JsonGenerator g, String field, java.util.OptionalDouble v)
      throws IOException {
    if (v.isPresent()) {
      g.writeNumberField(field, v.getAsDouble());
    } else {
      g.writeNullField(field);
    }
  }
}

package io.llmgateway.server.openai;

import com.fasterxml.jackson.core.JsonGenerator;
import io.llmgateway.core.chat.ChatChunk;
import io.llmgateway.core.chat.FinishReason;
import io.llmgateway.core.chat.TokenUsage;
import io.llmgateway.server.http.Json;
import io.llmgateway.server.openai.ResponsesWriter.FunctionCallItem;
import io.llmgateway.server.openai.ResponsesWriter.Item;
import io.llmgateway.server.openai.ResponsesWriter.MessageItem;
import io.llmgateway.server.openai.ResponsesWriter.Outcome;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The Responses API's SSE events for one streamed answer, from the core's {@link ChatChunk}s:
 * {@code response.created}, {@code response.in_progress}, then per output item {@code
 * response.output_item.added}, for text {@code response.content_part.added}, {@code
 * response.output_text.delta}... {@code .done}, {@code response.content_part.done}, for tool calls
 * {@code response.function_call_arguments.delta}... {@code .done}, then {@code
 * response.output_item.done}; last {@code response.completed} (or {@code response.incomplete} when
 * the output cap cut the answer) with usage, or {@code response.failed} when the upstream failed.
 * Every event carries {@code sequence_number} from 0. Each event is framed as {@code event: <type>}
 * plus {@code data: <json>}. Not thread-safe: one per stream.
 */
final class ResponsesEvents implements SseRelay.Encoder {
  private final Json json;
  private final String id;
  private final long created;
  private final ResponsesRequest req;
  private final List<Item> done = new ArrayList<>();
  private int sequence;
  private MessageItem openMessage;
  private StringBuilder text;
  private FunctionCallItem openCall;
  private int openCallIndex;
  private StringBuilder arguments;
  private FinishReason finish = FinishReason.STOP;
  private Optional<TokenUsage> usage = Optional.empty();

  ResponsesEvents(Json json, String id, long created, ResponsesRequest req) {
    this.json = json;
    this.id = id;
    this.created = created;
    this.req = req;
  }

  /** {@code response.created} and {@code response.in_progress}. */
  @Override
  public byte[] start() {
    Out out = new Out();
    out.event("response.created", g -> response(g, Outcome.IN_PROGRESS));
    out.event("response.in_progress", g -> response(g, Outcome.IN_PROGRESS));
    return out.bytes();
  }

  /** The events for one piece of the answer (possibly none). */
  @Override
  public byte[] of(ChatChunk chunk) {
    Out out = new Out();
    switch (chunk) {
      case ChatChunk.TextDelta t -> text(out, t.text());
      case ChatChunk.ToolCallDelta t -> toolCall(out, t);
      case ChatChunk.Finish f -> {
        closeOpen(out);
        finish = f.reason();
      }
      case ChatChunk.Usage u -> usage = Optional.of(u.usage());
    }
    return out.bytes();
  }

  /** The end of a whole answer: open items closed, then the final response with usage. */
  byte[] end() {
    Out out = new Out();
    closeOpen(out);
    Outcome outcome = Outcome.of(finish);
    String type =
        outcome.status().equals("incomplete") ? "response.incomplete" : "response.completed";
    out.event(type, g -> response(g, outcome));
    return out.bytes();
  }

  /** The upstream failed mid-answer: {@code response.failed} with the items completed so far. */
  byte[] failed(String code, String message) {
    Out out = new Out();
    out.event("response.failed", g -> response(g, Outcome.failed(code, message)));
    return out.bytes();
  }

  private void text(Out out, String delta) {
    if (openMessage == null) {
      closeOpen(out);
      openMessage = new MessageItem(ResponsesWriter.messageId(), "");
      text = new StringBuilder();
      MessageItem m = openMessage;
      out.event(
          "response.output_item.added",
          g -> {
            g.writeNumberField("output_index", done.size());
            g.writeFieldName("item");
            ResponsesWriter.item(g, m, "in_progress");
          });
      out.event("response.content_part.added", g -> part(g, m, ""));
    }
    text.append(delta);
    MessageItem m = openMessage;
    out.event(
        "response.output_text.delta",
        g -> {
          inPart(g, m);
          g.writeStringField("delta", delta);
          g.writeArrayFieldStart("logprobs");
          g.writeEndArray();
        });
  }

  private void toolCall(Out out, ChatChunk.ToolCallDelta t) {
    if (openCall == null || t.id().isPresent() || t.index() != openCallIndex) {
      closeOpen(out);
      String callId = t.id().orElse("call_" + t.index());
      openCall =
          new FunctionCallItem(
              ResponsesWriter.functionCallId(callId), callId, t.name().orElse(""), "");
      openCallIndex = t.index();
      arguments = new StringBuilder();
      FunctionCallItem f = openCall;
      out.event(
          "response.output_item.added",
          g -> {
            g.writeNumberField("output_index", done.size());
            g.writeFieldName("item");
            ResponsesWriter.item(g, f, "in_progress");
          });
    }
    if (!t.argumentsFragment().isEmpty()) {
      arguments.append(t.argumentsFragment());
      String itemId = openCall.id();
      out.event(
          "response.function_call_arguments.delta",
          g -> {
            g.writeStringField("item_id", itemId);
            g.writeNumberField("output_index", done.size());
            g.writeStringField("delta", t.argumentsFragment());
          });
    }
  }

  private void closeOpen(Out out) {
    if (openMessage != null) {
      MessageItem m = new MessageItem(openMessage.id(), text.toString());
      openMessage = null;
      out.event(
          "response.output_text.done",
          g -> {
            inPart(g, m);
            g.writeStringField("text", m.text());
            g.writeArrayFieldStart("logprobs");
            g.writeEndArray();
          });
      out.event("response.content_part.done", g -> part(g, m, m.text()));
      finishItem(out, m);
    }
    if (openCall != null) {
      String args = arguments.length() == 0 ? "{}" : arguments.toString();
      FunctionCallItem f =
          new FunctionCallItem(openCall.id(), openCall.callId(), openCall.name(), args);
      openCall = null;
      out.event(
          "response.function_call_arguments.done",
          g -> {
            g.writeStringField("item_id", f.id());
            g.writeNumberField("output_index", done.size());
            g.writeStringField("name", f.name());
            g.writeStringField("arguments", f.arguments());
          });
      finishItem(out, f);
    }
  }

  private void finishItem(Out out, Item item) {
    int index = done.size();
    out.event(
        "response.output_item.done",
        g -> {
          g.writeNumberField("output_index", index);
          g.writeFieldName("item");
          ResponsesWriter.item(g, item, "completed");
        });
    done.add(item);
  }

  private void inPart(JsonGenerator g, MessageItem m) throws IOException {
    g.writeStringField("item_id", m.id());
    g.writeNumberField("output_index", done.size());
    g.writeNumberField("content_index", 0);
  }

  private void part(JsonGenerator g, MessageItem m, String partText) throws IOException {
    inPart(g, m);
    g.writeFieldName("part");
    ResponsesWriter.textPart(g, partText);
  }

  private void response(JsonGenerator g, Outcome outcome) throws IOException {
    g.writeFieldName("response");
    ResponsesWriter.response(g, id, created, req, outcome, done, usage);
  }

  /** The framed events of one step, written in one go. */
  private final class Out {
    private final ByteArrayOutputStream bytes = new ByteArrayOutputStream(256);

    void event(String type, Json.JsonWriter body) {
      int seq = sequence++;
      byte[] data =
          json.write(
              g -> {
                g.writeStartObject();
                g.writeStringField("type", type);
                g.writeNumberField("sequence_number", seq);
                body.write(g);
                g.writeEndObject();
              });
      bytes.writeBytes(("event: " + type + "\ndata: ").getBytes(StandardCharsets.US_ASCII));
      bytes.writeBytes(data);
      bytes.writeBytes(new byte[] {'\n', '\n'});
    }

    byte[] bytes() {
      return bytes.toByteArray();
    }
  }
}

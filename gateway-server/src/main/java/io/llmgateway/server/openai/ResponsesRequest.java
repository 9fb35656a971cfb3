package io.llmgateway.server.openai;

import com.fasterxml.jackson.databind.JsonNode;
import io.llmgateway.core.chat.ChatRequest;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * A parsed {@code POST /v1/responses} body: the canonical {@link ChatRequest} the core admits and
 * answers, and the values the Response object echoes back as OpenAI does ({@code instructions},
 * {@code tools}, {@code tool_choice}, {@code text}, {@code metadata} ...). The echoed JSON nodes
 * are the caller's own (already validated), never read again for meaning. Immutable once built.
 */
record ResponsesRequest(
    ChatRequest chat,
    Optional<String> instructions,
    OptionalInt maxOutputTokens,
    JsonNode tools,
    JsonNode toolChoice,
    JsonNode textFormat,
    JsonNode metadata,
    boolean parallelToolCalls) {

  ResponsesRequest {
    Objects.requireNonNull(chat, "chat");
    Objects.requireNonNull(instructions, "instructions");
    Objects.requireNonNull(maxOutputTokens, "maxOutputTokens");
    Objects.requireNonNull(tools, "tools");
    Objects.requireNonNull(toolChoice, "toolChoice");
    Objects.requireNonNull(textFormat, "textFormat");
    Objects.requireNonNull(metadata, "metadata");
  }

  String model() {
    return chat.model();
  }
}

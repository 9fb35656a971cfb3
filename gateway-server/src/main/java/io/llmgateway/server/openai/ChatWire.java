package io.llmgateway.server.openai;

import io.llmgateway.server.ServerServices;

/**
 * The OpenAI chat completion wire format as a route serves it: the request parser (the server's
 * input limits), the response and chunk writer, and the SSE responder (heartbeat, in-flight count,
 * error shape). Built the same way for every route that answers chat completions: the API's own
 * ({@link OpenAiRoutes}) and the UI's playground. Immutable, thread-safe.
 */
public record ChatWire(
    ChatRequestParser parser, ChatCompletionWriter writer, StreamResponder streams) {

  /** The wire format with the server's limits, JSON settings and heartbeat. */
  public static ChatWire of(ServerServices services) {
    return new ChatWire(
        new ChatRequestParser(services.config().limits(), services.json().mapper()),
        new ChatCompletionWriter(services.json()),
        new StreamResponder(
            services.errors(), services.inFlight(), services.config().http().sseHeartbeat()));
  }
}

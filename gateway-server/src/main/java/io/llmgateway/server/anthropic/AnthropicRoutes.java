package io.llmgateway.server.anthropic;

import io.javalin.http.Context;
import io.javalin.router.JavalinDefaultRoutingApi;
import io.llmgateway.core.AdmissionListener;
import io.llmgateway.core.chat.ChatRequest;
import io.llmgateway.core.chat.ChatResponse;
import io.llmgateway.server.ServerServices;
import io.llmgateway.server.http.Routes;
import io.llmgateway.server.openai.ModelCall;
import io.llmgateway.server.openai.SseRelay;
import java.util.List;
import java.util.UUID;

/**
 * The Anthropic Messages API: {@code POST /v1/messages} (blocking or streamed) and {@code POST
 * /v1/messages/count_tokens}, what Claude Code and the Anthropic SDKs speak. A message is mapped
 * onto the canonical chat request ({@link MessagesRequestParser}) and goes through the same core
 * admission as a chat completion: key, model allow-list, rate limits, worst-case reservation,
 * output cap clamped to the budget, one charging policy, one spend row. The key comes as {@code
 * x-api-key} or {@code Authorization: Bearer}; {@code anthropic-version} and {@code anthropic-beta}
 * are accepted and not needed. Every error on these routes is in Anthropic's shape ({@link
 * AnthropicErrors}). Messages carry the {@code x-ratelimit-*} headers chat completions carry (the
 * shared prelude, {@link ModelCall}). Thread-safe.
 */
public final class AnthropicRoutes implements Routes {
  private final ServerServices s;
  private final MessagesRequestParser parser;
  private final MessageWriter writer;
  private final AnthropicErrors errors;
  private final SseRelay streams;

  public AnthropicRoutes(ServerServices services) {
    this.s = services;
    this.parser = new MessagesRequestParser(services.config().limits());
    this.writer = new MessageWriter(services.json());
    this.errors = new AnthropicErrors(services.errors().mapper(), services.json());
    this.streams = new SseRelay(services.inFlight(), services.config().http().sseHeartbeat());
  }

  @Override
  public void register(JavalinDefaultRoutingApi routes) {
    routes.post("/v1/messages", ctx -> guarded(ctx, this::messages));
    routes.post("/v1/messages/count_tokens", ctx -> guarded(ctx, this::countTokens));
  }

  @Override
  public List<String> openApiFragments() {
    return List.of("/openapi/anthropic.json");
  }

  @FunctionalInterface
  private interface Handler {
    void handle(Context ctx) throws Exception;
  }

  /** Every failure of these routes answered in Anthropic's error shape, not OpenAI's. */
  private void guarded(Context ctx, Handler h) {
    try {
      h.handle(ctx);
    } catch (Exception e) {
      errors.respond(e, ctx);
    }
  }

  private void messages(Context ctx) throws Exception {
    ModelCall<ChatRequest> call = ModelCall.read(s, ctx, parser::parse, ChatRequest::model);
    ChatRequest request = call.request();
    String id = "msg_" + UUID.randomUUID().toString().replace("-", "");
    AdmissionListener admitted = call.admission(id);
    if (request.stream()) {
      streams.stream(
          ctx,
          admitted,
          listener -> s.gateway().chatStream(call.principal(), request, id, listener),
          new MessageStreamEvents(ctx, errors, new MessageEvents(s.json(), id, request.model())),
          id);
    } else {
      ChatResponse response = s.gateway().chat(call.principal(), request, id, admitted);
      ctx.contentType("application/json").result(writer.message(id, request.model(), response));
    }
  }

  private void countTokens(Context ctx) throws Exception {
    // Counting admits nothing (no rate limit, no budget): no admission, no rate-limit headers.
    ModelCall<ChatRequest> call = ModelCall.read(s, ctx, parser::parseForCount, ChatRequest::model);
    long tokens = s.gateway().countTokens(call.principal(), call.request());
    ctx.contentType("application/json").result(writer.count(tokens));
  }
}

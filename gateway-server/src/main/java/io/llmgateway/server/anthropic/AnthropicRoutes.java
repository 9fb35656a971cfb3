package io.llmgateway.server.anthropic;

import com.fasterxml.jackson.databind.JsonNode;
import io.javalin.http.Context;
import io.javalin.router.JavalinDefaultRoutingApi;
import io.llmgateway.core.AdmissionListener;
import io.llmgateway.core.chat.ChatRequest;
import io.llmgateway.core.chat.ChatResponse;
import io.llmgateway.core.identity.Principal;
import io.llmgateway.server.ServerServices;
import io.llmgateway.server.http.BodyReader;
import io.llmgateway.server.http.RequestAttributes;
import io.llmgateway.server.http.Routes;
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
 * AnthropicErrors}). Thread-safe.
 */
public final class AnthropicRoutes implements Routes {
  private final ServerServices s;
  private final MessagesRequestParser parser;
  private final MessageWriter writer;
  private final AnthropicErrors errors;
  private final MessageStreamResponder streams;

  public AnthropicRoutes(ServerServices services) {
    this.s = services;
    this.parser = new MessagesRequestParser(services.config().limits());
    this.writer = new MessageWriter(services.json());
    this.errors = new AnthropicErrors(services.errors().mapper(), services.json());
    this.streams =
        new MessageStreamResponder(
            errors, services.inFlight(), services.config().http().sseHeartbeat());
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

  private JsonNode body(Context ctx) throws java.io.IOException {
    byte[] body =
        BodyReader.read(
            ctx, s.config().limits().maxBodyBytes(), s.config().http().requestTimeout());
    return s.json().parse(body);
  }

  private void messages(Context ctx) throws Exception {
    // The key first, from the headers: nobody unauthenticated gets the server to wait for a body.
    Principal principal = s.auth().require(ctx);
    ChatRequest request = parser.parse(body(ctx));
    ctx.attribute(RequestAttributes.MODEL, request.model());
    AdmissionListener admitted = grant -> ctx.attribute(RequestAttributes.ADMITTED, Boolean.TRUE);
    String id = "msg_" + UUID.randomUUID().toString().replace("-", "");
    ctx.attribute(RequestAttributes.COMPLETION_ID, id);
    if (request.stream()) {
      streams.stream(
          ctx,
          admitted,
          listener -> s.gateway().chatStream(principal, request, id, listener),
          new MessageEvents(s.json(), id, request.model()),
          id);
    } else {
      ChatResponse response = s.gateway().chat(principal, request, id, admitted);
      ctx.contentType("application/json").result(writer.message(id, request.model(), response));
    }
  }

  private void countTokens(Context ctx) throws Exception {
    Principal principal = s.auth().require(ctx);
    ChatRequest request = parser.parseForCount(body(ctx));
    ctx.attribute(RequestAttributes.MODEL, request.model());
    long tokens = s.gateway().countTokens(principal, request);
    ctx.contentType("application/json").result(writer.count(tokens));
  }
}

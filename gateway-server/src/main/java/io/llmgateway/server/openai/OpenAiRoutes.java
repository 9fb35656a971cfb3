package io.llmgateway.server.openai;

import io.javalin.http.Context;
import io.javalin.router.JavalinDefaultRoutingApi;
import io.llmgateway.core.AdmissionListener;
import io.llmgateway.core.Gateway;
import io.llmgateway.core.catalog.LogicalModel;
import io.llmgateway.core.chat.ChatRequest;
import io.llmgateway.core.chat.ChatResponse;
import io.llmgateway.core.error.UnknownModelException;
import io.llmgateway.core.identity.Principal;
import io.llmgateway.server.ServerServices;
import io.llmgateway.server.http.Routes;
import java.io.IOException;
import java.util.List;

/**
 * The OpenAI-compatible API: {@code POST /v1/chat/completions} (and {@code /chat/completions}),
 * blocking or streamed, and {@code GET /v1/models} (and {@code /models}) listing only the models
 * the caller may use. Every chat request goes through the core: authenticate, authorize the model,
 * admit (rate limits, budget reservation, output cap), call, settle. Chat responses carry the
 * {@code x-ratelimit-*} headers ({@link RateLimitHeaders}). Thread-safe.
 */
public final class OpenAiRoutes implements Routes {
  private final ServerServices s;
  private final ChatWire wire;

  public OpenAiRoutes(ServerServices services) {
    this.s = services;
    this.wire = ChatWire.of(services);
  }

  @Override
  public void register(JavalinDefaultRoutingApi routes) {
    for (String prefix : List.of("/v1", "")) {
      routes.post(prefix + "/chat/completions", this::chat);
      routes.get(prefix + "/models", this::models);
      routes.get(prefix + "/models/{model}", this::model);
    }
  }

  @Override
  public List<String> openApiFragments() {
    return List.of("/openapi/openai.json");
  }

  private void chat(Context ctx) throws IOException {
    ModelCall<ChatRequest> call = ModelCall.read(s, ctx, wire.parser()::parse, ChatRequest::model);
    ChatRequest request = call.request();
    String completionId = Gateway.newRequestId();
    AdmissionListener admitted = call.admission(completionId);
    long created = s.clock().instant().getEpochSecond();
    if (request.stream()) {
      wire.streams().stream(
          ctx,
          admitted,
          listener -> s.gateway().chatStream(call.principal(), request, completionId, listener),
          wire.writer().chunks(completionId, request.model(), created, request.includeUsage()),
          completionId);
    } else {
      ChatResponse response = s.gateway().chat(call.principal(), request, completionId, admitted);
      ctx.contentType("application/json")
          .result(wire.writer().completion(completionId, request.model(), created, response));
    }
  }

  private void models(Context ctx) {
    Principal principal = s.auth().require(ctx);
    List<LogicalModel> models = s.gateway().models(principal);
    ctx.contentType("application/json")
        .result(
            s.json()
                .write(
                    g -> {
                      g.writeStartObject();
                      g.writeStringField("object", "list");
                      g.writeArrayFieldStart("data");
                      for (LogicalModel m : models) {
                        writeModel(g, m);
                      }
                      g.writeEndArray();
                      g.writeEndObject();
                    }));
  }

  private void model(Context ctx) {
    Principal principal = s.auth().require(ctx);
    String name = ctx.pathParam("model");
    LogicalModel model =
        s.gateway().models(principal).stream()
            .filter(m -> m.name().equals(name))
            .findFirst()
            .orElseThrow(() -> new UnknownModelException(name));
    ctx.contentType("application/json").result(s.json().write(g -> writeModel(g, model)));
  }

  private static void writeModel(com.fasterxml.jackson.core.JsonGenerator g, LogicalModel m)
      throws IOException {
    g.writeStartObject();
    g.writeStringField("id", m.name());
    g.writeStringField("object", "model");
    g.writeNumberField("created", 0);
    g.writeStringField("owned_by", "llm-gateway");
    g.writeEndObject();
  }
}

package io.llmgateway.server.openai;

import io.javalin.http.Context;
import io.javalin.router.JavalinDefaultRoutingApi;
import io.llmgateway.core.Gateway;
import io.llmgateway.core.embedding.EmbeddingResponse;
import io.llmgateway.server.ServerServices;
import io.llmgateway.server.http.Routes;
import java.io.IOException;
import java.util.List;

/**
 * {@code POST /v1/embeddings} (and {@code /embeddings}), OpenAI's embeddings API, through the core
 * as chat goes: authenticate, authorize the model, admit (rate limits, the worst-case input cost
 * reserved on every budget), call, settle (spend row with output 0). Errors in OpenAI's shape via
 * the shared error mapper; {@code x-ratelimit-*} headers as on chat. Thread-safe.
 */
public final class EmbeddingRoutes implements Routes {
  private final ServerServices s;
  private final EmbeddingRequestParser parser = new EmbeddingRequestParser();
  private final EmbeddingWriter writer;

  public EmbeddingRoutes(ServerServices services) {
    this.s = services;
    this.writer = new EmbeddingWriter(services.json());
  }

  @Override
  public void register(JavalinDefaultRoutingApi routes) {
    for (String prefix : List.of("/v1", "")) {
      routes.post(prefix + "/embeddings", this::embed);
    }
  }

  @Override
  public List<String> openApiFragments() {
    return List.of("/openapi/embeddings.json");
  }

  private void embed(Context ctx) throws IOException {
    ModelCall<EmbeddingRequestParser.Parsed> call =
        ModelCall.read(s, ctx, parser::parse, parsed -> parsed.request().model());
    EmbeddingRequestParser.Parsed parsed = call.request();
    String requestId = "embd-" + Gateway.newRequestId().substring("chatcmpl-".length());
    EmbeddingResponse response =
        s.gateway().embed(call.principal(), parsed.request(), requestId, call.admission(requestId));
    ctx.contentType("application/json")
        .result(writer.write(parsed.request().model(), response, parsed.encoding()));
  }
}

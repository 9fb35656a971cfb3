package io.llmgateway.server.openai;

import com.fasterxml.jackson.databind.JsonNode;
import io.javalin.http.Context;
import io.javalin.router.JavalinDefaultRoutingApi;
import io.llmgateway.core.AdmissionListener;
import io.llmgateway.core.Gateway;
import io.llmgateway.core.embedding.EmbeddingResponse;
import io.llmgateway.core.identity.Principal;
import io.llmgateway.server.ServerServices;
import io.llmgateway.server.http.BodyReader;
import io.llmgateway.server.http.RequestAttributes;
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
    // The key first, from the headers: nobody unauthenticated gets the server to buffer a body.
    Principal principal = s.auth().require(ctx);
    byte[] body =
        BodyReader.read(
            ctx, s.config().limits().maxBodyBytes(), s.config().http().requestTimeout());
    JsonNode json = s.json().parse(body);
    EmbeddingRequestParser.Parsed parsed = parser.parse(json);
    ctx.attribute(RequestAttributes.MODEL, parsed.request().model());
    RateLimitHeaders.configured(ctx, principal);
    AdmissionListener headers = RateLimitHeaders.onAdmission(ctx, s.clock());
    AdmissionListener admitted =
        grant -> {
          // From here the spend log has this request: the request log must not call it refused.
          ctx.attribute(RequestAttributes.ADMITTED, Boolean.TRUE);
          headers.admitted(grant);
        };
    String requestId = "embd-" + Gateway.newRequestId().substring("chatcmpl-".length());
    ctx.attribute(RequestAttributes.COMPLETION_ID, requestId);
    EmbeddingResponse response =
        s.gateway().embed(principal, parsed.request(), requestId, admitted);
    ctx.contentType("application/json")
        .result(writer.write(parsed.request().model(), response, parsed.encoding()));
  }
}

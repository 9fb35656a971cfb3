package io.llmgateway.server.openai;

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
import java.io.IOException;
import java.util.List;
import java.util.UUID;

/**
 * OpenAI's Responses API: {@code POST /v1/responses} (and {@code /responses}), blocking or streamed
 * (what the OpenAI Agents SDK and Codex CLI speak). The body is mapped onto the core's canonical
 * {@link ChatRequest} and answered through the same core admission as chat completions (key, model
 * allow-list, rate limits, worst-case reservation, output cap clamped to the budget, one spend row
 * under the response id); errors are OpenAI's envelope. Nothing is stored: see docs/SERVER.md
 * "Responses API". Thread-safe.
 */
public final class ResponsesRoutes implements Routes {
  private final ServerServices s;
  private final ResponsesRequestParser parser;
  private final ResponsesWriter writer;
  private final ResponsesStreamer streams;

  public ResponsesRoutes(ServerServices services) {
    this.s = services;
    this.parser = new ResponsesRequestParser(services.config().limits(), services.json().mapper());
    this.writer = new ResponsesWriter(services.json());
    this.streams =
        new ResponsesStreamer(
            services.errors(), services.inFlight(), services.config().http().sseHeartbeat());
  }

  @Override
  public void register(JavalinDefaultRoutingApi routes) {
    for (String prefix : List.of("/v1", "")) {
      routes.post(prefix + "/responses", this::create);
    }
  }

  @Override
  public List<String> openApiFragments() {
    return List.of("/openapi/responses.json");
  }

  private void create(Context ctx) throws IOException {
    // The key first, from the headers, as chat does: no body is read for an unauthenticated caller.
    Principal principal = s.auth().require(ctx);
    byte[] body =
        BodyReader.read(
            ctx, s.config().limits().maxBodyBytes(), s.config().http().requestTimeout());
    JsonNode json = s.json().parse(body);
    ResponsesRequest request = parser.parse(json);
    ctx.attribute(RequestAttributes.MODEL, request.model());
    RateLimitHeaders.configured(ctx, principal);
    AdmissionListener headers = RateLimitHeaders.onAdmission(ctx, s.clock());
    AdmissionListener admitted =
        grant -> {
          ctx.attribute(RequestAttributes.ADMITTED, Boolean.TRUE);
          headers.admitted(grant);
        };
    // The response id is the request id of the spend row, as chat's completion id is.
    String id = "resp_" + UUID.randomUUID().toString().replace("-", "");
    ctx.attribute(RequestAttributes.COMPLETION_ID, id);
    long created = s.clock().instant().getEpochSecond();
    ChatRequest chat = request.chat();
    if (chat.stream()) {
      streams.stream(
          ctx,
          admitted,
          listener -> s.gateway().chatStream(principal, chat, id, listener),
          new ResponsesEvents(writer.json(), id, created, request),
          id);
    } else {
      ChatResponse response = s.gateway().chat(principal, chat, id, admitted);
      ctx.contentType("application/json").result(writer.response(id, created, request, response));
    }
  }
}

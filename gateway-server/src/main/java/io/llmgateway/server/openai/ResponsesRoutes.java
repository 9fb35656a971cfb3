package io.llmgateway.server.openai;

import io.javalin.http.Context;
import io.javalin.router.JavalinDefaultRoutingApi;
import io.llmgateway.core.AdmissionListener;
import io.llmgateway.core.chat.ChatRequest;
import io.llmgateway.core.chat.ChatResponse;
import io.llmgateway.server.ServerServices;
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
  private final SseRelay streams;

  public ResponsesRoutes(ServerServices services) {
    this.s = services;
    this.parser = new ResponsesRequestParser(services.config().limits(), services.json().mapper());
    this.writer = new ResponsesWriter(services.json());
    this.streams = new SseRelay(services.inFlight(), services.config().http().sseHeartbeat());
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
    ModelCall<ResponsesRequest> call =
        ModelCall.read(s, ctx, parser::parse, ResponsesRequest::model);
    ResponsesRequest request = call.request();
    // The response id is the request id of the spend row, as chat's completion id is.
    String id = "resp_" + UUID.randomUUID().toString().replace("-", "");
    AdmissionListener admitted = call.admission(id);
    long created = s.clock().instant().getEpochSecond();
    ChatRequest chat = request.chat();
    if (chat.stream()) {
      streams.stream(
          ctx,
          admitted,
          listener -> s.gateway().chatStream(call.principal(), chat, id, listener),
          new ResponsesStreamEvents(
              ctx, s.errors().mapper(), new ResponsesEvents(writer.json(), id, created, request)),
          id);
    } else {
      ChatResponse response = s.gateway().chat(call.principal(), chat, id, admitted);
      ctx.contentType("application/json").result(writer.response(id, created, request, response));
    }
  }
}

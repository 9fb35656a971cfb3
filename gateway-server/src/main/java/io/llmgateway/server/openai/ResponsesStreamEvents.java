package io.llmgateway.server.openai;

import io.javalin.http.Context;
import io.llmgateway.core.error.GatewayException;
import io.llmgateway.server.http.ApiError;
import io.llmgateway.server.http.ErrorMapper;
import io.llmgateway.server.http.RequestAttributes;

/**
 * The Responses API's side of a relayed stream ({@link SseRelay}): its SSE events ({@link
 * ResponsesEvents}), {@code response.created} as the lead, and an upstream failure after the status
 * line as {@code response.failed} (after {@code response.created} if nothing was sent yet). Not
 * thread-safe: one per stream.
 */
record ResponsesStreamEvents(Context ctx, ErrorMapper mapper, ResponsesEvents encoder)
    implements SseRelay.Encoded {

  @Override
  public byte[][] end() {
    return new byte[][] {encoder.end()};
  }

  /**
   * {@code response.failed}: the error's message (safe: the mapper's, never upstream text beyond
   * it) under OpenAI's codes, {@code rate_limit_exceeded} for throttling, else {@code
   * server_error}.
   */
  @Override
  public byte[][] failed(GatewayException e) {
    ApiError api = mapper.map(e);
    ctx.attribute(RequestAttributes.ERROR_CODE, api.code());
    String code = api.status() == 429 ? "rate_limit_exceeded" : "server_error";
    return new byte[][] {encoder.failed(code, api.message() + " (" + api.code() + ")")};
  }

  @Override
  public byte[][] failedBeforeStream(GatewayException e) {
    byte[] start = encoder.start();
    return new byte[][] {start, failed(e)[0]};
  }
}

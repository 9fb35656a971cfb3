package io.llmgateway.server.anthropic;

import io.javalin.http.Context;
import io.llmgateway.core.error.GatewayException;
import io.llmgateway.server.http.ApiError;
import io.llmgateway.server.http.RequestAttributes;
import io.llmgateway.server.http.RequestIds;
import io.llmgateway.server.openai.SseRelay;
import java.io.ByteArrayOutputStream;

/**
 * Anthropic's side of a relayed stream ({@link SseRelay}, the OpenAI routes' skeleton: the same
 * heartbeat, an SSE comment Anthropic's clients skip): its events ({@link MessageEvents}), {@code
 * message_start} as the lead, sent as soon as the upstream answers, and a failure once the status
 * line is out as {@code event: error} with Anthropic's error body. Not thread-safe: one per stream.
 */
record MessageStreamEvents(Context ctx, AnthropicErrors errors, MessageEvents encoder)
    implements SseRelay.Encoded {

  /** {@code message_stop} went with the usage chunk: nothing more. */
  @Override
  public byte[][] end() {
    return SseRelay.NOTHING;
  }

  @Override
  public byte[][] failed(GatewayException e) {
    ApiError api = errors.map(e);
    ctx.attribute(RequestAttributes.ERROR_CODE, api.code());
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    MessageEvents.event(out, "error", errors.body(api, RequestIds.of(ctx)));
    return new byte[][] {out.toByteArray()};
  }

  /** {@code message_start} as soon as the first chunk arrives, even one that adds nothing. */
  @Override
  public boolean leadOnFirstChunk() {
    return true;
  }
}

package io.llmgateway.server.openai;

import io.javalin.http.Context;
import io.llmgateway.core.AdmissionListener;
import io.llmgateway.core.chat.ChatChunk;
import io.llmgateway.core.error.GatewayException;
import io.llmgateway.core.provider.ChatStream;
import io.llmgateway.server.http.ApiError;
import io.llmgateway.server.http.ErrorResponder;
import io.llmgateway.server.http.InFlight;
import io.llmgateway.server.http.RequestAttributes;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Optional;
import java.util.function.Function;

/**
 * Streams chat completions ({@link SseRelay}) in OpenAI's chunk format: {@code data: <chunk>} per
 * chunk, the role chunk with the first, {@code data: [DONE]} at the end, and an upstream failure
 * once the status line is out as {@code data: <OpenAI error>}. Used by the API and the UI
 * playground. Stateless; one call per request.
 */
public final class StreamResponder {
  private static final byte[] DATA = "data: ".getBytes(StandardCharsets.US_ASCII);
  private static final byte[] END = "\n\n".getBytes(StandardCharsets.US_ASCII);
  private static final byte[] DONE = "data: [DONE]\n\n".getBytes(StandardCharsets.US_ASCII);

  private final ErrorResponder errors;
  private final SseRelay relay;

  public StreamResponder(ErrorResponder errors, InFlight inFlight, Duration heartbeat) {
    this.errors = errors;
    this.relay = new SseRelay(inFlight, heartbeat);
  }

  /** Relays the stream {@code start} opens (see {@link SseRelay#stream}). */
  public SseRelay.Outcome stream(
      Context ctx,
      AdmissionListener admitted,
      Function<AdmissionListener, ChatStream> start,
      ChatCompletionWriter.StreamChunks chunks,
      String requestId) {
    return relay.stream(ctx, admitted, start, new Events(ctx, errors, chunks), requestId);
  }

  private record Events(
      Context ctx, ErrorResponder errors, ChatCompletionWriter.StreamChunks chunks)
      implements SseRelay.Events {
    @Override
    public byte[][] lead() {
      return new byte[][] {DATA, chunks.role(), END};
    }

    @Override
    public byte[][] of(ChatChunk chunk) {
      Optional<byte[]> bytes = chunks.of(chunk);
      return bytes.isPresent() ? new byte[][] {DATA, bytes.get(), END} : SseRelay.NOTHING;
    }

    @Override
    public byte[][] end() {
      return new byte[][] {DONE};
    }

    @Override
    public byte[][] failed(GatewayException e) {
      // Recorded for the access log and the request's span, as the other two APIs' streams do.
      ApiError api = errors.mapper().map(e);
      ctx.attribute(RequestAttributes.ERROR_CODE, api.code());
      return new byte[][] {DATA, errors.body(api), END};
    }
  }
}

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
import java.io.IOException;
import java.time.Duration;
import java.util.Optional;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Relays a core {@link ChatStream} as the Responses API's SSE events ({@link ResponsesEvents}), the
 * way {@link StreamResponder} relays chat chunks and with the same guarantees: refusals before
 * admission keep their HTTP status; {@code response.created} goes out with the first answer piece
 * (one write); the {@code : ping} heartbeat of {@link SseChannel}; a client that goes away closes
 * the stream (drain for usage, cancel, settle); an upstream failure after the status line becomes
 * {@code response.failed} and the stream, closed, settles itself as chat's does. Stateless; one
 * call per request, on the request's (virtual) thread.
 */
final class ResponsesStreamer {
  private static final Logger log = LoggerFactory.getLogger(ResponsesStreamer.class);

  private final ErrorResponder errors;
  private final InFlight inFlight;
  private final Duration heartbeat;
  private final Heartbeats heartbeats;

  ResponsesStreamer(ErrorResponder errors, InFlight inFlight, Duration heartbeat) {
    this.errors = errors;
    this.inFlight = inFlight;
    this.heartbeat = heartbeat;
    this.heartbeats = new Heartbeats(heartbeat);
  }

  StreamResponder.Outcome stream(
      Context ctx,
      AdmissionListener admitted,
      Function<AdmissionListener, ChatStream> start,
      ResponsesEvents events,
      String requestId) {
    try (SseChannel sse = new SseChannel(ctx, heartbeat, heartbeats)) {
      ChatStream stream;
      try {
        stream = start.apply(sse.admission(admitted));
      } catch (GatewayException e) {
        if (!sse.committed()) {
          throw e;
        }
        log.warn("request {} upstream failed before its first chunk: {}", requestId, e.code());
        sse.write(events.start(), failed(ctx, events, e));
        return StreamResponder.Outcome.UPSTREAM_FAILED;
      }
      return relay(ctx, sse, stream, events, requestId);
    }
  }

  private StreamResponder.Outcome relay(
      Context ctx, SseChannel out, ChatStream stream, ResponsesEvents events, String id) {
    inFlight.opened(stream);
    try (stream) {
      byte[] lead = events.start();
      while (true) {
        Optional<ChatChunk> next;
        try {
          next = stream.next();
        } catch (GatewayException e) {
          log.warn("request {} upstream failed mid-stream: {}", id, e.code());
          out.write(lead, failed(ctx, events, e));
          return StreamResponder.Outcome.UPSTREAM_FAILED;
        }
        if (next.isEmpty()) {
          out.write(lead, events.end());
          // Completing the response here sends the last event before the request counts as done.
          out.finish();
          return StreamResponder.Outcome.COMPLETED;
        }
        byte[] piece = events.of(next.get());
        if (piece.length > 0) {
          if (!out.write(lead, piece)) {
            log.info("request {} client disconnected mid-stream; upstream cancelled", id);
            return StreamResponder.Outcome.CLIENT_GONE;
          }
          lead = NOTHING;
        }
      }
    } catch (RuntimeException e) {
      // Headers are out: nothing sensible can be sent. The stream was closed (and settled).
      log.error("request {} stream failed", id, e);
      return StreamResponder.Outcome.UPSTREAM_FAILED;
    } catch (IOException e) {
      return StreamResponder.Outcome.CLIENT_GONE;
    } finally {
      inFlight.closed(stream);
    }
  }

  private static final byte[] NOTHING = {};

  /**
   * {@code response.failed}: the error's message (safe: the mapper's, never upstream text beyond
   * it) under OpenAI's codes, {@code rate_limit_exceeded} for throttling, else {@code
   * server_error}.
   */
  private byte[] failed(Context ctx, ResponsesEvents events, GatewayException e) {
    ApiError api = errors.mapper().map(e);
    ctx.attribute(RequestAttributes.ERROR_CODE, api.code());
    String code = api.status() == 429 ? "rate_limit_exceeded" : "server_error";
    return events.failed(code, api.message() + " (" + api.code() + ")");
  }
}

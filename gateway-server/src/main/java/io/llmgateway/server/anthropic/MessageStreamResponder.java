package io.llmgateway.server.anthropic;

import io.javalin.http.Context;
import io.llmgateway.core.AdmissionListener;
import io.llmgateway.core.chat.ChatChunk;
import io.llmgateway.core.error.GatewayException;
import io.llmgateway.core.provider.ChatStream;
import io.llmgateway.server.http.ApiError;
import io.llmgateway.server.http.InFlight;
import io.llmgateway.server.http.RequestAttributes;
import io.llmgateway.server.openai.Heartbeats;
import io.llmgateway.server.openai.SseChannel;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.time.Duration;
import java.util.Optional;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Relays a core {@link ChatStream} as Anthropic's server-sent events ({@link MessageEvents}) over
 * the OpenAI route's {@link SseChannel}: the same heartbeat (an SSE comment, which Anthropic's
 * clients skip), the same rule that refusals before admission stay real HTTP statuses, and the same
 * settlement (the stream is always closed: a client gone mid-stream drains and cancels the
 * upstream). A failure once the status line is out goes as {@code event: error} with Anthropic's
 * error body. Stateless; one call per request.
 */
final class MessageStreamResponder {
  private static final Logger log = LoggerFactory.getLogger(MessageStreamResponder.class);

  private final AnthropicErrors errors;
  private final InFlight inFlight;
  private final Duration heartbeat;
  private final Heartbeats heartbeats;

  MessageStreamResponder(AnthropicErrors errors, InFlight inFlight, Duration heartbeat) {
    this.errors = errors;
    this.inFlight = inFlight;
    this.heartbeat = heartbeat;
    this.heartbeats = new Heartbeats(heartbeat);
  }

  void stream(
      Context ctx,
      AdmissionListener admitted,
      Function<AdmissionListener, ChatStream> start,
      MessageEvents events,
      String id) {
    try (SseChannel sse = new SseChannel(ctx, heartbeat, heartbeats)) {
      ChatStream stream;
      try {
        stream = start.apply(sse.admission(admitted));
      } catch (GatewayException e) {
        if (!sse.committed()) {
          throw e;
        }
        log.warn("request {} upstream failed before its first chunk: {}", id, e.code());
        sse.write(error(ctx, e));
        return;
      }
      relay(ctx, sse, stream, events, id);
    }
  }

  private void relay(
      Context ctx, SseChannel out, ChatStream stream, MessageEvents events, String id) {
    inFlight.opened(stream);
    try (stream) {
      // message_start goes out with whatever comes first: one write before the first token.
      byte[] lead = events.start();
      while (true) {
        Optional<ChatChunk> next;
        try {
          next = stream.next();
        } catch (GatewayException e) {
          log.warn("request {} upstream failed mid-stream: {}", id, e.code());
          out.write(lead, error(ctx, e));
          return;
        }
        if (next.isEmpty()) {
          out.write(lead);
          out.finish();
          return;
        }
        byte[] bytes = events.of(next.get());
        if (bytes.length > 0 || lead.length > 0) {
          if (!out.write(lead, bytes)) {
            log.info("request {} client disconnected mid-stream; upstream cancelled", id);
            return;
          }
          lead = new byte[0];
        }
      }
    } catch (RuntimeException e) {
      // Headers are out: nothing sensible can be sent. The stream was closed (and settled).
      log.error("request {} stream failed", id, e);
    } catch (IOException e) {
      // the client is gone
    } finally {
      inFlight.closed(stream);
    }
  }

  private byte[] error(Context ctx, GatewayException e) {
    ApiError api = errors.map(e);
    ctx.attribute(RequestAttributes.ERROR_CODE, api.code());
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    MessageEvents.event(out, "error", errors.body(api, id(ctx)));
    return out.toByteArray();
  }

  private static String id(Context ctx) {
    return io.llmgateway.server.http.RequestIds.of(ctx);
  }
}

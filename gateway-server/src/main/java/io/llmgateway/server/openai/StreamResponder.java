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
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Optional;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Relays a core {@link ChatStream} to the client as Server-Sent Events in OpenAI's chunk format,
 * ending with {@code data: [DONE]}, with a {@code : ping} comment whenever nothing was sent for the
 * heartbeat interval ({@link SseChannel}). The stream is always closed: when the client goes away
 * (a write fails) closing it drains the upstream for its usage (bounded), cancels it and settles;
 * when the upstream fails mid-stream an error event is sent (the status line is already out) and
 * the stream has settled itself. Stateless; one call per request, on the request's (virtual)
 * thread.
 */
public final class StreamResponder {
  private static final Logger log = LoggerFactory.getLogger(StreamResponder.class);
  private static final byte[] DATA = "data: ".getBytes(StandardCharsets.US_ASCII);
  private static final byte[] END = "\n\n".getBytes(StandardCharsets.US_ASCII);
  private static final byte[] DONE = "data: [DONE]\n\n".getBytes(StandardCharsets.US_ASCII);

  private final ErrorResponder errors;
  private final InFlight inFlight;
  private final Duration heartbeat;
  private final Heartbeats heartbeats;

  public StreamResponder(ErrorResponder errors, InFlight inFlight, Duration heartbeat) {
    this.errors = errors;
    this.inFlight = inFlight;
    this.heartbeat = heartbeat;
    this.heartbeats = new Heartbeats(heartbeat);
  }

  /** Outcome of a relayed stream, for logs and tests. */
  public enum Outcome {
    COMPLETED,
    CLIENT_GONE,
    UPSTREAM_FAILED
  }

  /**
   * Starts the stream with {@code start} (given the admission listener to pass to the core) and
   * relays it. A failure before the stream exists propagates as an ordinary HTTP error unless the
   * heartbeat already committed the response; then it becomes an error event.
   */
  public Outcome stream(
      Context ctx,
      AdmissionListener admitted,
      Function<AdmissionListener, ChatStream> start,
      ChatCompletionWriter.StreamChunks chunks,
      String requestId) {
    try (SseChannel sse = new SseChannel(ctx, heartbeat, heartbeats)) {
      ChatStream stream;
      try {
        stream = start.apply(sse.admission(admitted));
      } catch (GatewayException e) {
        if (!sse.committed()) {
          throw e;
        }
        ApiError api = errors.mapper().map(e);
        ctx.attribute(RequestAttributes.ERROR_CODE, api.code());
        log.warn("request {} upstream failed before its first chunk: {}", requestId, e.code());
        sse.write(DATA, errors.body(api), END);
        return Outcome.UPSTREAM_FAILED;
      }
      return relay(sse, stream, chunks, requestId);
    }
  }

  private Outcome relay(
      SseChannel out, ChatStream stream, ChatCompletionWriter.StreamChunks chunks, String id) {
    inFlight.opened(stream);
    try (stream) {
      // The role chunk goes out with whatever comes first (the first answer chunk is already read
      // when the stream opens): one write and one flush before the first token, not two.
      byte[][] lead = {DATA, chunks.role(), END};
      while (true) {
        Optional<ChatChunk> next;
        try {
          next = stream.next();
        } catch (GatewayException e) {
          ApiError api = errors.mapper().map(e);
          log.warn("request {} upstream failed mid-stream: {}", id, e.code());
          out.write(join(lead, DATA, errors.body(api), END));
          return Outcome.UPSTREAM_FAILED;
        }
        if (next.isEmpty()) {
          out.write(join(lead, DONE));
          // Completing the response here sends the last chunk before the request counts as done.
          out.finish();
          return Outcome.COMPLETED;
        }
        Optional<byte[]> chunk = chunks.of(next.get());
        if (chunk.isPresent()) {
          if (!out.write(join(lead, DATA, chunk.get(), END))) {
            log.info("request {} client disconnected mid-stream; upstream cancelled", id);
            return Outcome.CLIENT_GONE;
          }
          lead = NOTHING;
        }
      }
    } catch (RuntimeException e) {
      // Headers are out: nothing sensible can be sent. The stream was closed (and settled).
      log.error("request {} stream failed", id, e);
      return Outcome.UPSTREAM_FAILED;
    } catch (IOException e) {
      return Outcome.CLIENT_GONE;
    } finally {
      inFlight.closed(stream);
    }
  }

  private static final byte[][] NOTHING = {};

  private static byte[][] join(byte[][] lead, byte[]... parts) {
    if (lead.length == 0) {
      return parts;
    }
    byte[][] all = new byte[lead.length + parts.length][];
    System.arraycopy(lead, 0, all, 0, lead.length);
    System.arraycopy(parts, 0, all, lead.length, parts.length);
    return all;
  }
}

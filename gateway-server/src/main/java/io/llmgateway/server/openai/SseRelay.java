package io.llmgateway.server.openai;

import io.javalin.http.Context;
import io.llmgateway.core.AdmissionListener;
import io.llmgateway.core.chat.ChatChunk;
import io.llmgateway.core.error.GatewayException;
import io.llmgateway.core.provider.ChatStream;
import io.llmgateway.server.http.InFlight;
import java.io.IOException;
import java.time.Duration;
import java.util.Optional;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Relays a core {@link ChatStream} to the client as Server-Sent Events over an {@link SseChannel},
 * the one skeleton of every streamed model route (chat completions, the Responses API, Anthropic
 * Messages); only the {@link Events} differ. Refusals before admission stay real HTTP statuses (the
 * heartbeat starts at admission); the API's lead (chat's role chunk, {@code response.created},
 * {@code message_start}) goes out with whatever comes first, in one write; the stream is always
 * closed: when the client goes away (a write fails) closing it drains the upstream for its usage
 * (bounded), cancels it and settles; an upstream failure once the status line is out becomes the
 * API's error event and the stream, closed, has settled itself. Stateless; one call per request, on
 * the request's (virtual) thread.
 */
public final class SseRelay {
  private static final Logger log = LoggerFactory.getLogger(SseRelay.class);

  /** No parts: nothing to send. */
  public static final byte[][] NOTHING = {};

  /** Outcome of a relayed stream, for logs and tests. */
  public enum Outcome {
    COMPLETED,
    CLIENT_GONE,
    UPSTREAM_FAILED
  }

  /**
   * One API's events for one stream. Each method answers the parts of what to send, written in
   * order in one write (none: nothing to send). Not thread-safe: one per stream.
   */
  public interface Events {
    /** What goes out with the first piece, the end or a mid-stream failure; called once. */
    byte[][] lead();

    /** The events of one canonical chunk. */
    byte[][] of(ChatChunk chunk);

    /** What ends a completed stream, after the last chunk's events. */
    byte[][] end();

    /** The error event of an upstream failure mid-stream. */
    byte[][] failed(GatewayException e);

    /**
     * The error of an upstream failure once the heartbeat committed the 200 but before the stream
     * existed (no lead was sent).
     */
    default byte[][] failedBeforeStream(GatewayException e) {
      return failed(e);
    }

    /** Whether the lead goes out with the first chunk even when that chunk adds nothing. */
    default boolean leadOnFirstChunk() {
      return false;
    }
  }

  /** An API's stream encoder that answers each step as one byte array (empty: nothing). */
  public interface Encoder {
    /** The events that open the stream. */
    byte[] start();

    /** The events of one canonical chunk. */
    byte[] of(ChatChunk chunk);
  }

  /** {@link Events} whose lead and chunks are an {@link Encoder}'s. */
  public interface Encoded extends Events {
    Encoder encoder();

    @Override
    default byte[][] lead() {
      return new byte[][] {encoder().start()};
    }

    @Override
    default byte[][] of(ChatChunk chunk) {
      return parts(encoder().of(chunk));
    }
  }

  /** {@code bytes} as the one part to send; none if empty. */
  public static byte[][] parts(byte[] bytes) {
    return bytes.length > 0 ? new byte[][] {bytes} : NOTHING;
  }

  private final InFlight inFlight;
  private final Duration heartbeat;
  private final Heartbeats heartbeats;

  public SseRelay(InFlight inFlight, Duration heartbeat) {
    this.inFlight = inFlight;
    this.heartbeat = heartbeat;
    this.heartbeats = new Heartbeats(heartbeat);
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
      Events events,
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
        sse.write(events.failedBeforeStream(e));
        return Outcome.UPSTREAM_FAILED;
      }
      return relay(sse, stream, events, requestId);
    }
  }

  private Outcome relay(SseChannel out, ChatStream stream, Events events, String id) {
    inFlight.opened(stream);
    try (stream) {
      // The lead goes out with whatever comes first (the first answer chunk is already read when
      // the stream opens): one write and one flush before the first token, not two.
      byte[][] lead = events.lead();
      while (true) {
        Optional<ChatChunk> next;
        try {
          next = stream.next();
        } catch (GatewayException e) {
          log.warn("request {} upstream failed mid-stream: {}", id, e.code());
          out.write(join(lead, events.failed(e)));
          return Outcome.UPSTREAM_FAILED;
        }
        if (next.isEmpty()) {
          out.write(join(lead, events.end()));
          // Completing the response here sends the last event before the request counts as done.
          out.finish();
          return Outcome.COMPLETED;
        }
        byte[][] piece = events.of(next.get());
        if (piece.length > 0 || (lead.length > 0 && events.leadOnFirstChunk())) {
          if (!out.write(join(lead, piece))) {
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

  private static byte[][] join(byte[][] lead, byte[][] parts) {
    if (lead.length == 0) {
      return parts;
    }
    byte[][] all = new byte[lead.length + parts.length][];
    System.arraycopy(lead, 0, all, 0, lead.length);
    System.arraycopy(parts, 0, all, lead.length, parts.length);
    return all;
  }
}

package io.llmgateway.bedrock;

import com.fasterxml.jackson.databind.JsonNode;
import io.llmgateway.core.catalog.Deployment;
import io.llmgateway.core.chat.ChatChunk;
import io.llmgateway.core.chat.TokenUsage;
import io.llmgateway.core.error.GatewayException;
import io.llmgateway.core.error.ProviderUnavailableException;
import io.llmgateway.core.error.ProviderUnavailableException.Kind;
import io.llmgateway.core.provider.ChatStream;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Optional;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import software.amazon.awssdk.eventstream.Message;

/**
 * One ConverseStream call as the core's blocking pull {@link ChatStream}: {@link #next()} reads the
 * next event-stream frame from the HTTP response on the caller's (virtual) thread and translates
 * it. Nothing is buffered beyond the socket, so a slow reader slows the upstream (TCP flow
 * control).
 *
 * <p>Timeouts: while a read is in progress it has a deadline (first byte until the first event,
 * then the idle timeout between events, never past the call timeout). One watchdog task per stream
 * re-arms itself for the current deadline and aborts the exchange when a read outlives it; a read
 * costs two volatile writes, not a timer. Aborting (timeout, failure, {@link #close()}) shuts the
 * connection, so it is never reused, and the upstream sees the client go.
 *
 * <p>{@link #next()} is for one reader thread; {@link #close()} and {@link #usageSoFar()} may be
 * called from any thread (closing wakes a blocked reader, whose {@code next()} then returns empty).
 */
final class BedrockChatStream implements ChatStream {
  private final BedrockHttp http;
  private final StreamTranslator translator;
  private final long firstByteNanos;
  private final long idleNanos;
  private final long deadlineNanos;
  private final ArrayDeque<ChatChunk> pending = new ArrayDeque<>();
  private final AtomicBoolean closed = new AtomicBoolean();
  private volatile BedrockHttp.Exchange exchange;
  private final Object watchLock = new Object();
  private ScheduledFuture<?> watchdog; // guarded by watchLock

  /** When the watchdog runs next (System.nanoTime). */
  private volatile long checkAt;

  /** The running read's deadline (System.nanoTime), or 0 when no read is running. */
  private volatile long readDeadline;

  private volatile String readTimeoutMessage;
  private volatile boolean done;
  private EventStreamFrames frames;
  private boolean sawEvent;
  private boolean ended;
  private GatewayException failure;

  private BedrockChatStream(BedrockHttp http, StreamTranslator translator, BedrockSettings s) {
    this.http = http;
    this.translator = translator;
    this.firstByteNanos = s.firstByteTimeout().toNanos();
    this.idleNanos = s.streamIdleTimeout().toNanos();
    this.deadlineNanos = System.nanoTime() + s.callTimeout().toNanos();
  }

  /**
   * Sends the call and waits for the first chunk, so that failures before anything reached the
   * caller (HTTP errors, connect failures, an exception frame first, first-byte timeout) are thrown
   * here, where the gateway may still retry or fail over.
   */
  static BedrockChatStream open(
      BedrockHttp http, Deployment d, ConverseCall call, BedrockSettings settings) {
    BedrockChatStream s =
        new BedrockChatStream(
            http, new StreamTranslator(call.jsonMode(), call.estimatedInputTokens()), settings);
    BedrockHttp.Exchange x;
    try {
      x = http.prepare(d, call, true);
    } catch (RuntimeException e) {
      throw BedrockErrors.unauthenticated(e);
    }
    s.exchange = x;
    try {
      s.beginRead();
      x.execute();
      s.endRead();
      if (x.status() != 200) {
        throw s.fail(x.error());
      }
      s.frames = new EventStreamFrames(x.body());
      s.fill();
      return s;
    } catch (IOException | RuntimeException e) {
      s.endRead();
      GatewayException g = e instanceof GatewayException ge ? ge : s.readFailure(e);
      s.close();
      throw g == null ? BedrockErrors.map(e) : g;
    }
  }

  @Override
  public Optional<ChatChunk> next() {
    if (closed.get()) {
      return Optional.empty();
    }
    fill();
    return Optional.ofNullable(pending.poll());
  }

  /** Reads frames until a chunk is pending or the stream has ended; throws on failure. */
  private void fill() {
    if (failure != null) {
      throw failure;
    }
    while (pending.isEmpty() && !ended) {
      Message m;
      try {
        beginRead();
        m = frames.next();
      } catch (IOException | RuntimeException e) {
        endRead();
        GatewayException g = readFailure(e);
        if (g == null) {
          ended = true;
          return;
        }
        throw fail(g);
      }
      endRead();
      if (m == null) {
        exchange.markComplete();
        finishNormally();
      } else {
        handle(m);
      }
    }
  }

  private void handle(Message m) {
    String kind = EventStreamFrames.header(m, ":message-type");
    if ("exception".equals(kind)) {
      throw fail(
          BedrockErrors.fromStreamException(
              EventStreamFrames.header(m, ":exception-type"), m.getPayload()));
    }
    if ("error".equals(kind)) {
      throw fail(
          BedrockErrors.fromStreamError(
              EventStreamFrames.header(m, ":error-code"),
              EventStreamFrames.header(m, ":error-message")));
    }
    String type = EventStreamFrames.header(m, ":event-type");
    if (!"event".equals(kind) || type == null) {
      return;
    }
    sawEvent = true;
    try {
      JsonNode payload = Json.MAPPER.readTree(m.getPayload());
      pending.addAll(
          translator.on(type, payload == null ? Json.MAPPER.createObjectNode() : payload));
    } catch (GatewayException g) {
      throw fail(g);
    } catch (IOException | RuntimeException unreadable) {
      throw fail(BedrockErrors.map(unreadable));
    }
  }

  /** The error for a failed read, or null when the stream was closed on purpose. */
  private GatewayException readFailure(Exception e) {
    if (closed.get()) {
      return null;
    }
    BedrockHttp.Exchange x = exchange;
    String timeout = x == null ? null : x.abortReason();
    if (timeout != null) {
      return new ProviderUnavailableException(Kind.TIMEOUT, true, timeout, null, e);
    }
    if (e instanceof EventStreamFrames.MalformedFrameException) {
      return new ProviderUnavailableException(
          Kind.BAD_RESPONSE, true, "Bedrock sent a malformed event stream", null, e);
    }
    return BedrockErrors.map(e);
  }

  private void finishNormally() {
    ended = true;
    cancelWatchdog();
    try {
      translator.end();
    } catch (GatewayException g) {
      throw fail(g);
    }
  }

  /** Records the failure (later next() calls rethrow it), stops the upstream, returns it. */
  private GatewayException fail(GatewayException g) {
    ended = true;
    failure = g;
    stopUpstream();
    return g;
  }

  private void beginRead() {
    long now = System.nanoTime();
    long phase = sawEvent ? idleNanos : firstByteNanos;
    boolean callBound = deadlineNanos - now < phase;
    readTimeoutMessage =
        callBound
            ? "Bedrock's stream exceeded the call timeout"
            : sawEvent
                ? "Bedrock's stream was idle for longer than " + phase / 1_000_000 + " ms"
                : "Bedrock sent no stream event within " + phase / 1_000_000 + " ms";
    long deadline = callBound ? deadlineNanos : now + phase;
    readDeadline = deadline == 0 ? 1 : deadline;
    // Usually the watchdog is due before this deadline already; it must be moved only when a
    // shorter phase starts (the first idle wait after a longer first-byte wait) or at the start.
    if (watchdog == null || deadline - checkAt < 0) {
      synchronized (watchLock) {
        if (!done && (watchdog == null || deadline - checkAt < 0)) {
          arm(deadline, now);
        }
      }
    }
  }

  private void arm(long at, long now) {
    ScheduledFuture<?> old = watchdog;
    checkAt = at;
    watchdog = http.schedule(this::watch, Duration.ofNanos(Math.max(0, at - now)));
    if (old != null) {
      old.cancel(false);
    }
  }

  private void endRead() {
    readDeadline = 0;
  }

  /** The watchdog: aborts a read past its deadline, else re-arms for the current deadline. */
  private void watch() {
    synchronized (watchLock) {
      if (done || closed.get()) {
        return;
      }
      long deadline = readDeadline;
      long now = System.nanoTime();
      if (deadline != 0 && now - deadline >= 0) {
        exchange.abort(readTimeoutMessage);
        return;
      }
      arm(deadline != 0 ? deadline : now + Math.min(idleNanos, firstByteNanos), now);
    }
  }

  private void cancelWatchdog() {
    synchronized (watchLock) {
      done = true;
      if (watchdog != null) {
        watchdog.cancel(false);
      }
    }
  }

  private void stopUpstream() {
    cancelWatchdog();
    BedrockHttp.Exchange x = exchange;
    if (x != null) {
      x.close();
    }
  }

  @Override
  public Optional<TokenUsage> usageSoFar() {
    return translator.usageSoFar();
  }

  @Override
  public void close() {
    if (closed.compareAndSet(false, true)) {
      stopUpstream();
    }
  }
}

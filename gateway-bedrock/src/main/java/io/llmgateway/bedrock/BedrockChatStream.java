package io.llmgateway.bedrock;

import com.fasterxml.jackson.databind.JsonNode;
import io.llmgateway.core.catalog.Deployment;
import io.llmgateway.core.chat.ChatChunk;
import io.llmgateway.core.chat.TokenUsage;
import io.llmgateway.core.error.Billing;
import io.llmgateway.core.error.GatewayException;
import io.llmgateway.core.error.ProviderUnavailableException;
import io.llmgateway.core.error.ProviderUnavailableException.Kind;
import io.llmgateway.core.provider.ChatStream;
import java.io.IOException;
import java.util.ArrayDeque;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import software.amazon.awssdk.eventstream.Message;

/**
 * One ConverseStream call as the core's blocking pull {@link ChatStream}: {@link #next()} reads the
 * next event-stream frame from the HTTP response on the caller's (virtual) thread and translates
 * it. Nothing is buffered beyond the socket, so a slow reader slows the upstream (TCP flow
 * control).
 *
 * <p>Timeouts: while a read is in progress it has a deadline (first byte until the first event,
 * then the idle timeout between events, never past the call timeout). The stream is registered with
 * {@link Deadlines}, whose ticking thread aborts the exchange when a read outlives its deadline; a
 * read costs two volatile writes, not a timer. Aborting (timeout, failure, {@link #close()}) shuts
 * the connection, so it is never reused, and the upstream sees the client go.
 *
 * <p>{@link #next()} is for one reader thread; {@link #close()} and {@link #usageSoFar()} may be
 * called from any thread (closing wakes a blocked reader, whose {@code next()} then returns empty).
 */
final class BedrockChatStream implements ChatStream, Deadlines.Watched {
  private final BedrockHttp http;
  private final StreamTranslator translator;
  private static final String CALL_TIMEOUT = "Bedrock's stream exceeded the call timeout";

  private final long idleNanos;
  private final long firstEventDeadline;
  private final long deadlineNanos;
  private final String firstByteMessage;
  private final String idleMessage;
  private final ArrayDeque<ChatChunk> pending = new ArrayDeque<>();
  private final AtomicBoolean closed = new AtomicBoolean();
  private volatile BedrockHttp.Exchange exchange;

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
    long start = System.nanoTime();
    this.idleNanos = s.streamIdleTimeout().toNanos();
    this.firstEventDeadline = start + s.firstByteTimeout().toNanos();
    this.deadlineNanos = start + s.callTimeout().toNanos();
    this.firstByteMessage =
        "Bedrock sent no stream event within " + s.firstByteTimeout().toMillis() + " ms";
    this.idleMessage =
        "Bedrock's stream was idle for longer than " + s.streamIdleTimeout().toMillis() + " ms";
  }

  /**
   * Sends the call and waits for the first chunk, so that failures before anything reached the
   * caller (HTTP errors, connect failures, an exception frame first, first-byte timeout) are thrown
   * here, where the gateway may still retry or fail over.
   */
  static BedrockChatStream open(
      BedrockHttp http, Deployment d, ConverseCall call, BedrockSettings settings) {
    BedrockChatStream s =
        new BedrockChatStream(http, new StreamTranslator(call.jsonMode()), settings);
    BedrockHttp.Exchange x = http.prepare(d, call, true);
    s.exchange = x;
    try {
      s.beginRead();
      http.deadlines().add(s);
      x.execute();
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
      throw g == null ? TransportErrors.map(e, x.requestSent()) : g;
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
      throw fail(TransportErrors.map(unreadable, true));
    }
  }

  /**
   * The error for a failed read, or null when the stream was closed on purpose. Once the request
   * went out, any failure may follow billed work (a first-byte timeout, a reset, a cut stream).
   */
  private GatewayException readFailure(Exception e) {
    if (closed.get()) {
      return null;
    }
    BedrockHttp.Exchange x = exchange;
    boolean sent = x != null && x.requestSent();
    String timeout = x == null ? null : x.abortReason();
    if (timeout != null) {
      return TransportErrors.timeout(timeout, sent ? Billing.MAYBE_BILLED : Billing.NOT_BILLED, e);
    }
    if (e instanceof EventStreamFrames.MalformedFrameException) {
      return new ProviderUnavailableException(
          Kind.BAD_RESPONSE,
          Billing.MAYBE_BILLED,
          true,
          "Bedrock sent a malformed event stream",
          null,
          e);
    }
    return TransportErrors.map(e, sent);
  }

  private void finishNormally() {
    ended = true;
    stopWatching();
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

  /**
   * Arms the running read's deadline: until the first event the first-byte deadline counted from
   * the request (response headers and first frame share it), then the idle timeout from now; never
   * past the call deadline.
   */
  private void beginRead() {
    long phaseEnd = sawEvent ? System.nanoTime() + idleNanos : firstEventDeadline;
    boolean callBound = deadlineNanos - phaseEnd < 0;
    readTimeoutMessage = callBound ? CALL_TIMEOUT : sawEvent ? idleMessage : firstByteMessage;
    long deadline = callBound ? deadlineNanos : phaseEnd;
    readDeadline = deadline == 0 ? 1 : deadline;
  }

  private void endRead() {
    readDeadline = 0;
  }

  /** On the deadline thread: aborts a read past its deadline. */
  @Override
  public boolean check(long now) {
    if (done || closed.get()) {
      return false;
    }
    long deadline = readDeadline;
    if (deadline != 0 && now - deadline >= 0) {
      exchange.abort(readTimeoutMessage);
      return false;
    }
    return true;
  }

  private void stopWatching() {
    done = true;
    http.deadlines().remove(this);
  }

  private void stopUpstream() {
    stopWatching();
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

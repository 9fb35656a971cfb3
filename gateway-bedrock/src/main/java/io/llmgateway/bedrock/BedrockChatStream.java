package io.llmgateway.bedrock;

import io.llmgateway.core.chat.ChatChunk;
import io.llmgateway.core.chat.TokenUsage;
import io.llmgateway.core.error.GatewayException;
import io.llmgateway.core.error.ProviderUnavailableException;
import io.llmgateway.core.provider.ChatStream;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Optional;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.reactivestreams.Subscriber;
import org.reactivestreams.Subscription;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.services.bedrockruntime.model.ConverseStreamOutput;
import software.amazon.awssdk.services.bedrockruntime.model.ConverseStreamResponseHandler;

/**
 * Bridges the SDK's asynchronous ConverseStream handler into the core's blocking pull {@link
 * ChatStream}.
 *
 * <p>The queue is bounded without ever blocking the SDK's event-loop thread: the subscriber asks
 * for {@link #WINDOW} events up front and for one more each time the reader takes one, so queued
 * plus requested events never exceed the window and {@code offer} always finds room (terminal
 * signals have reserved slots). The reader waits with a timeout (first byte, then idle between
 * events, bounded by the call timeout), so neither side can wait on the other forever.
 *
 * <p>{@link #next()} is for one reader thread; {@link #close()} and {@link #usageSoFar()} may be
 * called from any thread. Closing cancels the HTTP call and the subscription.
 */
final class BedrockChatStream implements ChatStream {
  private static final Logger LOG = LoggerFactory.getLogger(BedrockChatStream.class);
  static final int WINDOW = 64;

  private sealed interface Signal {}

  private record Event(ConverseStreamOutput event) implements Signal {}

  private record Failed(Throwable failure) implements Signal {}

  private enum Marker implements Signal {
    COMPLETED,
    CALL_DONE,
    CLOSED
  }

  private final BlockingQueue<Signal> queue = new ArrayBlockingQueue<>(WINDOW + 8);
  private final ArrayDeque<ChatChunk> pending = new ArrayDeque<>();
  private final StreamTranslator translator;
  private final Duration firstByteTimeout;
  private final Duration idleTimeout;
  private final long deadlineNanos;
  private final AtomicBoolean closed = new AtomicBoolean();
  private volatile Subscription subscription;
  private volatile CompletableFuture<Void> call;
  private volatile boolean subscribed;
  private boolean sawEvent;
  private boolean ended;
  private GatewayException failure;

  BedrockChatStream(StreamTranslator translator, BedrockSettings settings) {
    this.translator = translator;
    this.firstByteTimeout = settings.firstByteTimeout();
    this.idleTimeout = settings.streamIdleTimeout();
    this.deadlineNanos = System.nanoTime() + settings.callTimeout().toNanos();
  }

  /** The handler to pass to {@code converseStream}. */
  ConverseStreamResponseHandler handler() {
    return ConverseStreamResponseHandler.builder()
        .onEventStream(publisher -> publisher.subscribe(new EventSubscriber()))
        .build();
  }

  /** Watches the call's future: its failure (HTTP error, connect failure) ends the stream. */
  void attach(CompletableFuture<Void> future) {
    this.call = future;
    future.whenComplete((v, t) -> signal(t == null ? Marker.CALL_DONE : new Failed(t)));
    if (closed.get()) {
      future.cancel(true);
    }
  }

  /**
   * Waits for the first chunk so that failures before anything reached the caller (HTTP errors,
   * connect failures, an exception frame first) are thrown from {@code stream()}, where the gateway
   * may still retry or fail over.
   */
  void awaitFirstChunk() {
    try {
      fill();
    } catch (GatewayException e) {
      close();
      throw e;
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

  /** Reads signals until a chunk is pending or the stream has ended; throws on failure. */
  private void fill() {
    if (failure != null) {
      throw failure;
    }
    while (pending.isEmpty() && !ended) {
      Signal s = take();
      switch (s) {
        case Event e -> {
          sawEvent = true;
          Subscription sub = subscription;
          if (sub != null) {
            sub.request(1);
          }
          try {
            pending.addAll(translator.on(e.event()));
          } catch (GatewayException g) {
            throw fail(g);
          } catch (RuntimeException unexpected) {
            // A malformed event the SDK let through (e.g. a tool start without an id).
            throw fail(BedrockErrors.map(unexpected));
          }
        }
        case Failed f -> {
          if (closed.get() || BedrockErrors.isCancellation(f.failure())) {
            ended = true;
          } else {
            throw fail(BedrockErrors.map(f.failure()));
          }
        }
        case Marker m -> {
          switch (m) {
            case COMPLETED -> finishNormally();
            // The subscriber's own completion carries the end when it subscribed at all.
            case CALL_DONE -> {
              if (!subscribed) {
                finishNormally();
              }
            }
            case CLOSED -> ended = true;
          }
        }
      }
    }
  }

  private void finishNormally() {
    ended = true;
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
    cancelUpstream();
    return g;
  }

  private Signal take() {
    Duration phase = sawEvent ? idleTimeout : firstByteTimeout;
    long remaining = deadlineNanos - System.nanoTime();
    boolean callBound = remaining < phase.toNanos();
    long waitNanos = Math.max(0, Math.min(phase.toNanos(), remaining));
    Signal s;
    try {
      s = queue.poll(waitNanos, TimeUnit.NANOSECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      close();
      throw new ProviderUnavailableException(
          ProviderUnavailableException.Kind.UNAVAILABLE, true, "the stream was interrupted");
    }
    if (s != null) {
      return s;
    }
    String message =
        callBound
            ? "Bedrock's stream exceeded the call timeout"
            : sawEvent
                ? "Bedrock's stream was idle for longer than " + phase.toMillis() + " ms"
                : "Bedrock sent no stream event within " + phase.toMillis() + " ms";
    throw fail(
        new ProviderUnavailableException(ProviderUnavailableException.Kind.TIMEOUT, true, message));
  }

  private void signal(Signal s) {
    if (!queue.offer(s)) {
      // Cannot happen while demand stays within WINDOW; never block the SDK's thread.
      LOG.error("stream signal dropped; the stream will time out");
    }
  }

  @Override
  public Optional<TokenUsage> usageSoFar() {
    return translator.usageSoFar();
  }

  @Override
  public void close() {
    if (closed.compareAndSet(false, true)) {
      cancelUpstream();
      signal(Marker.CLOSED);
    }
  }

  private void cancelUpstream() {
    Subscription sub = subscription;
    if (sub != null) {
      sub.cancel();
    }
    CompletableFuture<Void> f = call;
    if (f != null && !f.isDone()) {
      f.cancel(true);
    }
  }

  private final class EventSubscriber implements Subscriber<ConverseStreamOutput> {
    @Override
    public void onSubscribe(Subscription s) {
      subscription = s;
      subscribed = true;
      if (closed.get()) {
        s.cancel();
        return;
      }
      s.request(WINDOW);
    }

    @Override
    public void onNext(ConverseStreamOutput event) {
      signal(new Event(event));
    }

    @Override
    public void onError(Throwable t) {
      signal(new Failed(t));
    }

    @Override
    public void onComplete() {
      signal(Marker.COMPLETED);
    }
  }
}

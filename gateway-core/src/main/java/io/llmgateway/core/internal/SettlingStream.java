package io.llmgateway.core.internal;

import io.llmgateway.core.GatewayTracing;
import io.llmgateway.core.catalog.Deployment;
import io.llmgateway.core.chat.ChatChunk;
import io.llmgateway.core.chat.TokenUsage;
import io.llmgateway.core.error.GatewayException;
import io.llmgateway.core.provider.ChatStream;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.ReentrantLock;

/**
 * A provider stream that settles its request exactly once, through {@link ChargePolicy}: at the
 * normal end (reported usage), on an upstream failure (reported usage, else the worst case), or on
 * {@link #close()} before the end.
 *
 * <p>A client that closes early does not stop what the provider bills: the model keeps generating
 * what was asked, and the provider reports (and bills) it in its final event. So closing first
 * <b>drains</b> the upstream for at most {@code cancelDrain}: it reads and discards the rest of the
 * stream, on the closing thread, until the provider's usage arrives. That usage is charged; if it
 * does not arrive in time, the request is charged its worst case (its reservation). Then the
 * upstream call is cancelled. A close from another thread while a {@code next()} is blocked (a
 * server shutting down) cannot read concurrently: it cancels at once and charges the usage already
 * reported, else the worst case.
 *
 * <p>{@code next()} is for one consumer thread; {@code close()} may come from any thread.
 */
public final class SettlingStream implements ChatStream {
  private final ChatStream upstream;
  private final Admitted admitted;
  private final Deployment deployment;
  private final Settler settler;
  private final Duration cancelDrain;
  private final GatewayTracing.PhaseSpan span;
  private final AtomicBoolean settled = new AtomicBoolean();
  private final ReentrantLock reading = new ReentrantLock();
  private volatile boolean closing;
  private volatile boolean ended;
  private volatile TokenUsage reported;
  private boolean firstToken; // read and written by the one consumer thread only

  public SettlingStream(
      ChatStream upstream,
      Admitted admitted,
      Deployment deployment,
      Settler settler,
      Duration cancelDrain) {
    this(upstream, admitted, deployment, settler, cancelDrain, GatewayTracing.PhaseSpan.NONE);
  }

  /** As above, ending {@code span} (the upstream call's) when the stream settles. */
  public SettlingStream(
      ChatStream upstream,
      Admitted admitted,
      Deployment deployment,
      Settler settler,
      Duration cancelDrain,
      GatewayTracing.PhaseSpan span) {
    this.span = span;
    this.upstream = upstream;
    this.admitted = admitted;
    this.deployment = deployment;
    this.settler = settler;
    this.cancelDrain = cancelDrain;
  }

  @Override
  public Optional<ChatChunk> next() {
    if (settled.get() || closing) {
      return Optional.empty();
    }
    Optional<ChatChunk> chunk;
    reading.lock();
    try {
      chunk = upstream.next();
    } catch (RuntimeException e) {
      ended = true;
      // A close from another thread wakes a blocked read; that close settles as a cancel.
      if (!closing) {
        finish(broken(e));
      }
      throw e;
    } finally {
      reading.unlock();
    }
    if (!firstToken
        && chunk.isPresent()
        && (chunk.get() instanceof ChatChunk.TextDelta
            || chunk.get() instanceof ChatChunk.ToolCallDelta)) {
      firstToken = true;
      span.firstToken();
    }
    if (chunk.isEmpty()) {
      ended = true;
      if (!closing) {
        finish(new ChargePolicy.Outcome.Answered(Optional.ofNullable(reported)));
      }
    } else if (chunk.get() instanceof ChatChunk.Usage u) {
      reported = u.usage();
    }
    return chunk;
  }

  /** The provider's reported usage, once it arrived. */
  @Override
  public Optional<TokenUsage> usageSoFar() {
    return Optional.ofNullable(reported);
  }

  /**
   * Before the end: drains the upstream for its usage (at most {@code cancelDrain}), cancels it,
   * and settles as cancelled. After the end (already settled): closes the upstream all the same,
   * since only its close gives back what the call holds (the provider's place under its bound of
   * concurrent calls); before, a stream that ended normally kept it for good.
   */
  @Override
  public void close() {
    if (closing) {
      return;
    }
    closing = true;
    if (settled.get()) {
      upstream.close();
      return;
    }
    if (!ended && reported == null && reading.tryLock()) {
      try {
        drain();
      } finally {
        reading.unlock();
      }
    }
    upstream.close();
    finish(new ChargePolicy.Outcome.Cancelled(Optional.ofNullable(reported)));
  }

  /**
   * Reads and discards chunks until the provider's usage arrives, the stream ends or fails, or
   * {@code cancelDrain} passes: then a watchdog closes the upstream, which wakes the blocked read.
   */
  private void drain() {
    if (cancelDrain.isZero()) {
      return;
    }
    Thread watchdog =
        Thread.ofVirtual()
            .name("stream-drain-watchdog")
            .start(
                () -> {
                  try {
                    Thread.sleep(cancelDrain);
                    upstream.close();
                  } catch (InterruptedException drained) {
                    // The drain ended in time.
                  }
                });
    try {
      while (reported == null) {
        Optional<ChatChunk> c = upstream.next();
        if (c.isEmpty()) {
          return;
        }
        if (c.get() instanceof ChatChunk.Usage u) {
          reported = u.usage();
        }
      }
    } catch (RuntimeException brokenWhileDraining) {
      // Nothing more will come; the usage reported so far (if any) is all there is.
    } finally {
      ended = true;
      watchdog.interrupt();
    }
  }

  /**
   * A stream that broke after it started, inside the provider's 200: whatever the error says, the
   * model was working, so it may have been billed.
   */
  private ChargePolicy.Outcome broken(RuntimeException e) {
    String code = e instanceof GatewayException g ? g.code() : "internal_error";
    return new ChargePolicy.Outcome.MaybeBilled(Optional.ofNullable(reported), code);
  }

  private void finish(ChargePolicy.Outcome outcome) {
    if (!settled.compareAndSet(false, true)) {
      return;
    }
    if (!(outcome instanceof ChargePolicy.Outcome.Answered)) {
      upstream.close();
    }
    switch (outcome) {
      case ChargePolicy.Outcome.Answered a -> span.end();
      case ChargePolicy.Outcome.MaybeBilled m -> span.fail(m.errorCode());
      default -> span.fail("cancelled");
    }
    settler.settle(admitted, Optional.of(deployment), outcome);
  }
}

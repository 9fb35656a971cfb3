package io.llmgateway.core;

import io.llmgateway.core.catalog.Deployment;
import io.llmgateway.core.chat.ChatRequest;
import io.llmgateway.core.chat.ChatResponse;
import io.llmgateway.core.spend.SpendRecord;

/**
 * Where the core reports a request's phases for tracing, so the server can build OpenTelemetry
 * spans without the core knowing a tracing library (docs/OBSERVABILITY.md). {@link Gateway} calls
 * it on the request's thread: {@link #request} once, then one {@link Phase#ADMISSION} span, one
 * {@link #upstream} span per attempt, one {@link Phase#SETTLEMENT} span with {@link #settled}
 * inside it. Every method has a no-op default and {@link #NONE} allocates nothing, so tracing off
 * costs a few virtual calls a request. Implementations must be thread-safe and fast.
 */
public interface GatewayTracing {

  /** Tracing off: every call does nothing. */
  GatewayTracing NONE = new GatewayTracing() {};

  /** The phases of a request that get a span of their own. */
  enum Phase {
    /** Rate limits, then the budget reservation or the hold on a budget lease. */
    ADMISSION,
    /** The settlement: the charge computed, handed to the ledger, the permit returned. */
    SETTLEMENT
  }

  /**
   * A request for {@code operation} ({@code chat}) entered the core. {@code request} carries the
   * prompt: an implementation must not record its text unless its operator explicitly allowed it.
   */
  default void request(String operation, ChatRequest request) {}

  /** Starts the span of a phase; end it with {@link PhaseSpan#end} or {@link PhaseSpan#fail}. */
  default PhaseSpan start(Phase phase) {
    return PhaseSpan.NONE;
  }

  /**
   * Starts the span of one upstream attempt ({@code attempt} counts from 1) at {@code deployment},
   * asking for at most {@code outputCap} output tokens. A stream's span ends with the stream.
   */
  default PhaseSpan upstream(Deployment deployment, int attempt, int outputCap) {
    return PhaseSpan.NONE;
  }

  /**
   * A request was answered in one piece. {@code response} carries the answer: not to be recorded
   * unless its operator explicitly allowed it.
   */
  default void answered(ChatResponse response) {}

  /** The request was settled as {@code record} (tokens, cost, status; never any text). */
  default void settled(SpendRecord record) {}

  /** One phase's span. Used by one thread at a time; ending it twice is harmless. */
  interface PhaseSpan {

    /** A span that records nothing. */
    PhaseSpan NONE = new PhaseSpan() {};

    default void attribute(String key, String value) {}

    default void attribute(String key, long value) {}

    /** A stream's first content arrived (time to first token). */
    default void firstToken() {}

    /** The phase ended normally. */
    default void end() {}

    /** The phase ended with an error of type {@code errorType} (the error's code). */
    default void fail(String errorType) {}
  }
}

package io.llmgateway.core.testing;

import io.llmgateway.core.catalog.Deployment;
import io.llmgateway.core.chat.ChatChunk;
import io.llmgateway.core.chat.ChatResponse;
import io.llmgateway.core.chat.FinishReason;
import io.llmgateway.core.chat.TokenUsage;
import io.llmgateway.core.error.GatewayException;
import io.llmgateway.core.provider.ChatStream;
import io.llmgateway.core.provider.HealthStatus;
import io.llmgateway.core.provider.ModelProvider;
import io.llmgateway.core.provider.ProviderRequest;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Deque;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;

/**
 * A fake {@link ModelProvider} for core tests: answers with a fixed text and usage, or with a
 * scripted failure, and records every request it got. Thread-safe.
 */
public final class ScriptedProvider implements ModelProvider {
  private final String name;
  private final Deque<Function<ProviderRequest, ChatResponse>> script = new ArrayDeque<>();
  private final List<ProviderRequest> received = Collections.synchronizedList(new ArrayList<>());
  private volatile long inputTokens = 10;
  private volatile long outputTokens = 5;
  private volatile List<String> streamPieces = List.of("Hel", "lo");
  private volatile GatewayException streamFailure;
  private volatile boolean streamStalls;
  private volatile Optional<Duration> maxCallDuration = Optional.empty();
  private final List<ScriptedStream> streams = Collections.synchronizedList(new ArrayList<>());

  public ScriptedProvider(String name) {
    this.name = name;
  }

  /** Usage reported by every answer from now on. */
  public ScriptedProvider usage(long input, long output) {
    this.inputTokens = input;
    this.outputTokens = output;
    return this;
  }

  /** The next call throws {@code error} (before any byte, for streams too). */
  public synchronized ScriptedProvider failNext(GatewayException error) {
    script.add(
        r -> {
          throw error;
        });
    return this;
  }

  /** Streams emit these text pieces, then (unless a failure is set) finish and usage. */
  public ScriptedProvider streamPieces(List<String> pieces) {
    this.streamPieces = List.copyOf(pieces);
    return this;
  }

  /** Streams fail with {@code error} after their text pieces, without finish or usage. */
  public ScriptedProvider streamFailsAfterPieces(GatewayException error) {
    this.streamFailure = error;
    return this;
  }

  /**
   * Streams stall after their text pieces: {@code next()} blocks until the stream is closed, with
   * no finish and no usage (an upstream that never reports in time).
   */
  public ScriptedProvider streamStallsAfterPieces() {
    this.streamStalls = true;
    return this;
  }

  private volatile java.util.OptionalLong inputCount = java.util.OptionalLong.empty();
  private final java.util.concurrent.atomic.AtomicInteger counts =
      new java.util.concurrent.atomic.AtomicInteger();

  /** From now on, counts every request's input as {@code tokens} (Bedrock's CountTokens). */
  public ScriptedProvider countsInputAs(long tokens) {
    this.inputCount = java.util.OptionalLong.of(tokens);
    return this;
  }

  /** How many times it was asked to count tokens. */
  public int countCalls() {
    return counts.get();
  }

  @Override
  public java.util.OptionalLong countTokens(ProviderRequest request) {
    counts.incrementAndGet();
    return inputCount;
  }

  /** Says its calls take at most {@code value} (for the reservation TTL check). */
  public ScriptedProvider maxCallDuration(Duration value) {
    this.maxCallDuration = Optional.of(value);
    return this;
  }

  @Override
  public Optional<Duration> maxCallDuration() {
    return maxCallDuration;
  }

  public List<ProviderRequest> received() {
    return List.copyOf(received);
  }

  public List<ScriptedStream> streams() {
    return List.copyOf(streams);
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public ChatResponse complete(ProviderRequest request) {
    received.add(request);
    Function<ProviderRequest, ChatResponse> step = nextStep();
    if (step != null) {
      return step.apply(request);
    }
    long out = Math.min(outputTokens, request.maxOutputTokens());
    return new ChatResponse(
        request.requestId(),
        request.request().model(),
        Instant.EPOCH,
        Optional.of("Hello"),
        List.of(),
        out < outputTokens ? FinishReason.LENGTH : FinishReason.STOP,
        TokenUsage.reported(inputTokens, out));
  }

  @Override
  public ChatStream stream(ProviderRequest request) {
    received.add(request);
    Function<ProviderRequest, ChatResponse> step = nextStep();
    if (step != null) {
      step.apply(request);
    }
    ScriptedStream s = new ScriptedStream(request);
    streams.add(s);
    return s;
  }

  @Override
  public HealthStatus probe(Deployment deployment) {
    return new HealthStatus(HealthStatus.State.HEALTHY, "ok", Duration.ZERO, Instant.EPOCH);
  }

  private synchronized Function<ProviderRequest, ChatResponse> nextStep() {
    return script.poll();
  }

  /** A stream over the scripted pieces; records whether it was cancelled. */
  public final class ScriptedStream implements ChatStream {
    private final Deque<ChatChunk> chunks = new ArrayDeque<>();
    private final AtomicBoolean closed = new AtomicBoolean();
    private final GatewayException failure = streamFailure;
    private final boolean stalls = streamStalls;
    private final java.util.concurrent.CountDownLatch closedLatch =
        new java.util.concurrent.CountDownLatch(1);
    private volatile int read;

    ScriptedStream(ProviderRequest request) {
      streamPieces.forEach(p -> chunks.add(new ChatChunk.TextDelta(p)));
      if (failure == null && !stalls) {
        chunks.add(new ChatChunk.Finish(FinishReason.STOP));
        chunks.add(
            new ChatChunk.Usage(
                TokenUsage.reported(
                    inputTokens, Math.min(outputTokens, request.maxOutputTokens()))));
      }
    }

    @Override
    public Optional<ChatChunk> next() {
      ChatChunk c;
      synchronized (this) {
        if (closed.get()) {
          return Optional.empty();
        }
        c = chunks.poll();
        if (c == null && failure != null) {
          throw failure;
        }
        if (c != null) {
          read++;
          return Optional.of(c);
        }
      }
      if (stalls) {
        // Blocks like a socket read until the stream is closed (from another thread).
        try {
          closedLatch.await();
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }
      return Optional.empty();
    }

    @Override
    public Optional<TokenUsage> usageSoFar() {
      return Optional.empty();
    }

    @Override
    public void close() {
      closed.set(true);
      closedLatch.countDown();
    }

    public boolean cancelled() {
      return closed.get();
    }

    /** How many chunks were read from this stream (by the client or by a drain). */
    public int chunksRead() {
      return read;
    }
  }
}

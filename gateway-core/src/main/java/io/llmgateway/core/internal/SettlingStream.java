package io.llmgateway.core.internal;

import io.llmgateway.core.catalog.Deployment;
import io.llmgateway.core.chat.ChatChunk;
import io.llmgateway.core.chat.TokenUsage;
import io.llmgateway.core.error.GatewayException;
import io.llmgateway.core.provider.ChatStream;
import io.llmgateway.core.spend.SpendStatus;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A provider stream that settles its request exactly once: on the normal end (reported usage), on
 * an upstream failure, or on {@link #close()} before the end (client gone: the upstream call is
 * cancelled). A stream cut short is charged conservatively: reported usage if any arrived, else the
 * admitted input bound plus the output streamed so far.
 *
 * <p>{@code next()} is for one consumer thread; {@code close()} may come from any thread.
 */
public final class SettlingStream implements ChatStream {
  private final ChatStream upstream;
  private final Admitted admitted;
  private final Deployment deployment;
  private final Settler settler;
  private final AtomicBoolean settled = new AtomicBoolean();
  private volatile TokenUsage reported;
  private volatile long streamedBytes;

  public SettlingStream(
      ChatStream upstream, Admitted admitted, Deployment deployment, Settler settler) {
    this.upstream = upstream;
    this.admitted = admitted;
    this.deployment = deployment;
    this.settler = settler;
  }

  @Override
  public Optional<ChatChunk> next() {
    if (settled.get()) {
      return Optional.empty();
    }
    Optional<ChatChunk> chunk;
    try {
      chunk = upstream.next();
    } catch (GatewayException e) {
      finish(SpendStatus.ERROR, Optional.of(e.code()));
      throw e;
    } catch (RuntimeException e) {
      finish(SpendStatus.ERROR, Optional.of("internal_error"));
      throw e;
    }
    if (chunk.isEmpty()) {
      finish(SpendStatus.SUCCESS, Optional.empty());
    } else {
      switch (chunk.get()) {
        case ChatChunk.Usage u -> reported = u.usage();
        case ChatChunk.TextDelta t -> streamedBytes += utf8Bytes(t.text());
        case ChatChunk.ToolCallDelta t ->
            streamedBytes +=
                utf8Bytes(t.argumentsFragment())
                    + utf8Bytes(t.name().orElse(""))
                    + utf8Bytes(t.id().orElse(""));
        case ChatChunk.Finish f -> {}
      }
    }
    return chunk;
  }

  @Override
  public Optional<TokenUsage> usageSoFar() {
    return Optional.ofNullable(reported).or(upstream::usageSoFar);
  }

  /** Cancels the upstream call if it is still running and settles what was used. */
  @Override
  public void close() {
    if (!settled.get()) {
      upstream.close();
      finish(SpendStatus.CANCELLED, Optional.of("client_disconnected"));
    }
  }

  private void finish(SpendStatus status, Optional<String> errorCode) {
    if (!settled.compareAndSet(false, true)) {
      return;
    }
    if (status != SpendStatus.SUCCESS) {
      upstream.close();
    }
    settler.settle(admitted, Optional.of(deployment), Optional.of(chargeable()), status, errorCode);
  }

  /**
   * Reported usage when the provider sent it; otherwise an upper bound: the admitted input bound,
   * and one output token per streamed UTF-8 byte (a token is at least one byte), at most the cap.
   */
  private TokenUsage chargeable() {
    TokenUsage r = reported;
    if (r != null) {
      return r;
    }
    Optional<TokenUsage> upstreamUsage =
        upstream.usageSoFar().filter(u -> u.source() == TokenUsage.Source.REPORTED);
    if (upstreamUsage.isPresent()) {
      return upstreamUsage.get();
    }
    long output = Math.min(streamedBytes, admitted.outputCap());
    return TokenUsage.estimated(admitted.inputBound(), output);
  }

  private static long utf8Bytes(String s) {
    return s.getBytes(java.nio.charset.StandardCharsets.UTF_8).length;
  }
}

package io.llmgateway.core.provider;

import io.llmgateway.core.chat.ChatChunk;
import io.llmgateway.core.chat.TokenUsage;
import java.util.Optional;

/**
 * A streamed answer, pulled one chunk at a time (blocking; meant for virtual threads).
 *
 * <p>{@link #next()} returns chunks in order and an empty Optional at the normal end. It throws a
 * {@code GatewayException} when the upstream fails, including when the stream ends without the
 * provider's final events. {@link #close()} cancels the upstream call if it is still running and is
 * idempotent. Not thread-safe for concurrent {@code next()} calls; {@code close()} may be called
 * from any thread.
 */
public interface ChatStream extends AutoCloseable {

  Optional<ChatChunk> next();

  /**
   * The usage the provider reported, if its report arrived; empty while usage is unknown. Adapters
   * do not estimate: the core charges a stream without reported usage by its own rule ({@code
   * ChargePolicy}: the worst case, docs/CORE.md).
   */
  Optional<TokenUsage> usageSoFar();

  @Override
  void close();
}

package io.llmgateway.core;

import io.llmgateway.core.chat.ChatRequest;
import io.llmgateway.core.identity.Principal;
import io.llmgateway.core.internal.Settler;
import io.llmgateway.core.internal.SettlingStream;
import io.llmgateway.core.provider.ChatStream;
import io.llmgateway.core.provider.ModelProvider;
import java.time.Duration;

/**
 * A streamed chat answer: admitted and failed over as {@link ChatOperation#call} does (failover
 * only before the first chunk), then settled by the returned {@link SettlingStream} when it ends,
 * fails or is closed (closing early drains the upstream for at most {@code cancelDrain}).
 */
final class StreamOperation {
  private final ChatOperation chat;
  private final Settler settler;
  private final Duration cancelDrain;

  StreamOperation(ChatOperation chat, Settler settler, Duration cancelDrain) {
    this.chat = chat;
    this.settler = settler;
    this.cancelDrain = cancelDrain;
  }

  ChatStream start(
      Principal principal, ChatRequest request, String requestId, AdmissionListener listener) {
    Failover.Served<ChatStream> served =
        chat.call(principal, request, requestId, listener, ModelProvider::stream);
    return new SettlingStream(
        served.value(),
        served.admitted(),
        served.deployment(),
        settler,
        cancelDrain,
        served.upstream());
  }
}

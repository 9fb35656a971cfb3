package io.llmgateway.bedrock;

import io.llmgateway.core.catalog.Deployment;
import io.llmgateway.core.chat.ChatResponse;
import io.llmgateway.core.error.GatewayException;
import io.llmgateway.core.provider.ChatStream;
import io.llmgateway.core.provider.HealthStatus;
import io.llmgateway.core.provider.ModelProvider;
import io.llmgateway.core.provider.ProviderRequest;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import software.amazon.awssdk.services.bedrockruntime.model.ConverseRequest;
import software.amazon.awssdk.services.bedrockruntime.model.ConverseResponse;

/**
 * {@link ModelProvider} over Bedrock: Converse (sync client) for blocking answers, ConverseStream
 * (async client) for streams, a cached 1-token Converse as health probe. Thread-safe; {@link
 * #close()} releases the SDK clients.
 */
final class BedrockModelProvider implements ModelProvider, AutoCloseable {
  static final String NAME = "bedrock";

  private final BedrockSettings settings;
  private final BedrockClients clients;
  private final HealthProbes health;

  BedrockModelProvider(BedrockSettings settings) {
    this.settings = settings;
    this.clients = new BedrockClients(settings);
    this.health = new HealthProbes(settings.healthCacheTtl(), this::probeNow);
  }

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public ChatResponse complete(ProviderRequest request) {
    ConverseInput input = ConverseRequestMapper.map(request);
    return ConverseResponseMapper.map(request, input, converse(request.deployment(), input, null));
  }

  private ConverseResponse converse(Deployment d, ConverseInput input, Duration timeout) {
    ConverseRequest call = input.converse();
    if (timeout != null) {
      call = call.toBuilder().overrideConfiguration(o -> o.apiCallTimeout(timeout)).build();
    }
    try {
      return clients.sync(clients.keyFor(d)).converse(call);
    } catch (GatewayException e) {
      throw e;
    } catch (RuntimeException e) {
      throw BedrockErrors.map(e);
    }
  }

  @Override
  public ChatStream stream(ProviderRequest request) {
    ConverseInput input = ConverseRequestMapper.map(request);
    BedrockChatStream stream =
        new BedrockChatStream(
            new StreamTranslator(input.jsonMode(), input.estimatedInputTokens()), settings);
    CompletableFuture<Void> call;
    try {
      call =
          clients
              .async(clients.keyFor(request.deployment()))
              .converseStream(input.converseStream(), stream.handler());
    } catch (RuntimeException e) {
      stream.close();
      throw BedrockErrors.map(e);
    }
    stream.attach(call);
    stream.awaitFirstChunk();
    return stream;
  }

  @Override
  public HealthStatus probe(Deployment deployment) {
    return health.status(deployment);
  }

  /**
   * One real Converse call on the deployment's exact model id (never stripped of its {@code us.}
   * prefix), through the same mapper and client as traffic; maxTokens 1, no retries.
   */
  private void probeNow(Deployment d) {
    ProviderRequest ping =
        new ProviderRequest(
            "health-probe", d, io.llmgateway.core.chat.ChatRequest.of(d.modelName(), "ping"), 1);
    converse(d, ConverseRequestMapper.map(ping), settings.probeTimeout());
  }

  @Override
  public void close() {
    clients.close();
  }
}

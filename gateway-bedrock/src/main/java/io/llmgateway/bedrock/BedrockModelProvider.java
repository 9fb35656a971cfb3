package io.llmgateway.bedrock;

import com.fasterxml.jackson.databind.JsonNode;
import io.llmgateway.core.catalog.Deployment;
import io.llmgateway.core.chat.ChatResponse;
import io.llmgateway.core.embedding.EmbeddingRequest;
import io.llmgateway.core.embedding.EmbeddingResponse;
import io.llmgateway.core.error.Billing;
import io.llmgateway.core.error.GatewayException;
import io.llmgateway.core.provider.ChatStream;
import io.llmgateway.core.provider.EmbeddingCall;
import io.llmgateway.core.provider.HealthStatus;
import io.llmgateway.core.provider.ModelProvider;
import io.llmgateway.core.provider.ProviderRequest;
import java.io.IOException;
import java.time.Duration;
import java.util.Optional;

/**
 * {@link ModelProvider} over Bedrock: Converse for blocking answers, ConverseStream for streams,
 * InvokeModel for embeddings ({@link BedrockEmbeddings}), a cached 1-token Converse (a one-word
 * embedding for an embedding model) as health probe, all through one lean path ({@link
 * ConverseRequestWriter} for the body, {@link BedrockHttp} for signing and transport, {@link
 * BedrockErrors} for failures) instead of the AWS SDK's client pipeline. Thread-safe; {@link
 * #close()} releases the connection pool.
 */
final class BedrockModelProvider implements ModelProvider, AutoCloseable {
  static final String NAME = "bedrock";

  static final String CALL_TIMEOUT = "Bedrock did not finish within the call timeout";

  private final BedrockSettings settings;
  private final BedrockHttp http;
  private final HealthProbes health;
  private final BedrockEmbeddings embeddings;
  private final BedrockEmbeddings probeEmbeddings;

  BedrockModelProvider(BedrockSettings settings) {
    this.settings = settings;
    this.http = new BedrockHttp(settings);
    this.embeddings = new BedrockEmbeddings(http, settings.callTimeout());
    this.probeEmbeddings = new BedrockEmbeddings(http, settings.probeTimeout());
    this.health = new HealthProbes(settings.healthCacheTtl(), this::probeNow);
  }

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public ChatResponse complete(ProviderRequest request) {
    refuseEmbeddingModel(request);
    ConverseCall call = ConverseRequestWriter.map(request);
    return ConverseResponseReader.map(
        request, call, converse(request.deployment(), call, settings.callTimeout()));
  }

  /** Bedrock's CountTokens for Claude models ({@link CountTokens}); empty for other models. */
  @Override
  public java.util.OptionalLong countTokens(ProviderRequest request) {
    if (!CountTokens.supports(request.deployment().providerModelId())) {
      return java.util.OptionalLong.empty();
    }
    ConverseCall call = CountTokens.call(ConverseRequestWriter.map(request));
    JsonNode answer =
        exchange(request.deployment(), call, CountTokens.OPERATION, settings.probeTimeout());
    return java.util.OptionalLong.of(CountTokens.inputTokens(answer));
  }

  /** One Converse exchange: the parsed 200 answer, or the mapped error. */
  private JsonNode converse(Deployment d, ConverseCall call, Duration callTimeout) {
    return exchange(d, call, "converse", callTimeout);
  }

  private JsonNode exchange(Deployment d, ConverseCall call, String operation, Duration timeout) {
    Duration callTimeout = timeout;
    BedrockHttp.Exchange x = http.prepare(d, call, operation);
    x.watchUntil(callTimeout, CALL_TIMEOUT);
    try {
      x.execute();
      if (x.status() != 200) {
        throw x.error();
      }
      return Json.MAPPER.readTree(x.readBody());
    } catch (GatewayException e) {
      throw e;
    } catch (IOException | RuntimeException e) {
      // Sent and then cut (timeout, reset, an unreadable or half 200): the model may have run.
      if (x.abortReason() != null) {
        throw TransportErrors.timeout(x.abortReason(), billing(x), e);
      }
      throw TransportErrors.map(e, x.requestSent());
    } finally {
      x.close();
    }
  }

  private static Billing billing(BedrockHttp.Exchange x) {
    return x.requestSent() ? Billing.MAYBE_BILLED : Billing.NOT_BILLED;
  }

  /** No call, blocking or streamed, runs longer than {@link BedrockSettings#maxCallDuration()}. */
  @Override
  public Optional<Duration> maxCallDuration() {
    return Optional.of(settings.maxCallDuration());
  }

  @Override
  public ChatStream stream(ProviderRequest request) {
    refuseEmbeddingModel(request);
    ConverseCall call = ConverseRequestWriter.map(request);
    return BedrockChatStream.open(http, request.deployment(), call, settings);
  }

  /** An embedding model has no Converse: a clear 400 before anything is sent (nothing billed). */
  private static void refuseEmbeddingModel(ProviderRequest request) {
    if (EmbeddingFormat.of(request.deployment().providerModelId()).isPresent()) {
      throw new io.llmgateway.core.error.InvalidRequestException(
          "model '"
              + request.request().model()
              + "' is an embedding model: use POST /v1/embeddings",
          "model");
    }
  }

  @Override
  public void checkEmbedding(Deployment deployment, EmbeddingRequest request) {
    BedrockEmbeddings.format(deployment, request).check(request);
  }

  @Override
  public EmbeddingResponse embed(EmbeddingCall call) {
    return embeddings.embed(call);
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
    // an embedding model has no Converse; its probe is a one-word embedding.
    if (EmbeddingFormat.of(d.providerModelId()).isPresent()) {
      probeEmbeddings.embed(
          new EmbeddingCall("health-probe", d, EmbeddingRequest.of(d.modelName(), "ping")));
      return;
    }
    ProviderRequest ping =
        new ProviderRequest(
            "health-probe", d, io.llmgateway.core.chat.ChatRequest.of(d.modelName(), "ping"), 1);
    converse(d, ConverseRequestWriter.map(ping), settings.probeTimeout());
  }

  @Override
  public void close() {
    http.close();
  }
}

package io.llmgateway.server.metrics;

import io.llmgateway.core.catalog.Deployment;
import io.llmgateway.core.chat.ChatResponse;
import io.llmgateway.core.provider.ChatStream;
import io.llmgateway.core.provider.HealthStatus;
import io.llmgateway.core.provider.ModelProvider;
import io.llmgateway.core.provider.ProviderRequest;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;

/**
 * A provider decorator that times upstream calls ({@code gateway_upstream_seconds}: whole answers,
 * and time to the start of a stream), so the gateway's own overhead is request latency minus
 * upstream latency. Thread-safe.
 */
public final class TimedProvider implements ModelProvider {
  private final ModelProvider delegate;
  private final GatewayMetrics metrics;

  public TimedProvider(ModelProvider delegate, GatewayMetrics metrics) {
    this.delegate = delegate;
    this.metrics = metrics;
  }

  @Override
  public String name() {
    return delegate.name();
  }

  @Override
  public ChatResponse complete(ProviderRequest request) {
    long t0 = System.nanoTime();
    try {
      return delegate.complete(request);
    } finally {
      record(request, "complete", System.nanoTime() - t0);
    }
  }

  @Override
  public ChatStream stream(ProviderRequest request) {
    long t0 = System.nanoTime();
    try {
      return delegate.stream(request);
    } finally {
      record(request, "stream_start", System.nanoTime() - t0);
    }
  }

  @Override
  public void checkEmbedding(
      Deployment deployment, io.llmgateway.core.embedding.EmbeddingRequest request) {
    delegate.checkEmbedding(deployment, request);
  }

  @Override
  public io.llmgateway.core.embedding.EmbeddingResponse embed(
      io.llmgateway.core.provider.EmbeddingCall call) {
    long t0 = System.nanoTime();
    try {
      return delegate.embed(call);
    } finally {
      record(call.deployment().id(), "embed", System.nanoTime() - t0);
    }
  }

  @Override
  public HealthStatus probe(Deployment deployment) {
    return delegate.probe(deployment);
  }

  @Override
  public java.util.Optional<java.time.Duration> maxCallDuration() {
    return delegate.maxCallDuration();
  }

  @Override
  public java.util.OptionalLong countTokens(ProviderRequest request) {
    return delegate.countTokens(request);
  }

  private void record(ProviderRequest request, String call, long nanos) {
    record(request.deployment().id(), call, nanos);
  }

  private void record(String deployment, String call, long nanos) {
    Timer.builder("gateway.upstream")
        .description("Upstream call latency by deployment")
        .tag("deployment", deployment)
        .tag("call", call)
        .serviceLevelObjectives(LatencyBuckets.UPSTREAM)
        .register(metrics.registry())
        .record(Duration.ofNanos(nanos));
  }
}

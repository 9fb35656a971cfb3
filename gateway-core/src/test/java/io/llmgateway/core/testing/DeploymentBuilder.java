package io.llmgateway.core.testing;

import io.llmgateway.core.catalog.Deployment;
import io.llmgateway.core.catalog.Pricing;
import java.net.URI;
import java.util.Optional;

/** A mock-provider deployment at Nova Micro prices, 128k context, 10k output tokens. */
public final class DeploymentBuilder {
  private final String id;
  private final String modelName;
  private String provider = "mock";
  private String providerModelId = "us.amazon.nova-micro-v1:0";
  private Optional<String> region = Optional.empty();
  private Optional<URI> endpoint = Optional.empty();
  private Pricing pricing = Fixtures.NOVA_MICRO;
  private int contextWindow = 128_000;
  private int maxOutputTokens = 10_000;
  private Deployment.Source source = Deployment.Source.API;

  DeploymentBuilder(String id, String modelName) {
    this.id = id;
    this.modelName = modelName;
  }

  public DeploymentBuilder provider(String v) {
    provider = v;
    return this;
  }

  public DeploymentBuilder providerModelId(String v) {
    providerModelId = v;
    return this;
  }

  public DeploymentBuilder region(String v) {
    region = Optional.of(v);
    return this;
  }

  public DeploymentBuilder endpoint(String v) {
    endpoint = Optional.of(URI.create(v));
    return this;
  }

  public DeploymentBuilder pricing(Pricing v) {
    pricing = v;
    return this;
  }

  public DeploymentBuilder limits(int contextWindow, int maxOutputTokens) {
    this.contextWindow = contextWindow;
    this.maxOutputTokens = maxOutputTokens;
    return this;
  }

  public DeploymentBuilder source(Deployment.Source v) {
    source = v;
    return this;
  }

  public Deployment build() {
    return new Deployment(
        id,
        modelName,
        provider,
        providerModelId,
        region,
        endpoint,
        pricing,
        contextWindow,
        maxOutputTokens,
        source);
  }
}

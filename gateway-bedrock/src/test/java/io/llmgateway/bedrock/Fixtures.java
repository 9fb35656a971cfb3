package io.llmgateway.bedrock;

import io.llmgateway.core.catalog.Deployment;
import io.llmgateway.core.catalog.Pricing;
import io.llmgateway.core.chat.ChatRequest;
import io.llmgateway.core.money.Price;
import io.llmgateway.core.provider.ProviderRequest;
import java.net.URI;
import java.util.Optional;

/** Deployments and requests shared by this module's tests. */
final class Fixtures {
  static final String NOVA_MICRO = "us.amazon.nova-micro-v1:0";
  static final String NOVA_MICRO_PATH = "/model/us.amazon.nova-micro-v1%3A0/converse";

  private Fixtures() {}

  static Deployment deployment(String provider) {
    return deployment(provider, Optional.empty());
  }

  static Deployment deployment(String provider, Optional<URI> endpoint) {
    return new Deployment(
        "dep-" + provider,
        "model-cheap",
        provider,
        NOVA_MICRO,
        Optional.of("us-east-1"),
        endpoint,
        Pricing.of(Price.perMillionUsd("0.035"), Price.perMillionUsd("0.14")),
        128_000,
        5_000,
        Deployment.Source.CONFIG);
  }

  static ProviderRequest request(Deployment d, ChatRequest r, int maxOutputTokens) {
    return new ProviderRequest("req-1", d, r, maxOutputTokens);
  }

  static ProviderRequest ask(Deployment d, String text) {
    return request(d, ChatRequest.of("model-cheap", text), 256);
  }
}

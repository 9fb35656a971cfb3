package io.llmgateway.core.catalog;

import java.net.URI;
import java.util.Objects;
import java.util.Optional;

/**
 * One way to serve a logical model: a provider ({@code bedrock}, {@code mock}), the provider's
 * model id ({@code us.amazon.nova-micro-v1:0}, never stripped of its region prefix), region (in the
 * {@link AwsRegions} grammar), optional endpoint override (config-file deployments only), prices
 * and limits. Immutable and thread-safe.
 */
public record Deployment(
    String id,
    String modelName,
    String provider,
    String providerModelId,
    Optional<String> region,
    Optional<URI> endpoint,
    Pricing pricing,
    int contextWindow,
    int maxOutputTokens,
    Source source) {

  /** Where a deployment was defined; config-file deployments win over API ones of the same id. */
  public enum Source {
    CONFIG,
    API
  }

  public Deployment {
    requireText("deployment id", id);
    requireText("model_name", modelName);
    requireText("provider", provider);
    requireText("provider model id", providerModelId);
    Objects.requireNonNull(region, "region");
    region.ifPresent(
        r -> {
          if (!AwsRegions.isValid(r)) {
            throw new IllegalArgumentException("region must be " + AwsRegions.RULE);
          }
        });
    Objects.requireNonNull(endpoint, "endpoint");
    Objects.requireNonNull(pricing, "pricing");
    if (contextWindow < 1) {
      throw new IllegalArgumentException("context window must be positive");
    }
    if (maxOutputTokens < 1 || maxOutputTokens > contextWindow) {
      throw new IllegalArgumentException(
          "max output tokens must be between 1 and the context window");
    }
    Objects.requireNonNull(source, "source");
    // The upstream host may only be chosen by the operator: an endpoint from the admin API would
    // send prompts and SigV4 headers wherever a proxy-admin key points it (issue 15, finding 2).
    if (endpoint.isPresent() && source != Source.CONFIG) {
      throw new IllegalArgumentException(
          "endpoint overrides come from the models file only, not the admin API");
    }
  }

  /**
   * A deployment without region or endpoint override whose id is the model name, created through
   * code or the API: the short form for embedding.
   */
  public static Deployment of(
      String modelName,
      String provider,
      String providerModelId,
      Pricing pricing,
      int contextWindow,
      int maxOutputTokens) {
    return new Deployment(
        modelName,
        modelName,
        provider,
        providerModelId,
        Optional.empty(),
        Optional.empty(),
        pricing,
        contextWindow,
        maxOutputTokens,
        Source.API);
  }

  private static void requireText(String field, String v) {
    if (v == null || v.isBlank() || v.length() > 256) {
      throw new IllegalArgumentException(field + " must be 1 to 256 characters");
    }
  }
}

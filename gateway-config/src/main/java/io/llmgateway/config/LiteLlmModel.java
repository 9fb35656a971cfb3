package io.llmgateway.config;

import io.llmgateway.core.catalog.Deployment;
import io.llmgateway.core.catalog.Pricing;
import io.llmgateway.core.money.Price;
import java.math.BigDecimal;
import java.net.URI;
import java.util.Map;
import java.util.Optional;

/**
 * Turns one LiteLLM {@code model_list} entry (as in {@code config/models.yaml} and the body of
 * {@code POST /model/new}) into a {@link Deployment}.
 *
 * <p>{@code litellm_params.model} is {@code bedrock/converse/<model id>}, {@code bedrock/<model
 * id>} or {@code mock/<name>}. Prices come from {@code model_info.*_cost_per_million_tokens} (exact
 * decimals) or, for known Nova models, from {@link KnownPrices}. LiteLLM's per-token float prices
 * ({@code input_cost_per_token}) are accepted too and converted exactly from their decimal text.
 * Stateless.
 */
public final class LiteLlmModel {
  private LiteLlmModel() {}

  /**
   * @param modelName the logical name ({@code model_name})
   * @param params {@code litellm_params}
   * @param info {@code model_info} (may be empty)
   * @param defaultId the deployment id to use when {@code model_info.id} is absent
   */
  public static Deployment toDeployment(
      String modelName,
      Map<String, Object> params,
      Map<String, Object> info,
      String defaultId,
      Deployment.Source source) {
    String model =
        text(params, "model")
            .orElseThrow(() -> new IllegalArgumentException("litellm_params.model is required"));
    String provider;
    String providerModelId;
    if (model.startsWith("bedrock/converse/")) {
      provider = "bedrock";
      providerModelId = model.substring("bedrock/converse/".length());
    } else if (model.startsWith("bedrock/")) {
      provider = "bedrock";
      providerModelId = model.substring("bedrock/".length());
    } else if (model.startsWith("mock/")) {
      provider = "mock";
      providerModelId = model.substring("mock/".length());
    } else {
      throw new IllegalArgumentException(
          "litellm_params.model '" + model + "' is not supported: use bedrock/converse/<model id>");
    }
    if (providerModelId.isBlank()) {
      throw new IllegalArgumentException("litellm_params.model names no model id");
    }
    Optional<String> region = text(params, "aws_region_name");
    Optional<URI> endpoint = text(params, "aws_bedrock_runtime_endpoint").map(LiteLlmModel::uri);
    Pricing pricing = pricing(providerModelId, info);
    int context =
        integer(info, "context_window")
            .or(() -> integer(info, "max_input_tokens"))
            .or(() -> KnownPrices.contextWindow(providerModelId))
            .orElse(128_000);
    int maxOutput =
        integer(info, "max_output_tokens")
            .orElse(Math.min(KnownPrices.NOVA_MAX_OUTPUT_TOKENS, context));
    String id = text(info, "id").orElse(defaultId);
    return new Deployment(
        id,
        modelName,
        provider,
        providerModelId,
        region,
        endpoint,
        pricing,
        context,
        maxOutput,
        source);
  }

  private static Pricing pricing(String providerModelId, Map<String, Object> info) {
    Optional<Price> in = price(info, "input_cost_per_million_tokens", "input_cost_per_token");
    Optional<Price> out = price(info, "output_cost_per_million_tokens", "output_cost_per_token");
    if (in.isEmpty() && out.isEmpty()) {
      return KnownPrices.pricing(providerModelId)
          .orElseThrow(
              () ->
                  new IllegalArgumentException(
                      "no price for '"
                          + providerModelId
                          + "': set model_info.input_cost_per_million_tokens and"
                          + " output_cost_per_million_tokens (a missing price is never a zero cost)"));
    }
    if (in.isEmpty() || out.isEmpty()) {
      throw new IllegalArgumentException(
          "give both input and output prices for '" + providerModelId + "'");
    }
    Price cacheRead =
        price(info, "cache_read_cost_per_million_tokens", "cache_read_input_token_cost")
            .orElse(in.get());
    Price cacheWrite =
        price(info, "cache_write_cost_per_million_tokens", "cache_creation_input_token_cost")
            .orElse(in.get());
    return new Pricing(in.get(), out.get(), cacheRead, cacheWrite);
  }

  /** A price per 1M tokens, or LiteLLM's per-token price scaled exactly by 10^6. */
  private static Optional<Price> price(
      Map<String, Object> info, String perMillion, String perToken) {
    Optional<BigDecimal> m = decimal(info, perMillion);
    if (m.isPresent()) {
      return m.map(Price::perMillionUsd);
    }
    return decimal(info, perToken).map(d -> Price.perMillionUsd(d.movePointRight(6)));
  }

  private static Optional<BigDecimal> decimal(Map<String, Object> map, String key) {
    Object v = map.get(key);
    if (v == null) {
      return Optional.empty();
    }
    try {
      // toString of a parsed number is its decimal text: no binary floating point on the way.
      BigDecimal d = new BigDecimal(v.toString().trim());
      if (d.signum() < 0) {
        throw new IllegalArgumentException(key + " must not be negative");
      }
      return Optional.of(d);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(key + " must be a number, got '" + v + "'");
    }
  }

  private static Optional<Integer> integer(Map<String, Object> map, String key) {
    Object v = map.get(key);
    if (v == null) {
      return Optional.empty();
    }
    try {
      return Optional.of(new BigDecimal(v.toString().trim()).intValueExact());
    } catch (NumberFormatException | ArithmeticException e) {
      throw new IllegalArgumentException(key + " must be a whole number, got '" + v + "'");
    }
  }

  private static Optional<String> text(Map<String, Object> map, String key) {
    Object v = map.get(key);
    if (v == null) {
      return Optional.empty();
    }
    if (!(v instanceof String s)) {
      throw new IllegalArgumentException(key + " must be a string");
    }
    return s.isBlank() ? Optional.empty() : Optional.of(s.trim());
  }

  private static URI uri(String text) {
    try {
      URI u = URI.create(text);
      if (!"https".equals(u.getScheme()) && !"http".equals(u.getScheme())) {
        throw new IllegalArgumentException("endpoint must be an http(s) URL");
      }
      return u;
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("aws_bedrock_runtime_endpoint is not a URL: " + text);
    }
  }
}

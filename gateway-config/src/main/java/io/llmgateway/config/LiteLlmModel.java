package io.llmgateway.config;

import io.llmgateway.core.catalog.AwsRegions;
import io.llmgateway.core.catalog.Deployment;
import io.llmgateway.core.catalog.Pricing;
import io.llmgateway.core.money.Money;
import io.llmgateway.core.money.Price;
import java.math.BigDecimal;
import java.net.URI;
import java.net.URISyntaxException;
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
    Optional<String> region = region(params);
    Optional<URI> endpoint = text(params, "aws_bedrock_runtime_endpoint").map(LiteLlmModel::uri);
    if (endpoint.isPresent() && source != Deployment.Source.CONFIG) {
      throw new IllegalArgumentException(
          "aws_bedrock_runtime_endpoint is accepted in the models file only");
    }
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
      return Optional.of(price(perMillion, m.get(), 9));
    }
    // Bounded by decimal(), so moving the point cannot overflow the scale.
    return decimal(info, perToken).map(d -> price(perToken, d.movePointRight(6), 15));
  }

  private static Price price(String key, BigDecimal perMillionUsd, int places) {
    try {
      return Price.perMillionUsd(perMillionUsd);
    } catch (IllegalArgumentException e) {
      // Never the value itself: it may be 1e-999999999 (issue 15, finding 9).
      throw new IllegalArgumentException(
          key
              + " must be a US dollar price of at most "
              + Price.MAX_NANOS_PER_MILLION / Money.NANOS_PER_USD
              + " per 1M tokens with at most "
              + places
              + " decimal places");
    }
  }

  /**
   * A non-negative decimal of bounded shape ({@link Money#isBounded}), checked before any other
   * arithmetic on it. Numbers arrive as {@link BigDecimal} from the admin API and as Double,
   * Integer or String from YAML; their {@code toString} is decimal text (scientific for huge
   * exponents, so never long), and no binary floating point is involved in the value kept.
   */
  private static Optional<BigDecimal> decimal(Map<String, Object> map, String key) {
    Object v = map.get(key);
    if (v == null) {
      return Optional.empty();
    }
    BigDecimal d;
    if (v instanceof BigDecimal b) {
      d = b;
    } else {
      String text = v.toString().trim();
      if (text.length() > Money.MAX_TEXT) {
        throw new IllegalArgumentException(key + " must be a number of reasonable length");
      }
      try {
        d = new BigDecimal(text);
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException(key + " must be a number");
      }
    }
    if (!Money.isBounded(d)) {
      throw new IllegalArgumentException(
          key + " is out of range: at most " + Money.MAX_DIGITS + " digits");
    }
    if (d.signum() < 0) {
      throw new IllegalArgumentException(key + " must not be negative");
    }
    return Optional.of(d);
  }

  private static Optional<Integer> integer(Map<String, Object> map, String key) {
    Object v = map.get(key);
    if (v == null) {
      return Optional.empty();
    }
    String text = v.toString().trim();
    try {
      if (text.length() > Money.MAX_TEXT) {
        throw new NumberFormatException("too long");
      }
      // intValueExact refuses huge exponents from precision and scale alone, without expanding.
      return Optional.of(new BigDecimal(text).intValueExact());
    } catch (NumberFormatException | ArithmeticException e) {
      throw new IllegalArgumentException(key + " must be a whole number up to 2147483647");
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

  /**
   * {@code aws_region_name}: absent, or a region in the AWS grammar. A blank one is refused rather
   * than read as absent, and a refusal does not repeat the value (it may be {@code
   * x@169.254.169.254#}).
   */
  private static Optional<String> region(Map<String, Object> params) {
    Object v = params.get("aws_region_name");
    if (v == null) {
      return Optional.empty();
    }
    if (!(v instanceof String s) || !AwsRegions.isValid(s.trim())) {
      throw new IllegalArgumentException("aws_region_name must be " + AwsRegions.RULE);
    }
    return Optional.of(s.trim());
  }

  private static URI uri(String text) {
    try {
      URI u = new URI(text);
      if (!("https".equals(u.getScheme()) || "http".equals(u.getScheme())) || u.getHost() == null) {
        throw new URISyntaxException(text, "not an absolute http(s) URL");
      }
      return u;
    } catch (URISyntaxException e) {
      throw new IllegalArgumentException(
          "aws_bedrock_runtime_endpoint must be an absolute http(s) URL");
    }
  }
}

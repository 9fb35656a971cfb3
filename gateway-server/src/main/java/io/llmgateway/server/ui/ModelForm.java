package io.llmgateway.server.ui;

import io.javalin.http.Context;
import io.llmgateway.config.LiteLlmModel;
import io.llmgateway.core.catalog.Deployment;
import io.llmgateway.core.error.InvalidRequestException;
import io.llmgateway.core.money.Money;
import io.llmgateway.core.money.Price;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * The model form's fields, as typed (to show again after a refusal) or as stored, and their
 * translation into a deployment by the same {@link LiteLlmModel#toDeployment} the admin API's
 * {@code /model/new} and {@code /model/update} use (with the form's fields in the places of {@code
 * litellm_params} and {@code model_info}), so the UI accepts and refuses exactly what the API does.
 * Immutable.
 */
record ModelForm(
    String id,
    String name,
    String provider,
    String modelId,
    String region,
    String inputPrice,
    String outputPrice,
    String cacheReadPrice,
    String cacheWritePrice,
    String contextWindow,
    String maxOutput) {

  static ModelForm empty() {
    return new ModelForm("", "", "bedrock", "", "", "", "", "", "", "", "");
  }

  static ModelForm of(Deployment d) {
    return new ModelForm(
        d.id(),
        d.modelName(),
        d.provider(),
        d.providerModelId(),
        d.region().orElse(""),
        plain(d.pricing().input()),
        plain(d.pricing().output()),
        plain(d.pricing().cacheRead()),
        plain(d.pricing().cacheWrite()),
        Integer.toString(d.contextWindow()),
        Integer.toString(d.maxOutputTokens()));
  }

  static ModelForm typed(Context ctx, String id) {
    return new ModelForm(
        id,
        field(ctx, "model_name"),
        field(ctx, "provider"),
        field(ctx, "provider_model_id"),
        field(ctx, "aws_region_name"),
        field(ctx, "input_cost_per_million_tokens"),
        field(ctx, "output_cost_per_million_tokens"),
        field(ctx, "cache_read_cost_per_million_tokens"),
        field(ctx, "cache_write_cost_per_million_tokens"),
        field(ctx, "context_window"),
        field(ctx, "max_output_tokens"));
  }

  public boolean mock() {
    return provider.equals("mock");
  }

  /**
   * The deployment these fields describe, as the API would build it ({@code source: api}); blank
   * fields are left out, as an absent JSON field. A new model without an id gets a random one, as
   * from {@code /model/new}.
   */
  Deployment toDeployment() {
    if (name.isBlank()) {
      throw new InvalidRequestException("model_name is required", "model_name");
    }
    Map<String, Object> params = new LinkedHashMap<>();
    String prefix = provider.equals("mock") ? "mock/" : "bedrock/converse/";
    params.put("model", prefix + modelId.strip());
    put(params, "aws_region_name", region);
    Map<String, Object> info = new LinkedHashMap<>();
    put(info, "input_cost_per_million_tokens", inputPrice);
    put(info, "output_cost_per_million_tokens", outputPrice);
    put(info, "cache_read_cost_per_million_tokens", cacheReadPrice);
    put(info, "cache_write_cost_per_million_tokens", cacheWritePrice);
    put(info, "context_window", contextWindow);
    put(info, "max_output_tokens", maxOutput);
    String deploymentId = id.isBlank() ? UUID.randomUUID().toString() : id.strip();
    try {
      return LiteLlmModel.toDeployment(
          name.strip(), params, info, deploymentId, Deployment.Source.API);
    } catch (IllegalArgumentException e) {
      throw new InvalidRequestException(
          e.getMessage() == null ? "invalid model" : e.getMessage(), "model");
    }
  }

  private static void put(Map<String, Object> map, String key, String value) {
    Optional.of(value.strip()).filter(v -> !v.isEmpty()).ifPresent(v -> map.put(key, v));
  }

  private static String field(Context ctx, String name) {
    String v = ctx.formParam(name);
    return v == null ? "" : v;
  }

  private static String plain(Price p) {
    return Money.ofNanos(p.nanosPerMillionTokens()).toUsdString();
  }
}

package io.llmgateway.config;

import io.llmgateway.core.catalog.Pricing;
import io.llmgateway.core.money.Price;
import java.util.Map;
import java.util.Optional;

/**
 * Built-in on-demand prices (us-east-1, USD per 1M tokens) for the models the seed deploys, so that
 * the seed's {@code POST /model/new} commands, which carry no prices, still give priced
 * deployments. Geographic cross-region profiles ({@code us.}, {@code eu.}, {@code apac.}) bill at
 * the source Region's on-demand rate, so the prefix does not change the price. A model not listed
 * here must be given prices explicitly: a missing price is an error, never a zero cost.
 */
public final class KnownPrices {
  private static final Map<String, Pricing> NOVA =
      Map.of(
          "amazon.nova-micro-v1:0", pricing("0.035", "0.14", "0.00875"),
          "amazon.nova-lite-v1:0", pricing("0.06", "0.24", "0.015"),
          "amazon.nova-pro-v1:0", pricing("0.80", "3.20", "0.20"));

  private static final Map<String, Integer> CONTEXT =
      Map.of(
          "amazon.nova-micro-v1:0", 128_000,
          "amazon.nova-lite-v1:0", 300_000,
          "amazon.nova-pro-v1:0", 300_000);

  /** Nova v1 models accept at most 5,000 output tokens (Nova user guide, request schema). */
  public static final int NOVA_MAX_OUTPUT_TOKENS = 5_000;

  private KnownPrices() {}

  public static Optional<Pricing> pricing(String providerModelId) {
    return Optional.ofNullable(NOVA.get(baseModel(providerModelId)));
  }

  public static Optional<Integer> contextWindow(String providerModelId) {
    return Optional.ofNullable(CONTEXT.get(baseModel(providerModelId)));
  }

  /** {@code us.amazon.nova-micro-v1:0} -> {@code amazon.nova-micro-v1:0}, for look-ups only. */
  static String baseModel(String providerModelId) {
    for (String prefix : new String[] {"us.", "eu.", "apac.", "us-gov.", "global."}) {
      if (providerModelId.startsWith(prefix)) {
        return providerModelId.substring(prefix.length());
      }
    }
    return providerModelId;
  }

  private static Pricing pricing(String in, String out, String cacheRead) {
    Price input = Price.perMillionUsd(in);
    return new Pricing(input, Price.perMillionUsd(out), Price.perMillionUsd(cacheRead), input);
  }
}

package io.llmgateway.core.testing;

import io.llmgateway.core.budget.BudgetLine;
import io.llmgateway.core.budget.BudgetScope;
import io.llmgateway.core.budget.BudgetWindow;
import io.llmgateway.core.budget.CounterKey;
import io.llmgateway.core.catalog.Pricing;
import io.llmgateway.core.identity.RateLimits;
import io.llmgateway.core.money.Money;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.OptionalLong;

/**
 * Builders for domain records with sensible defaults, shared by every module's tests through the
 * core test-jar. Instants are whole seconds so they survive a database round trip exactly.
 */
public final class Fixtures {
  private Fixtures() {}

  /** A fixed moment for tests: 2026-11-27 10:00 UTC. */
  public static final Instant T0 = Instant.parse("2026-11-27T10:00:00Z");

  public static final Pricing NOVA_MICRO = pricing("0.035", "0.14");
  public static final Pricing NOVA_LITE = pricing("0.06", "0.24");
  public static final Pricing NOVA_PRO = pricing("0.80", "3.20");

  public static Pricing pricing(String inputUsdPerMillion, String outputUsdPerMillion) {
    return Pricing.perMillionUsd(inputUsdPerMillion, outputUsdPerMillion);
  }

  public static Money usd(String amount) {
    return Money.ofUsd(amount);
  }

  public static RateLimits rateLimits(long rpm, long tpm, long maxParallel) {
    return new RateLimits(OptionalLong.of(rpm), OptionalLong.of(tpm), OptionalLong.of(maxParallel));
  }

  /** A budget line on today's (UTC) daily counter of {@code scope}. */
  public static BudgetLine dailyLine(BudgetScope scope, Money limit, Instant now) {
    var period = BudgetWindow.DAILY.periodAt(now, ZoneOffset.UTC);
    return new BudgetLine(
        new CounterKey(scope, BudgetWindow.DAILY, period.key()), limit, period.end());
  }

  /** A budget line on this month's (UTC) counter of {@code scope}. */
  public static BudgetLine monthlyLine(BudgetScope scope, Money limit, Instant now) {
    var period = BudgetWindow.MONTHLY.periodAt(now, ZoneOffset.UTC);
    return new BudgetLine(
        new CounterKey(scope, BudgetWindow.MONTHLY, period.key()), limit, period.end());
  }

  public static TeamBuilder team(String id) {
    return new TeamBuilder(id);
  }

  public static UserBuilder user(String id) {
    return new UserBuilder(id);
  }

  public static KeyBuilder key(String id) {
    return new KeyBuilder(id);
  }

  public static DeploymentBuilder deployment(String id, String modelName) {
    return new DeploymentBuilder(id, modelName);
  }

  public static SpendBuilder spend(String requestId, String keyId) {
    return new SpendBuilder(requestId, keyId);
  }
}

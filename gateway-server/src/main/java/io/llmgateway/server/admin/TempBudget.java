package io.llmgateway.server.admin;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.llmgateway.core.admin.BudgetForecast;
import io.llmgateway.core.admin.BudgetStatus;
import io.llmgateway.core.budget.BudgetIncrease;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * LiteLLM's temporary budget increase ({@code temp_budget_increase} in USD + {@code
 * temp_budget_expiry}, an ISO-8601 instant) on {@code /key|user|team/update}, and our {@code
 * budget_forecast} on the views, both ways (docs/ADMIN_API.md). Stateless.
 */
final class TempBudget {
  static final String AMOUNT = "temp_budget_increase";
  static final String EXPIRY = "temp_budget_expiry";
  static final Set<String> FIELDS = Set.of(AMOUNT, EXPIRY);

  private TempBudget() {}

  /**
   * The increase a body sets: both fields or neither (as LiteLLM requires); a lone one is a 400
   * naming the missing one. Positive amount and a bounded future expiry are core's checks.
   */
  static Optional<BudgetIncrease> read(Body b) {
    Optional<io.llmgateway.core.money.Money> amount = b.money(AMOUNT);
    Optional<java.time.Instant> expiry = b.instant(EXPIRY);
    if (b.has(AMOUNT) != b.has(EXPIRY)) {
      String missing = b.has(AMOUNT) ? EXPIRY : AMOUNT;
      throw Body.invalid(missing, AMOUNT + " and " + EXPIRY + " must be set together");
    }
    return amount.isPresent() && expiry.isPresent()
        ? Optional.of(new BudgetIncrease(amount.get(), expiry.get()))
        : Optional.empty();
  }

  /** The stored increase (null fields without one) and the forecast of each window read. */
  static void write(
      ObjectNode out, Optional<BudgetIncrease> increase, List<BudgetStatus> statuses) {
    out.set(AMOUNT, AdminJson.money(increase.map(BudgetIncrease::amount)));
    out.set(EXPIRY, AdminJson.time(increase.map(BudgetIncrease::expiresAt)));
    ObjectNode forecast = out.putObject("budget_forecast");
    for (BudgetStatus s : statuses) {
      BudgetForecast f = s.forecast();
      ObjectNode w = forecast.putObject(s.window().label());
      w.set("spend", AdminJson.money(f.spend()));
      w.set("limit", AdminJson.money(f.limit()));
      w.set("projected", AdminJson.money(f.projected()));
      w.set("projected_exhaustion_at", AdminJson.time(f.projectedExhaustionAt()));
    }
  }
}

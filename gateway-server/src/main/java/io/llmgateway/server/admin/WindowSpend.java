package io.llmgateway.server.admin;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.llmgateway.core.budget.BudgetWindow;
import io.llmgateway.core.budget.WindowPeriod;
import io.llmgateway.core.identity.Principal;
import io.llmgateway.core.money.Money;
import io.llmgateway.core.spend.SpendGroup;
import io.llmgateway.core.spend.SpendTotal;
import java.time.Instant;

/**
 * Spend of one team, user or key in the current day and month, from the spend log, whether or not
 * it has a budget (budget counters exist only for budgeted scopes). Answered for proxy admins, who
 * may read spend reports; other callers see the spend of their budget windows only. Stateless.
 */
final class WindowSpend {
  private WindowSpend() {}

  /**
   * Adds {@code spend_by_window: {daily, monthly}} and, when the object has no budget of its own,
   * sets {@code spend} to this month's spend.
   */
  static void write(
      AdminApi api,
      Principal actor,
      SpendGroup group,
      String id,
      ObjectNode out,
      boolean budgeted) {
    if (!actor.isProxyAdmin()) {
      return;
    }
    Instant now = api.clock().instant();
    ObjectNode byWindow = out.putObject("spend_by_window");
    Money monthly = Money.ZERO;
    for (BudgetWindow w : BudgetWindow.values()) {
      WindowPeriod p = w.periodAt(now, api.zone());
      Money spent =
          api.admin().spendReport(actor, group, p.start(), p.end()).stream()
              .filter(t -> t.group().equals(id))
              .map(SpendTotal::cost)
              .findFirst()
              .orElse(Money.ZERO);
      byWindow.set(w.label(), AdminJson.money(spent));
      if (w == BudgetWindow.MONTHLY) {
        monthly = spent;
      }
    }
    if (!budgeted) {
      out.set("spend", AdminJson.money(monthly));
    }
  }
}

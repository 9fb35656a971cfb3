package io.llmgateway.core.error;

import io.llmgateway.core.budget.BudgetScope;
import io.llmgateway.core.budget.BudgetWindow;
import io.llmgateway.core.money.Money;
import java.time.Instant;

/** A budget window has no room for this request. Names the window and when it resets. */
public final class BudgetExceededException extends GatewayException {
  private final BudgetScope scope;
  private final BudgetWindow window;
  private final Money limit;
  private final Money spent;
  private final Instant resetsAt;

  public BudgetExceededException(
      BudgetScope scope, BudgetWindow window, Money limit, Money spent, Instant resetsAt) {
    super(
        "budget exceeded: "
            + window.label()
            + " "
            + scope.kind().label()
            + " budget of "
            + limit
            + " has "
            + spent
            + " spent or reserved; it resets at "
            + resetsAt);
    this.scope = scope;
    this.window = window;
    this.limit = limit;
    this.spent = spent;
    this.resetsAt = resetsAt;
  }

  public BudgetScope scope() {
    return scope;
  }

  public BudgetWindow window() {
    return window;
  }

  public Money limit() {
    return limit;
  }

  public Money spent() {
    return spent;
  }

  public Instant resetsAt() {
    return resetsAt;
  }

  @Override
  public String code() {
    return "budget_exceeded";
  }
}

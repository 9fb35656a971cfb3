package io.llmgateway.core.error;

import io.llmgateway.core.budget.BudgetScope;
import io.llmgateway.core.budget.BudgetWindow;
import io.llmgateway.core.money.Money;
import java.time.Instant;
import java.util.Locale;
import java.util.Objects;

/**
 * A budget window has no room for this request. Names the window, what remains and when it resets,
 * and, when the refusal is about one request, what that request may cost and what that is made of.
 */
public final class BudgetExceededException extends GatewayException {
  private final BudgetScope scope;
  private final BudgetWindow window;
  private final Money limit;
  private final Money spent;
  private final Instant resetsAt;

  /**
   * What a refused request would have cost at most: its input bound (tokens, at one token per UTF-8
   * byte) at the input price plus the output it asked for (or the least it may be capped to).
   */
  public record Demand(Money worstCase, long inputTokens, long outputTokens) {
    public Demand {
      Objects.requireNonNull(worstCase, "worstCase");
    }
  }

  /** A refusal not tied to one request's size (the window is spent or reserved to its limit). */
  public BudgetExceededException(
      BudgetScope scope, BudgetWindow window, Money limit, Money spent, Instant resetsAt) {
    this(
        "budget exceeded: "
            + window.label()
            + " "
            + scope.kind().label()
            + " budget of "
            + limit
            + " has "
            + spent
            + " spent or reserved; it resets at "
            + resetsAt,
        scope,
        window,
        limit,
        spent,
        resetsAt);
  }

  /**
   * A refusal of one request: states its worst case and what it is made of beside what remains,
   * e.g. "this request may cost up to $0.0801 (100,093 input tokens at most + 1 output token);
   * $0.0651 of the daily user budget of $0.067 remains".
   */
  public BudgetExceededException(
      BudgetScope scope,
      BudgetWindow window,
      Money limit,
      Money spent,
      Instant resetsAt,
      Demand demand) {
    this(
        "budget exceeded: this request may cost up to "
            + demand.worstCase()
            + " ("
            + count(demand.inputTokens(), "input token")
            + " at most + "
            + count(demand.outputTokens(), "output token")
            + "); "
            + limit.minusOrZero(spent)
            + " of the "
            + window.label()
            + " "
            + scope.kind().label()
            + " budget of "
            + limit
            + " remains; it resets at "
            + resetsAt,
        scope,
        window,
        limit,
        spent,
        resetsAt);
  }

  private BudgetExceededException(
      String message,
      BudgetScope scope,
      BudgetWindow window,
      Money limit,
      Money spent,
      Instant resetsAt) {
    super(message);
    this.scope = scope;
    this.window = window;
    this.limit = limit;
    this.spent = spent;
    this.resetsAt = resetsAt;
  }

  private static String count(long n, String unit) {
    return String.format(Locale.ROOT, "%,d %s%s", n, unit, n == 1 ? "" : "s");
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

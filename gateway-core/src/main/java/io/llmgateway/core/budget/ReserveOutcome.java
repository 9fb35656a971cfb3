package io.llmgateway.core.budget;

/** The answer to a reservation attempt: held, or refused by the first line without room. */
public sealed interface ReserveOutcome {

  /** The money is held on every counter. */
  record Reserved(Reservation reservation) implements ReserveOutcome {}

  /** Nothing was held: {@code line} had {@code balance} and could not take the amount. */
  record Refused(BudgetLine line, CounterBalance balance) implements ReserveOutcome {}
}

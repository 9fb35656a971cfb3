package io.llmgateway.core.spend;

/** How a request ended, as far as spend is concerned. */
public enum SpendStatus {
  /** Answered in full; charged the reported usage. */
  SUCCESS,
  /**
   * Failed: nothing if the provider certainly did not bill, else its reported usage or the worst
   * case (see {@code ChargePolicy}).
   */
  ERROR,
  /**
   * The client went away mid-stream; charged the usage reported while the stream was drained, else
   * the worst case.
   */
  CANCELLED,
  /** Never settled by its instance (crash); charged the full reserved amount by a sweeper. */
  EXPIRED,
  /** Admitted, still running. Only seen on the pending record of a reservation. */
  PENDING
}

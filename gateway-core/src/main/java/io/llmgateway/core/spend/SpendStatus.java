package io.llmgateway.core.spend;

/** How a request ended, as far as spend is concerned. */
public enum SpendStatus {
  /** Answered in full; charged actual usage. */
  SUCCESS,
  /** Upstream failed; charged whatever usage is known (often zero). */
  ERROR,
  /** The client went away mid-stream; charged the usage so far. */
  CANCELLED,
  /** Never settled by its instance (crash); charged the full reserved amount by a sweeper. */
  EXPIRED,
  /** Admitted, still running. Only seen on the pending record of a reservation. */
  PENDING
}

package io.llmgateway.core.error;

/**
 * Whether a failed upstream call may have been billed by the provider. The provider adapter knows
 * (it saw what went over the wire); the core's charging policy decides from it what the request is
 * charged and whether another deployment may be tried. See docs/CORE.md, "What is charged".
 */
public enum Billing {
  /**
   * The provider certainly did not bill: nothing was sent (could not connect), or it answered an
   * error status before any body (throttling 429, a 4xx refusal, a 5xx). Another attempt may be
   * made at no cost.
   */
  NOT_BILLED,

  /**
   * The provider may have done, and billed, the work: the request was sent and no error status came
   * back (timeout, interrupted call, connection reset, an unreadable, cut or usage-less 200, an
   * error inside a 200 stream). Charged its reported usage, else its worst case; never retried.
   */
  MAYBE_BILLED
}

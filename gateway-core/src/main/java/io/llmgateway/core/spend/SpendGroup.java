package io.llmgateway.core.spend;

/** What a spend report groups by. */
public enum SpendGroup {
  TEAM,
  USER,
  KEY,
  MODEL,
  DAY
}

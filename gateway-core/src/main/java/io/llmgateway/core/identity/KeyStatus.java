package io.llmgateway.core.identity;

/** The state of a virtual key at a moment: usable, blocked by an admin, or past its expiry. */
public enum KeyStatus {
  ACTIVE,
  BLOCKED,
  EXPIRED
}

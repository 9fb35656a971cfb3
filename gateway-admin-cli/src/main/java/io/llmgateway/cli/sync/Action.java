package io.llmgateway.cli.sync;

/** What a sync does to one item. */
public enum Action {
  CREATE,
  UPDATE,
  UNCHANGED;

  public String label() {
    return name().toLowerCase(java.util.Locale.ROOT);
  }
}

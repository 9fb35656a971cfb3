package io.llmgateway.cli.output;

/** Output formats of listing and report commands. */
public enum Format {
  TABLE,
  CSV,
  JSON
}

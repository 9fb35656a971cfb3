package io.llmgateway.server.boot;

/** A startup setting is missing or wrong; the message says which one and how to fix it. */
public final class ConfigError extends RuntimeException {
  public ConfigError(String message) {
    super(message);
  }

  public ConfigError(String message, Throwable cause) {
    super(message, cause);
  }
}

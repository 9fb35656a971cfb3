package io.llmgateway.config;

/**
 * A configuration file is missing or wrong; the message says which file, where, and what to fix.
 */
public final class ConfigException extends RuntimeException {
  public ConfigException(String message) {
    super(message);
  }

  public ConfigException(String message, Throwable cause) {
    super(message, cause);
  }
}

package io.llmgateway.server.boot;

import java.time.Duration;
import java.util.Map;
import java.util.Optional;

/**
 * The spend log's settings from the environment (docs/POSTGRES.md "The spend log"): {@code
 * GATEWAY_SPEND_LOG_RETENTION_MONTHS}, how many whole months before the current one keep their rows
 * (unset: all; 0: the current month only), and {@code GATEWAY_SPEND_ROLLUP_SECONDS}, how often the
 * rollup job runs (default 60).
 */
final class SpendLogEnv {
  static final String RETENTION = "GATEWAY_SPEND_LOG_RETENTION_MONTHS";
  static final String ROLLUP = "GATEWAY_SPEND_ROLLUP_SECONDS";

  private SpendLogEnv() {}

  static Optional<Integer> retentionMonths(Map<String, String> env) {
    return number(env, RETENTION, 0, 1_200);
  }

  static Duration rollupEvery(Map<String, String> env) {
    return number(env, ROLLUP, 1, 86_400)
        .<Duration>map(Duration::ofSeconds)
        .orElse(io.llmgateway.server.DatabaseSettings.DEFAULT_ROLLUP_EVERY);
  }

  private static Optional<Integer> number(Map<String, String> env, String name, int min, int max) {
    String v = env.get(name);
    if (v == null || v.isBlank()) {
      return Optional.empty();
    }
    try {
      int n = Integer.parseInt(v.trim());
      if (n < min || n > max) {
        throw new ConfigError(name + " must be between " + min + " and " + max + ", got " + n);
      }
      return Optional.of(n);
    } catch (NumberFormatException e) {
      throw new ConfigError(name + " must be a whole number, got '" + v + "'");
    }
  }
}

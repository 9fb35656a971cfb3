package io.llmgateway.server;

import io.llmgateway.core.GatewayConfig;
import java.nio.file.Path;
import java.util.Objects;
import java.util.Optional;

/**
 * Where spend and identities live, and how the database is used ({@link ServerConfig#database()}).
 *
 * @param url libpq ({@code postgresql://user:pass@host/db}) or JDBC URL; empty: embedded
 * @param dataDir data directory of the embedded PostgreSQL (kept across restarts)
 * @param poolSize connections per instance
 * @param settlement spend written before a request answers (INLINE) or just after, in batches
 *     (DEFERRED, the default: one commit for many requests; see docs/CORE.md)
 * @param leaseWindow how long a budget lease admits requests ({@link
 *     ServerConfig#DEFAULT_LEASE_WINDOW}); zero: no leases, every request reserves in the database
 *     first (docs/CORE.md)
 * @param requestLogRetention how long refused requests stay in the request log ({@code
 *     GATEWAY_REQUEST_LOG_RETENTION_DAYS}, default 30 days; docs/ui/request-log.md)
 * @param spendLogRetentionMonths whole months before the current one whose spend-log partitions are
 *     kept ({@code GATEWAY_SPEND_LOG_RETENTION_MONTHS}; empty: all; docs/POSTGRES.md)
 * @param spendRollupEvery how often the daily rollups are brought up to date ({@code
 *     GATEWAY_SPEND_ROLLUP_SECONDS}, default 60 s)
 */
public record DatabaseSettings(
    Optional<ServerConfig.Secret> url,
    Path dataDir,
    int poolSize,
    GatewayConfig.Settlement settlement,
    java.time.Duration leaseWindow,
    java.time.Duration requestLogRetention,
    Optional<Integer> spendLogRetentionMonths,
    java.time.Duration spendRollupEvery) {
  /** How often the spend log's daily rollups are brought up to date by default. */
  public static final java.time.Duration DEFAULT_ROLLUP_EVERY = java.time.Duration.ofSeconds(60);

  public DatabaseSettings {
    Objects.requireNonNull(url, "url");
    Objects.requireNonNull(dataDir, "dataDir");
    if (poolSize < 1 || poolSize > 100) {
      throw new IllegalArgumentException("pool size must be between 1 and 100");
    }
    Objects.requireNonNull(settlement, "settlement");
    Objects.requireNonNull(leaseWindow, "leaseWindow");
    if (requestLogRetention.isNegative() || requestLogRetention.isZero()) {
      throw new IllegalArgumentException("request log retention must be positive");
    }
    Objects.requireNonNull(spendLogRetentionMonths, "spendLogRetentionMonths");
    if (spendRollupEvery.isNegative() || spendRollupEvery.isZero()) {
      throw new IllegalArgumentException("the spend rollup interval must be positive");
    }
  }

  /** With the spend log kept whole and rolled up every minute. */
  public DatabaseSettings(
      Optional<ServerConfig.Secret> url,
      Path dataDir,
      int poolSize,
      GatewayConfig.Settlement settlement,
      java.time.Duration leaseWindow,
      java.time.Duration requestLogRetention) {
    this(
        url,
        dataDir,
        poolSize,
        settlement,
        leaseWindow,
        requestLogRetention,
        Optional.empty(),
        DEFAULT_ROLLUP_EVERY);
  }

  /** With the default request log retention. */
  public DatabaseSettings(
      Optional<ServerConfig.Secret> url,
      Path dataDir,
      int poolSize,
      GatewayConfig.Settlement settlement,
      java.time.Duration leaseWindow) {
    this(
        url,
        dataDir,
        poolSize,
        settlement,
        leaseWindow,
        io.llmgateway.core.Gateway.DEFAULT_REQUEST_LOG_RETENTION);
  }
}

package io.llmgateway.server.support;

import io.llmgateway.server.ServerConfig;
import java.time.Duration;

/** Variations of a test server's configuration. */
public final class TestConfigs {
  private TestConfigs() {}

  /** {@code config} with budget leases off: every request reserves in the database. */
  public static ServerConfig leasesOff(ServerConfig config) {
    return withLeaseWindow(config, Duration.ZERO);
  }

  /** {@code config} with budget leases of {@code window} (zero: off). */
  public static ServerConfig withLeaseWindow(ServerConfig config, Duration window) {
    ServerConfig.Database d = config.database();
    return config.toBuilder()
        .database(
            new ServerConfig.Database(d.url(), d.dataDir(), d.poolSize(), d.settlement(), window))
        .build();
  }
}

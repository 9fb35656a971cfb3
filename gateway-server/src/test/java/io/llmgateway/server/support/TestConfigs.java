package io.llmgateway.server.support;

import io.llmgateway.server.DatabaseSettings;
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
    DatabaseSettings d = config.database();
    return config.toBuilder()
        .database(new DatabaseSettings(d.url(), d.dataDir(), d.poolSize(), d.settlement(), window))
        .build();
  }
}

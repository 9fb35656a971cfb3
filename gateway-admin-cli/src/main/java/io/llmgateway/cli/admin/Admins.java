package io.llmgateway.cli.admin;

import io.llmgateway.core.Stores;
import java.time.Clock;
import java.time.ZoneId;

/** Builds the CLI's {@link Admin} over opened stores. Stateless. */
public final class Admins {
  private Admins() {}

  public static Admin over(Stores stores, Clock clock, ZoneId zone) {
    return new StoresAdmin(stores, clock, zone);
  }
}

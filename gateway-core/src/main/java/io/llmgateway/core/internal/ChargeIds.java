package io.llmgateway.core.internal;

import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Ids of charges: one per admitted request, the ledger's key for its reservation or its draw on a
 * lease. They need to be unique, not secret, so they come from a thread-local generator (no
 * contention on the request path). Stateless.
 */
final class ChargeIds {
  private ChargeIds() {}

  static String next() {
    ThreadLocalRandom r = ThreadLocalRandom.current();
    return "chg-" + new UUID(r.nextLong(), r.nextLong());
  }
}

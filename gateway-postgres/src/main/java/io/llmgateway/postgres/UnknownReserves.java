package io.llmgateway.postgres;

import io.llmgateway.core.budget.ReservationRequest;
import io.llmgateway.core.budget.Settlement;
import io.llmgateway.core.money.Money;
import io.llmgateway.core.spend.SpendStatus;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reserves whose commit outcome is unknown: the connection broke after the statement was sent, so
 * the reservation may exist although the request was answered 503. Left alone, it would expire and
 * be charged in full for work never done. This remembers them and, once the database answers again,
 * ends each without charge ({@code ledger_abandon}, V106): a held one is settled at zero (spend row
 * {@code ERROR}, {@value #ERROR_TYPE}); one that does not exist is recorded as ended, so that a
 * reserve still on its way to the server cannot commit. Thread-safe.
 */
final class UnknownReserves {
  private static final Logger log = LoggerFactory.getLogger(UnknownReserves.class);

  static final String ERROR_TYPE = "reserve_outcome_unknown";

  /** More than this many unknown outcomes waiting means something else is wrong: keep the rest. */
  private static final int MAX_REMEMBERED = 10_000;

  private static final long RETRY_NANOS = 1_000_000_000L;

  private static final String ABANDON = "SELECT ledger_abandon(CAST(? AS jsonb))";

  private final Db db;
  private final Map<String, ReservationRequest> pending = new ConcurrentHashMap<>();
  private final ReentrantLock abandoning = new ReentrantLock();
  private volatile long nextAttempt = System.nanoTime();

  UnknownReserves(Db db) {
    this.db = db;
  }

  void remember(ReservationRequest request) {
    if (pending.size() < MAX_REMEMBERED) {
      pending.put(request.reservationId(), request);
    } else {
      log.warn(
          "reservation {} has an unknown outcome and too many are waiting; it may be charged"
              + " in full when it expires",
          request.reservationId());
    }
  }

  int size() {
    return pending.size();
  }

  /**
   * From the request path: if any are remembered, tries {@link #abandonPending} on a thread of its
   * own (at most once a second), so a request never waits for it, even while the database is still
   * away.
   */
  void abandonSoon() {
    long now = System.nanoTime();
    if (pending.isEmpty() || now - nextAttempt < 0 || abandoning.isLocked()) {
      return;
    }
    nextAttempt = now + RETRY_NANOS;
    Thread.ofVirtual().name("abandon-unknown-reserves").start(this::abandonPending);
  }

  /**
   * Ends the remembered reservations if there are any and the database answers; otherwise leaves
   * them for the next call. Never throws, never waits for another thread doing it.
   */
  void abandonPending() {
    if (pending.isEmpty() || !abandoning.tryLock()) {
      return;
    }
    try {
      List<ReservationRequest> batch = new ArrayList<>(pending.values());
      int ended = abandon(batch);
      batch.forEach(r -> pending.remove(r.reservationId(), r));
      log.info(
          "{} reservation(s) with an unknown outcome ended without charge ({} had been made)",
          batch.size(),
          ended);
    } catch (RuntimeException e) {
      log.debug("reservations with an unknown outcome wait for the database: {}", e.toString());
    } finally {
      abandoning.unlock();
    }
  }

  private int abandon(List<ReservationRequest> requests) {
    List<Map<String, Object>> rows = new ArrayList<>(requests.size());
    for (ReservationRequest r : requests) {
      // The ledger reads no clock: the request's own time stands in for when it ended.
      Settlement zero =
          new Settlement.Settle(
              r.reservationId(),
              r.pending()
                  .finish(
                      Optional.empty(),
                      Money.ZERO,
                      SpendStatus.ERROR,
                      Optional.of(ERROR_TYPE),
                      r.now()));
      Map<String, Object> row = new HashMap<>(8);
      row.put("id", r.reservationId());
      row.put("now", r.now().toString());
      row.put("expires", r.expiresAt().toString());
      row.put("pending", SpendRows.pending(r.pending()));
      row.put("settle", SpendRows.row(zero));
      rows.add(row);
    }
    String json = Json.writeValue(rows);
    return db.jdbc(
        c -> {
          try (var ps = c.prepareStatement(ABANDON)) {
            ps.setString(1, json);
            try (var rs = ps.executeQuery()) {
              rs.next();
              return rs.getInt(1);
            }
          }
        },
        constraint -> "a reservation with an unknown outcome could not be ended");
  }
}

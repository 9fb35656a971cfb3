package io.llmgateway.postgres;

import io.llmgateway.core.budget.BudgetLedger;
import io.llmgateway.core.budget.BudgetLine;
import io.llmgateway.core.budget.BudgetScope;
import io.llmgateway.core.budget.BudgetWindow;
import io.llmgateway.core.budget.CounterBalance;
import io.llmgateway.core.budget.CounterKey;
import io.llmgateway.core.budget.Reservation;
import io.llmgateway.core.budget.ReservationRequest;
import io.llmgateway.core.budget.ReserveOutcome;
import io.llmgateway.core.money.Money;
import io.llmgateway.core.spend.SpendRecord;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.statement.PreparedBatch;

/**
 * Budget counters in PostgreSQL with the zero-overshoot guarantee across processes.
 *
 * <p>Reserve is one short READ COMMITTED transaction: for each line, in {@link
 * CounterKey#LOCK_ORDER}, one {@code INSERT ... ON CONFLICT DO UPDATE ... WHERE committed +
 * reserved + amount <= limit}. PostgreSQL locks the conflicting row and evaluates the WHERE on its
 * latest committed version (not the statement snapshot), so the check and the increment are one
 * atomic step per counter; if any line is refused the transaction rolls back and nothing is held.
 * Locks are always taken in the same global order, so reservations cannot deadlock; see
 * docs/POSTGRES.md. Thread-safe.
 */
final class PostgresBudgetLedger implements BudgetLedger {

  /**
   * Creates the counter with the amount reserved if it is new (and the amount alone fits), or adds
   * the amount if the row with it still fits. Returns a row only when the amount was taken.
   */
  private static final String RESERVE_LINE =
      "INSERT INTO budget_counters AS c (scope_kind, scope_id, time_window, period,"
          + " committed_nanos, reserved_nanos, limit_nanos, resets_at)"
          + " SELECT :kind, :id, :window, :period, 0, :amount, :limit, :resets WHERE :amount <="
          + " :limit"
          + " ON CONFLICT (scope_kind, scope_id, time_window, period) DO UPDATE"
          + " SET reserved_nanos = c.reserved_nanos + EXCLUDED.reserved_nanos,"
          + " limit_nanos = EXCLUDED.limit_nanos"
          + " WHERE c.committed_nanos + c.reserved_nanos + EXCLUDED.reserved_nanos"
          + " <= EXCLUDED.limit_nanos"
          + " RETURNING c.committed_nanos";

  private static final String KEY_MATCH =
      "scope_kind = :kind AND scope_id = :id AND time_window = :window AND period = :period";

  private final Db db;

  PostgresBudgetLedger(Db db) {
    this.db = db;
  }

  @Override
  public Map<CounterKey, CounterBalance> balances(Collection<CounterKey> counters) {
    Map<CounterKey, CounterBalance> result = new HashMap<>();
    if (counters.isEmpty()) {
      return result;
    }
    db.with(
        h -> {
          for (CounterKey k : counters) {
            CounterBalance b =
                bindKey(
                        h.createQuery(
                            "SELECT committed_nanos, reserved_nanos FROM budget_counters WHERE "
                                + KEY_MATCH),
                        k)
                    .map(
                        (rs, ctx) ->
                            new CounterBalance(
                                Money.ofNanos(rs.getLong(1)), Money.ofNanos(rs.getLong(2))))
                    .findOne()
                    .orElse(CounterBalance.EMPTY);
            result.put(k, b);
          }
          return null;
        });
    return result;
  }

  @Override
  public ReserveOutcome reserve(ReservationRequest request) {
    List<BudgetLine> lines = new ArrayList<>(request.lines());
    lines.sort((a, b) -> CounterKey.LOCK_ORDER.compare(a.counter(), b.counter()));
    return db.tx(
        h -> {
          // Cold rows first (the reservation and its lines), hot counter rows last: a counter's
          // row lock is then held only from its upsert to the commit.
          h.createUpdate(
                  "INSERT INTO reservations (id, amount_nanos, state, created_at, expires_at,"
                      + " pending) VALUES (:id, :amount, 'held', :now, :expires, CAST(:pending AS"
                      + " jsonb))")
              .bind("id", request.reservationId())
              .bind("amount", request.amount().nanos())
              .bind("now", request.now())
              .bind("expires", request.expiresAt())
              .bind("pending", SpendRows.pendingJson(request.pending()))
              .execute();
          if (!lines.isEmpty()) {
            PreparedBatch batch =
                h.prepareBatch(
                    "INSERT INTO reservation_lines (reservation_id, scope_kind, scope_id,"
                        + " time_window, period) VALUES (:rid, :kind, :id, :window, :period)");
            for (BudgetLine line : lines) {
              bindKey(batch.bind("rid", request.reservationId()), line.counter()).add();
            }
            batch.execute();
          }
          for (BudgetLine line : lines) {
            boolean taken =
                bindKey(h.createQuery(RESERVE_LINE), line.counter())
                    .bind("amount", request.amount().nanos())
                    .bind("limit", line.limit().nanos())
                    .bind("resets", line.resetsAt())
                    .mapTo(Long.class)
                    .findOne()
                    .isPresent();
            if (!taken) {
              CounterBalance balance = readBalance(h, line.counter());
              h.rollback();
              return new ReserveOutcome.Refused(line, balance);
            }
          }
          return new ReserveOutcome.Reserved(
              new Reservation(
                  request.reservationId(),
                  lines.stream().map(BudgetLine::counter).toList(),
                  request.amount(),
                  request.now(),
                  request.expiresAt()));
        },
        constraint -> "reservation '" + request.reservationId() + "' already exists");
  }

  @Override
  public boolean settle(String reservationId, SpendRecord record) {
    return db.tx(
        h ->
            lock(h, "id = :id FOR UPDATE", "id", reservationId)
                .map(
                    held -> {
                      SpendRows.insert(h, reservationId, record);
                      release(h, held, record.cost(), "settled", record.endedAt());
                      return true;
                    })
                .orElse(false));
  }

  @Override
  public int expire(Instant now) {
    int settled = 0;
    // One reservation per transaction: short locks, and SKIP LOCKED lets many sweepers (and a
    // late settle) work side by side; a row another sweeper holds is simply skipped.
    while (true) {
      boolean did =
          db.tx(
              h ->
                  lock(
                          h,
                          "expires_at < :now ORDER BY expires_at LIMIT 1 FOR UPDATE SKIP LOCKED",
                          "now",
                          now)
                      .map(
                          held -> {
                            SpendRows.insert(
                                h,
                                held.id,
                                SpendRows.expiredRecord(held.pending, held.amount, now));
                            release(h, held, held.amount, "expired", now);
                            return true;
                          })
                      .orElse(false));
      if (!did) {
        return settled;
      }
      settled++;
    }
  }

  /** A held reservation, locked for this transaction. */
  private record Held(String id, Money amount, String pending) {}

  private static Optional<Held> lock(Handle h, String condition, String param, Object value) {
    return h.createQuery(
            "SELECT id, amount_nanos, pending::text FROM reservations WHERE state = 'held' AND "
                + condition)
        .bind(param, value)
        .map((rs, ctx) -> new Held(rs.getString(1), Money.ofNanos(rs.getLong(2)), rs.getString(3)))
        .findOne();
  }

  /**
   * Moves the reservation out of every counter: {@code reserved -= amount}, {@code committed +=
   * charge}, in lock order. The charge is what was actually spent, even above the amount held (an
   * under-estimate must never under-charge).
   */
  private static void release(Handle h, Held held, Money charge, String state, Instant at) {
    List<CounterKey> keys =
        h.createQuery(
                "SELECT scope_kind, scope_id, time_window, period FROM reservation_lines WHERE"
                    + " reservation_id = :rid")
            .bind("rid", held.id)
            .map(
                (rs, ctx) ->
                    new CounterKey(
                        new BudgetScope(BudgetScope.Kind.valueOf(rs.getString(1)), rs.getString(2)),
                        BudgetWindow.valueOf(rs.getString(3)),
                        rs.getString(4)))
            .list();
    // Cold row first, hot counter rows last (see reserve).
    h.createUpdate("UPDATE reservations SET state = :state, settled_at = :at WHERE id = :id")
        .bind("state", state)
        .bind("at", at)
        .bind("id", held.id)
        .execute();
    List<CounterKey> ordered = new ArrayList<>(keys);
    ordered.sort(CounterKey.LOCK_ORDER);
    for (CounterKey k : ordered) {
      bindKey(
              h.createUpdate(
                  "UPDATE budget_counters SET reserved_nanos = reserved_nanos - :amount,"
                      + " committed_nanos = committed_nanos + :charge WHERE "
                      + KEY_MATCH),
              k)
          .bind("amount", held.amount.nanos())
          .bind("charge", charge.nanos())
          .execute();
    }
  }

  private static CounterBalance readBalance(Handle h, CounterKey k) {
    return bindKey(
            h.createQuery(
                "SELECT committed_nanos, reserved_nanos FROM budget_counters WHERE " + KEY_MATCH),
            k)
        .map(
            (rs, ctx) ->
                new CounterBalance(Money.ofNanos(rs.getLong(1)), Money.ofNanos(rs.getLong(2))))
        .findOne()
        .orElse(CounterBalance.EMPTY);
  }

  private static <S extends org.jdbi.v3.core.statement.SqlStatement<S>> S bindKey(
      S s, CounterKey k) {
    return s.bind("kind", k.scope().kind().name())
        .bind("id", k.scope().id())
        .bind("window", k.window().name())
        .bind("period", k.period());
  }
}

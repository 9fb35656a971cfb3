package io.llmgateway.postgres;

import io.llmgateway.core.budget.BudgetLedger;
import io.llmgateway.core.budget.BudgetLine;
import io.llmgateway.core.budget.CounterBalance;
import io.llmgateway.core.budget.CounterKey;
import io.llmgateway.core.budget.Reservation;
import io.llmgateway.core.budget.ReservationRequest;
import io.llmgateway.core.budget.ReserveOutcome;
import io.llmgateway.core.budget.Settlement;
import io.llmgateway.core.error.StorageUnavailableException;
import io.llmgateway.core.money.Money;
import io.llmgateway.core.spend.SpendRecord;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Budget counters in PostgreSQL with the zero-overshoot guarantee across processes.
 *
 * <p>Each write is one statement in autocommit mode (a READ COMMITTED transaction of its own),
 * running server-side functions: reserve is a conditional {@code INSERT ... ON CONFLICT DO UPDATE
 * ... WHERE committed + reserved + amount <= limit} per counter, in a fixed lock order, all rolled
 * back by one raised error if any counter lacks room (V2; concurrent ones grouped by V103); settle,
 * of one reservation or many (V101), marks each settled (only if still held, which makes it
 * idempotent), writes its spend row and moves reserved into committed; expire does the same for one
 * overdue reservation at a time, taken with {@code FOR UPDATE SKIP LOCKED}. No row lock is ever
 * held across a client round trip. Stored periods carry the database's budget time zone ({@code
 * 2026-12-05@UTC}, V107). The statements' text is in {@link LedgerSql}. See docs/POSTGRES.md.
 * Thread-safe.
 */
final class PostgresBudgetLedger implements BudgetLedger {
  /** The SQLSTATE ledger_reserve raises when a line has no room. */
  static final String REFUSED = "GWB01";

  private final Db db;
  private final ReserveBatcher batcher;
  private final String zoneId;
  private final UnknownReserves unknownOutcomes;

  /**
   * @param zone the database's budget time zone (gateway_settings, V107), which every caller
   *     computes its periods in: stored periods carry it ({@code 2026-12-05@America/Los_Angeles})
   */
  PostgresBudgetLedger(Db db, ZoneId zone) {
    this.db = db;
    this.zoneId = zone.getId();
    this.batcher = new ReserveBatcher(this::reserveOne, this::reserveAll, Db::unreachable);
    this.unknownOutcomes = new UnknownReserves(db);
  }

  /** Reserves that failed with their outcome unknown and are not yet ended; for tests. */
  int unknownReserves() {
    return unknownOutcomes.size();
  }

  @Override
  public Map<CounterKey, CounterBalance> balances(Collection<CounterKey> counters) {
    Map<CounterKey, CounterBalance> result = new HashMap<>();
    db.with(
        h -> {
          for (CounterKey k : counters) {
            result.put(
                k,
                h.createQuery(LedgerSql.BALANCE)
                    .bind("kind", k.scope().kind().name())
                    .bind("id", k.scope().id())
                    .bind("window", k.window().name())
                    .bind("period", stored(k))
                    .map(
                        (rs, ctx) ->
                            new CounterBalance(
                                Money.ofNanos(rs.getLong(1)), Money.ofNanos(rs.getLong(2))))
                    .findOne()
                    .orElse(CounterBalance.EMPTY));
          }
          return null;
        });
    return result;
  }

  @Override
  public Money leasedOn(Collection<CounterKey> counters) {
    if (counters.isEmpty()) {
      return Money.ZERO;
    }
    List<CounterKey> ks = List.copyOf(counters);
    String[] kinds = ks.stream().map(k -> k.scope().kind().name()).toArray(String[]::new);
    String[] ids = ks.stream().map(k -> k.scope().id()).toArray(String[]::new);
    String[] windows = ks.stream().map(k -> k.window().name()).toArray(String[]::new);
    String[] periods = ks.stream().map(this::stored).toArray(String[]::new);
    return db.jdbc(
        c -> {
          try (PreparedStatement ps = c.prepareStatement(LedgerSql.LEASED_ON)) {
            ps.setString(1, LEASE_MODEL);
            ps.setArray(2, c.createArrayOf("text", kinds));
            ps.setArray(3, c.createArrayOf("text", ids));
            ps.setArray(4, c.createArrayOf("text", windows));
            ps.setArray(5, c.createArrayOf("text", periods));
            try (ResultSet rs = ps.executeQuery()) {
              rs.next();
              return Money.ofNanos(rs.getLong(1));
            }
          }
        },
        constraint -> "reading leases failed");
  }

  /**
   * Concurrent reserves are grouped into one statement by {@link ReserveBatcher}; a lone one runs
   * at once as the single-request statement.
   */
  @Override
  public ReserveOutcome reserve(ReservationRequest request) {
    unknownOutcomes.abandonSoon();
    try {
      return batcher.reserve(request);
    } catch (StorageUnavailableException e) {
      // Answered 503: whatever the database did with it, this reservation must not be charged.
      if (Db.outcomeUnknown(e)) {
        unknownOutcomes.remember(request);
      }
      throw e;
    }
  }

  /**
   * The period as stored: the key and its zone. One zone per database, so the SQL functions' lock
   * order (byte order of the period) among one request's counters is the order of the keys.
   */
  private String stored(CounterKey k) {
    return BudgetZoneSetting.stamp(k.period(), zoneId);
  }

  private static List<BudgetLine> inLockOrder(ReservationRequest request) {
    List<BudgetLine> lines = new ArrayList<>(request.lines());
    lines.sort((a, b) -> CounterKey.LOCK_ORDER.compare(a.counter(), b.counter()));
    return lines;
  }

  private static ReserveOutcome.Reserved reserved(
      ReservationRequest request, List<BudgetLine> lines) {
    return new ReserveOutcome.Reserved(
        new Reservation(
            request.reservationId(),
            lines.stream().map(BudgetLine::counter).toList(),
            request.amount(),
            request.now(),
            request.expiresAt()));
  }

  /**
   * Several reserves in one statement, decided in order; package-private for tests. The batch goes
   * as columns ({@link ReserveColumns}).
   */
  List<ReserveOutcome> reserveAll(List<ReservationRequest> requests) {
    List<List<BudgetLine>> sorted =
        requests.stream().map(PostgresBudgetLedger::inLockOrder).toList();
    ReserveColumns batch = new ReserveColumns(requests, sorted, this::stored);
    List<ReserveOutcome> outcomes = new ArrayList<>(requests.size());
    for (int i = 0; i < requests.size(); i++) {
      outcomes.add(reserved(requests.get(i), sorted.get(i)));
    }
    db.jdbc(
        c -> {
          try (PreparedStatement ps = c.prepareStatement(ReserveColumns.RESERVE_BATCH)) {
            batch.bind(c, ps);
            try (ResultSet rs = ps.executeQuery()) {
              while (rs.next()) {
                int item = rs.getInt(1) - 1;
                outcomes.set(
                    item,
                    new ReserveOutcome.Refused(
                        sorted.get(item).get(rs.getInt(2) - 1),
                        new CounterBalance(
                            Money.ofNanos(rs.getLong(3)), Money.ofNanos(rs.getLong(4)))));
              }
            }
          }
          return null;
        },
        constraint -> "a reservation of this batch already exists");
    return outcomes;
  }

  private ReserveOutcome reserveOne(ReservationRequest request) {
    List<BudgetLine> lines = inLockOrder(request);
    LineColumns columns = new LineColumns(lines, this::stored);
    return db.jdbc(
        c -> {
          try (PreparedStatement ps = c.prepareStatement(LedgerSql.RESERVE)) {
            ps.setString(1, request.reservationId());
            ps.setLong(2, request.amount().nanos());
            ps.setTimestamp(3, Timestamp.from(request.now()));
            ps.setTimestamp(4, Timestamp.from(request.expiresAt()));
            ps.setString(5, SpendRows.pendingJson(request.pending()));
            columns.bind(c, ps, 6);
            ps.executeQuery().close();
          } catch (SQLException e) {
            if (!REFUSED.equals(e.getSQLState())) {
              throw e;
            }
            // DETAIL is "index:committed:reserved" of the first line without room.
            String[] d = Db.detail(e).split(":");
            return new ReserveOutcome.Refused(
                lines.get(Integer.parseInt(d[0]) - 1),
                new CounterBalance(
                    Money.ofNanos(Long.parseLong(d[1])), Money.ofNanos(Long.parseLong(d[2]))));
          }
          return reserved(request, lines);
        },
        constraint -> "reservation '" + request.reservationId() + "' already exists");
  }

  @Override
  public boolean settle(String reservationId, SpendRecord record) {
    return settle(
            List.of(new Settlement.Settle(reservationId, record)),
            true,
            "reservation '" + reservationId + "' is already in the spend log")
        > 0;
  }

  @Override
  public boolean draw(String reservationId, String chargeId, SpendRecord record) {
    return settle(
            List.of(new Settlement.Draw(reservationId, chargeId, record)),
            true,
            "charge '" + chargeId + "' is already in the spend log")
        > 0;
  }

  @Override
  public boolean release(String reservationId, Money drawn) {
    return write(
            Json.writeValue(List.of(SpendRows.releaseRow(reservationId, drawn))),
            true,
            "reservation '" + reservationId + "' could not be released")
        > 0;
  }

  @Override
  public int settleAll(List<Settlement> settlements) {
    // Even a batch of one goes through here: its commit does not wait for the WAL flush, which
    // settle() keeps for inline settlement.
    if (settlements.isEmpty()) {
      return 0;
    }
    return settle(settlements, false, "a reservation of this batch is already in the spend log");
  }

  private int settle(List<Settlement> settlements, boolean durable, String conflict) {
    if (SettleColumns.applies(settlements)) { // settles only (V124) or lease draws only (V134)
      return db.jdbc(c -> SettleColumns.write(c, settlements, durable), constraint -> conflict);
    }
    return write(SpendRows.batchJson(settlements), durable, conflict);
  }

  private int write(String rows, boolean durable, String conflict) {
    return db.jdbc(
        c -> {
          try (PreparedStatement ps = c.prepareStatement(LedgerSql.WRITE_BATCH)) {
            ps.setString(1, rows);
            ps.setBoolean(2, durable);
            try (ResultSet rs = ps.executeQuery()) {
              rs.next();
              return rs.getInt(1);
            }
          }
        },
        constraint -> conflict);
  }

  @Override
  public Money seedFromSpend(BudgetLine line, Instant periodStart) {
    return CounterSeed.seed(db, line, stored(line.counter()), periodStart);
  }

  @Override
  public int purgeEnded(Instant endedBefore, int max) {
    return db.with(
        h ->
            h.createQuery(LedgerSql.PURGE_ENDED)
                .bind("before", endedBefore)
                .bind("max", max)
                .mapTo(Integer.class)
                .one());
  }

  @Override
  public int expire(Instant now) {
    unknownOutcomes.abandonPending();
    int settled = 0;
    // One reservation per statement: short locks, and SKIP LOCKED lets many sweepers (and a late
    // settle) work side by side; a row another sweeper holds is simply skipped.
    while (db.with(
        h ->
            h.createQuery(LedgerSql.EXPIRE_ONE)
                .bind("now", now)
                .mapTo(Integer.class)
                .findOne()
                .isPresent())) {
      settled++;
    }
    return settled;
  }
}

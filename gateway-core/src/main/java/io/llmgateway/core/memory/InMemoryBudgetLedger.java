package io.llmgateway.core.memory;

import io.llmgateway.core.budget.BudgetLedger;
import io.llmgateway.core.budget.BudgetLine;
import io.llmgateway.core.budget.CounterBalance;
import io.llmgateway.core.budget.CounterKey;
import io.llmgateway.core.budget.Reservation;
import io.llmgateway.core.budget.ReservationRequest;
import io.llmgateway.core.budget.ReserveOutcome;
import io.llmgateway.core.error.ConflictException;
import io.llmgateway.core.money.Money;
import io.llmgateway.core.spend.SpendRecord;
import io.llmgateway.core.spend.SpendStatus;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Budget counters and open reservations under one lock, so a reservation checks and changes every
 * counter it touches as one step; settling writes the spend row under the same lock, so counters
 * and spend log never disagree. Thread-safe.
 */
final class InMemoryBudgetLedger implements BudgetLedger {
  private static final Logger LOG = LoggerFactory.getLogger(InMemoryBudgetLedger.class);

  /** A held reservation, its pending spend record and the total of the draws made on it. */
  private record Open(Reservation reservation, SpendRecord pending, Money drawn) {
    Open(Reservation reservation, SpendRecord pending) {
      this(reservation, pending, Money.ZERO);
    }
  }

  private final ReentrantLock lock = new ReentrantLock();
  private final Map<CounterKey, CounterBalance> counters = new HashMap<>();
  private final Map<String, Open> open = new LinkedHashMap<>();

  /** Ended reservations (and drawn requests) with when they ended, oldest first. */
  private final Map<String, Instant> finished = new LinkedHashMap<>();

  private final InMemorySpendLog spendLog;

  InMemoryBudgetLedger(InMemorySpendLog spendLog) {
    this.spendLog = spendLog;
  }

  @Override
  public Map<CounterKey, CounterBalance> balances(Collection<CounterKey> keys) {
    lock.lock();
    try {
      Map<CounterKey, CounterBalance> result = new LinkedHashMap<>();
      for (CounterKey k : keys) {
        result.put(k, counters.getOrDefault(k, CounterBalance.EMPTY));
      }
      return result;
    } finally {
      lock.unlock();
    }
  }

  @Override
  public ReserveOutcome reserve(ReservationRequest request) {
    Money amount = request.amount();
    lock.lock();
    try {
      String id = request.reservationId();
      if (open.containsKey(id) || finished.containsKey(id)) {
        throw new ConflictException("reservation '" + id + "' already exists");
      }
      for (BudgetLine line : request.lines()) {
        CounterBalance b = counters.getOrDefault(line.counter(), CounterBalance.EMPTY);
        if (!fits(b, amount, line.limit())) {
          return new ReserveOutcome.Refused(line, b);
        }
      }
      // A counter named by two lines is held once: the amount is what it will really carry.
      Set<CounterKey> distinct = new LinkedHashSet<>();
      request.lines().forEach(l -> distinct.add(l.counter()));
      for (CounterKey k : distinct) {
        CounterBalance b = counters.getOrDefault(k, CounterBalance.EMPTY);
        counters.put(k, new CounterBalance(b.committed(), b.reserved().plus(amount)));
      }
      Reservation r =
          new Reservation(
              id, new ArrayList<>(distinct), amount, request.now(), request.expiresAt());
      open.put(id, new Open(r, request.pending()));
      return new ReserveOutcome.Reserved(r);
    } finally {
      lock.unlock();
    }
  }

  private static boolean fits(CounterBalance b, Money amount, Money limit) {
    // Sums of amounts bounded by Money.MAX cannot overflow a long.
    return b.committed().nanos() + b.reserved().nanos() + amount.nanos() <= limit.nanos();
  }

  @Override
  public Money leasedOn(Collection<CounterKey> counters) {
    lock.lock();
    try {
      long sum = 0;
      for (Open o : open.values()) {
        if (o.pending().model().equals(LEASE_MODEL)
            && o.reservation().counters().stream().anyMatch(counters::contains)) {
          sum += o.reservation().amount().nanos();
        }
      }
      return Money.ofNanos(sum);
    } finally {
      lock.unlock();
    }
  }

  @Override
  public boolean settle(String reservationId, SpendRecord record) {
    lock.lock();
    try {
      Open o = open.remove(reservationId);
      if (o == null) {
        return false;
      }
      Reservation r = o.reservation();
      if (record.cost().compareTo(r.amount()) > 0) {
        // The admission bound should make this impossible; charge the truth and say so.
        LOG.warn(
            "reservation {} settled at {} above its reserved {}",
            r.id(),
            record.cost(),
            r.amount());
      }
      finish(r, record);
      return true;
    } finally {
      lock.unlock();
    }
  }

  @Override
  public boolean draw(String reservationId, String chargeId, SpendRecord record) {
    lock.lock();
    try {
      Open o = open.get(reservationId);
      if (o == null || finished.putIfAbsent(chargeId, record.endedAt()) != null) {
        return false;
      }
      Reservation r = o.reservation();
      Money released = Money.min(record.cost(), r.amount());
      move(r, record.cost(), released);
      open.put(
          reservationId,
          new Open(
              new Reservation(
                  r.id(),
                  r.counters(),
                  r.amount().minusOrZero(released),
                  r.createdAt(),
                  r.expiresAt()),
              o.pending(),
              o.drawn().plus(record.cost())));
      spendLog.append(record);
      return true;
    } finally {
      lock.unlock();
    }
  }

  @Override
  public boolean release(String reservationId, Money drawn) {
    lock.lock();
    try {
      Open o = open.remove(reservationId);
      if (o == null) {
        return false;
      }
      Reservation r = o.reservation();
      // Draws the holder made that never reached the ledger (lost to a crash) are charged now.
      Money shortfall = drawn.minusOrZero(o.drawn());
      move(r, shortfall, r.amount());
      // No clock here: the reservation's start stands in for when it ended (earlier, never later).
      finished.put(reservationId, r.createdAt());
      if (!shortfall.isZero()) {
        spendLog.append(
            o.pending()
                .finish(
                    Optional.empty(),
                    shortfall,
                    SpendStatus.EXPIRED,
                    Optional.of(DRAWS_LOST),
                    r.createdAt()));
      }
      return true;
    } finally {
      lock.unlock();
    }
  }

  @Override
  public int purgeEnded(Instant endedBefore, int max) {
    lock.lock();
    try {
      int purged = 0;
      var it = finished.entrySet().iterator();
      while (it.hasNext() && purged < max) {
        if (it.next().getValue().isBefore(endedBefore)) {
          it.remove();
          purged++;
        }
      }
      return purged;
    } finally {
      lock.unlock();
    }
  }

  @Override
  public int expire(Instant now) {
    lock.lock();
    try {
      List<Open> due =
          open.values().stream().filter(o -> o.reservation().expiresAt().isBefore(now)).toList();
      for (Open o : due) {
        Reservation r = o.reservation();
        open.remove(r.id());
        SpendRecord charged =
            o.pending()
                .finish(
                    o.pending().usage(),
                    r.amount(),
                    SpendStatus.EXPIRED,
                    Optional.of("reservation_expired"),
                    r.expiresAt());
        finish(r, charged);
      }
      return due.size();
    } finally {
      lock.unlock();
    }
  }

  @Override
  public Money seedFromSpend(BudgetLine line, Instant periodStart) {
    CounterKey k = line.counter();
    // Under the ledger's lock: no settle can charge the counter or append spend meanwhile.
    lock.lock();
    try {
      Money spent = spendLog.total(r -> inScope(r, k) && started(r, periodStart, line.resetsAt()));
      CounterBalance b = counters.getOrDefault(k, CounterBalance.EMPTY);
      Money committed = b.committed().compareTo(spent) >= 0 ? b.committed() : spent;
      counters.put(k, new CounterBalance(committed, b.reserved()));
      return committed;
    } finally {
      lock.unlock();
    }
  }

  private static boolean inScope(SpendRecord r, CounterKey k) {
    String id = k.scope().id();
    return switch (k.scope().kind()) {
      case TEAM -> r.teamId().equals(Optional.of(id));
      case USER -> r.userId().equals(Optional.of(id));
      case KEY -> r.keyId().equals(id);
    };
  }

  private static boolean started(SpendRecord r, Instant from, Instant to) {
    return !r.startedAt().isBefore(from) && r.startedAt().isBefore(to);
  }

  private void finish(Reservation r, SpendRecord record) {
    move(r, record.cost(), r.amount());
    finished.put(r.id(), record.endedAt());
    spendLog.append(record);
  }

  /** Adds {@code charged} to committed and takes {@code released} off reserved on r's counters. */
  private void move(Reservation r, Money charged, Money released) {
    for (CounterKey k : r.counters()) {
      CounterBalance b = counters.getOrDefault(k, CounterBalance.EMPTY);
      counters.put(
          k, new CounterBalance(b.committed().plus(charged), b.reserved().minusOrZero(released)));
    }
  }
}

package io.llmgateway.core.memory;

import static io.llmgateway.core.testing.Fixtures.T0;
import static io.llmgateway.core.testing.Fixtures.dailyLine;
import static io.llmgateway.core.testing.Fixtures.monthlyLine;
import static io.llmgateway.core.testing.Fixtures.spend;
import static org.assertj.core.api.Assertions.assertThat;

import io.llmgateway.core.PageRequest;
import io.llmgateway.core.Stores;
import io.llmgateway.core.budget.BudgetLedger;
import io.llmgateway.core.budget.BudgetLine;
import io.llmgateway.core.budget.BudgetScope;
import io.llmgateway.core.budget.CounterBalance;
import io.llmgateway.core.budget.CounterKey;
import io.llmgateway.core.budget.ReservationRequest;
import io.llmgateway.core.budget.ReserveOutcome;
import io.llmgateway.core.money.Money;
import io.llmgateway.core.spend.SpendQuery;
import io.llmgateway.core.spend.SpendRecord;
import io.llmgateway.core.spend.SpendStatus;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;

/**
 * The budget guarantee under contention: many threads reserving, settling and expiring at random
 * against shared counters never push committed + reserved over any limit, and every nano-dollar
 * committed is accounted for by exactly one spend-log row.
 */
class InMemoryLedgerAdmissionPropertyTest {
  private static final int THREADS = 8;
  private static final int OPS_PER_THREAD = 300;

  @Property(tries = 30)
  void randomInterleavingsNeverOvershootAndSpendLogMatchesCounters(
      @ForAll long seed,
      @ForAll @IntRange(min = 1_000, max = 200_000) int userLimit,
      @ForAll @IntRange(min = 1_000, max = 400_000) int teamLimit)
      throws Exception {
    Stores stores = InMemoryAdapters.create();
    BudgetLedger ledger = stores.ledger();
    BudgetLine user = dailyLine(BudgetScope.user("u1"), Money.ofNanos(userLimit), T0);
    BudgetLine team = monthlyLine(BudgetScope.team("t1"), Money.ofNanos(teamLimit), T0);
    List<BudgetLine> shared = List.of(user, team);
    long maxAmount = Math.max(1, Math.min(userLimit, teamLimit) / 5);

    AtomicLong clock = new AtomicLong();
    AtomicBoolean running = new AtomicBoolean(true);
    ConcurrentLinkedQueue<String> violations = new ConcurrentLinkedQueue<>();
    AtomicLong settledCost = new AtomicLong();
    AtomicLong reservedCount = new AtomicLong();
    CountDownLatch start = new CountDownLatch(1);

    Thread sampler =
        new Thread(
            () -> {
              while (running.get()) {
                check(ledger, shared, violations);
              }
            });
    List<Thread> workers = new ArrayList<>();
    for (int w = 0; w < THREADS; w++) {
      Random random = new Random(seed + w);
      String worker = "w" + w;
      workers.add(
          new Thread(
              () -> {
                await(start);
                List<String[]> open = new ArrayList<>();
                for (int i = 0; i < OPS_PER_THREAD; i++) {
                  int op = random.nextInt(10);
                  Instant now = T0.plusSeconds(clock.incrementAndGet());
                  if (op < 5 || open.isEmpty()) {
                    String id = worker + "-" + i;
                    long amount = 1 + (long) (random.nextDouble() * maxAmount);
                    var req =
                        new ReservationRequest(
                            id,
                            shared,
                            Money.ofNanos(amount),
                            now,
                            now.plusSeconds(1 + random.nextInt(200)),
                            spend(id, "k1").user("u1").team("t1").started(now).pending());
                    if (ledger.reserve(req) instanceof ReserveOutcome.Reserved) {
                      reservedCount.incrementAndGet();
                      open.add(new String[] {id, Long.toString(amount)});
                    }
                  } else if (op < 9) {
                    String[] r = open.remove(random.nextInt(open.size()));
                    long actual = (long) (random.nextDouble() * (Long.parseLong(r[1]) + 1));
                    SpendRecord done =
                        spend(r[0], "k1").user("u1").team("t1").nanos(actual).ended(now).build();
                    if (ledger.settle(r[0], done)) {
                      settledCost.addAndGet(actual);
                    }
                  } else {
                    ledger.expire(now);
                  }
                }
              }));
    }
    sampler.start();
    workers.forEach(Thread::start);
    start.countDown();
    for (Thread t : workers) {
      t.join();
    }
    running.set(false);
    sampler.join();
    // Whatever is still open is swept, as a surviving instance would.
    ledger.expire(T0.plusSeconds(clock.get() + 1_000));
    check(ledger, shared, violations);

    assertThat(violations).isEmpty();
    List<SpendRecord> rows = allRows(stores);
    assertThat(rows).hasSize((int) reservedCount.get());
    long successCost =
        rows.stream()
            .filter(r -> r.status() == SpendStatus.SUCCESS)
            .mapToLong(r -> r.cost().nanos())
            .sum();
    long totalCost = rows.stream().mapToLong(r -> r.cost().nanos()).sum();
    assertThat(successCost).isEqualTo(settledCost.get());
    Map<CounterKey, CounterBalance> end = ledger.balances(List.of(user.counter(), team.counter()));
    for (CounterBalance b : end.values()) {
      assertThat(b.reserved()).isEqualTo(Money.ZERO);
      assertThat(b.committed().nanos()).isEqualTo(totalCost);
    }
  }

  private static void check(
      BudgetLedger ledger, List<BudgetLine> lines, ConcurrentLinkedQueue<String> violations) {
    Map<CounterKey, CounterBalance> now =
        ledger.balances(lines.stream().map(BudgetLine::counter).toList());
    for (BudgetLine l : lines) {
      CounterBalance b = now.get(l.counter());
      if (b.used().compareTo(l.limit()) > 0) {
        violations.add(l.counter() + " at " + b + " over " + l.limit());
      }
    }
  }

  private static List<SpendRecord> allRows(Stores stores) {
    List<SpendRecord> rows = new ArrayList<>();
    for (int page = 1; ; page++) {
      var p = stores.spendLog().query(SpendQuery.all(new PageRequest(page, PageRequest.MAX_SIZE)));
      rows.addAll(p.items());
      if (p.items().size() < PageRequest.MAX_SIZE) {
        return rows;
      }
    }
  }

  private static void await(CountDownLatch latch) {
    try {
      latch.await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}

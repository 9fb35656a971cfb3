package io.llmgateway.postgres;

import io.llmgateway.core.budget.BudgetLedger;
import io.llmgateway.core.budget.BudgetLine;
import io.llmgateway.core.budget.BudgetScope;
import io.llmgateway.core.budget.BudgetWindow;
import io.llmgateway.core.budget.CounterKey;
import io.llmgateway.core.budget.ReservationRequest;
import io.llmgateway.core.budget.ReserveOutcome;
import io.llmgateway.core.chat.TokenUsage;
import io.llmgateway.core.error.StorageUnavailableException;
import io.llmgateway.core.money.Money;
import io.llmgateway.core.spend.SpendRecord;
import io.llmgateway.core.spend.SpendStatus;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A separate gateway "instance" for the multi-process tests, started with ProcessBuilder.
 *
 * <pre>
 *   hammer URL USER PASS TEAM LIMIT_NANOS WORKERS REQUESTS_PER_WORKER SEED
 *       many workers reserve and settle random costs; prints RESULT ...
 *   hold URL USER PASS TEAM LIMIT_NANOS COUNT AMOUNT_NANOS TTL_MILLIS
 *       holds COUNT reservations, prints HELD, then waits to be killed
 * </pre>
 */
public final class LedgerWorkerMain {
  private LedgerWorkerMain() {}

  public static void main(String[] args) throws Exception {
    String mode = args[0];
    // One connection per worker: the test is about the counters, not about waiting for the pool.
    int pool = args[0].equals("hammer") ? Integer.parseInt(args[6]) : 2;
    DatabaseConfig config = new DatabaseConfig(args[1], args[2], args[3], pool);
    String team = args[4];
    Money limit = Money.ofNanos(Long.parseLong(args[5]));
    try (PostgresAdapters adapters = PostgresAdapters.start(config)) {
      BudgetLedger ledger = adapters.stores().ledger();
      if (mode.equals("hammer")) {
        // Start hammering once the pool is full, so workers measure the ledger, not pool growth.
        var hikari = (com.zaxxer.hikari.HikariDataSource) adapters.dataSource();
        long deadline = System.nanoTime() + 30_000_000_000L;
        while (hikari.getHikariPoolMXBean().getTotalConnections() < pool
            && System.nanoTime() < deadline) {
          Thread.sleep(50);
        }
        hammer(
            ledger,
            team,
            limit,
            Integer.parseInt(args[6]),
            Integer.parseInt(args[7]),
            Long.parseLong(args[8]));
      } else {
        hold(
            ledger,
            team,
            limit,
            Integer.parseInt(args[6]),
            Long.parseLong(args[7]),
            Long.parseLong(args[8]));
      }
    }
  }

  private static BudgetLine line(String team, Money limit, Instant now) {
    var period = BudgetWindow.DAILY.periodAt(now, ZoneOffset.UTC);
    return new BudgetLine(
        new CounterKey(BudgetScope.team(team), BudgetWindow.DAILY, period.key()),
        limit,
        period.end());
  }

  private static SpendRecord pending(String id, String team, Instant now) {
    return new SpendRecord(
        id,
        "key_load",
        Optional.of("user_load"),
        Optional.of(team),
        "model-cheap",
        Optional.of("nova-micro"),
        Optional.empty(),
        Money.ZERO,
        SpendStatus.PENDING,
        Optional.empty(),
        0,
        now,
        now);
  }

  private static void hammer(
      BudgetLedger ledger, String team, Money limit, int workers, int requests, long seed)
      throws InterruptedException {
    AtomicLong admitted = new AtomicLong();
    AtomicLong refused = new AtomicLong();
    AtomicLong errors = new AtomicLong();
    AtomicLong unavailable = new AtomicLong();
    AtomicLong settledNanos = new AtomicLong();
    List<Thread> threads = new ArrayList<>();
    long pid = ProcessHandle.current().pid();
    long started = System.nanoTime();
    for (int w = 0; w < workers; w++) {
      SplittableRandom random = new SplittableRandom(seed * 1000 + w);
      int worker = w;
      threads.add(
          Thread.ofPlatform()
              .start(
                  () -> {
                    for (int i = 0; i < requests; i++) {
                      String id = "p" + pid + "-w" + worker + "-r" + i;
                      Instant now = Instant.now().truncatedTo(ChronoUnit.MICROS);
                      long amount = random.nextLong(1_000, 100_000);
                      try {
                        ReserveOutcome o =
                            ledger.reserve(
                                new ReservationRequest(
                                    id,
                                    List.of(line(team, limit, now)),
                                    Money.ofNanos(amount),
                                    now,
                                    now.plusSeconds(120),
                                    pending(id, team, now)));
                        if (o instanceof ReserveOutcome.Reserved) {
                          admitted.incrementAndGet();
                          if (random.nextInt(4) == 0) {
                            Thread.sleep(random.nextInt(3)); // a request in flight for a while
                          }
                          long actual = random.nextLong(0, amount + 1);
                          Instant end = Instant.now().truncatedTo(ChronoUnit.MICROS);
                          SpendRecord done =
                              pending(id, team, now)
                                  .finish(
                                      Optional.of(TokenUsage.reported(actual / 35, 0)),
                                      Money.ofNanos(actual),
                                      SpendStatus.SUCCESS,
                                      Optional.empty(),
                                      end);
                          if (ledger.settle(id, done)) {
                            settledNanos.addAndGet(actual);
                          }
                        } else {
                          refused.incrementAndGet();
                        }
                      } catch (StorageUnavailableException e) {
                        if (unavailable.incrementAndGet() <= 2) { // failed closed; say why
                          Throwable c = e.getCause();
                          System.err.println("unavailable: " + e.getMessage() + " / " + c);
                        }
                      } catch (Exception e) {
                        errors.incrementAndGet();
                        System.err.println("worker error: " + e);
                      }
                    }
                  }));
    }
    for (Thread t : threads) {
      t.join();
    }
    System.out.println(
        "RESULT requests="
            + (long) workers * requests
            + " admitted="
            + admitted.get()
            + " refused="
            + refused.get()
            + " errors="
            + errors.get()
            + " unavailable="
            + unavailable.get()
            + " hammerMillis="
            + (System.nanoTime() - started) / 1_000_000
            + " settledNanos="
            + settledNanos.get());
    System.out.flush();
  }

  private static void hold(
      BudgetLedger ledger, String team, Money limit, int count, long amount, long ttlMillis)
      throws InterruptedException {
    long pid = ProcessHandle.current().pid();
    for (int i = 0; i < count; i++) {
      String id = "crash-" + pid + "-" + i;
      Instant now = Instant.now().truncatedTo(ChronoUnit.MICROS);
      ReserveOutcome o =
          ledger.reserve(
              new ReservationRequest(
                  id,
                  List.of(line(team, limit, now)),
                  Money.ofNanos(amount),
                  now,
                  now.plusMillis(ttlMillis),
                  pending(id, team, now)));
      if (!(o instanceof ReserveOutcome.Reserved)) {
        System.out.println("REFUSED " + o);
        System.exit(2);
      }
    }
    System.out.println("HELD " + count);
    System.out.flush();
    Thread.sleep(600_000); // until killed
  }
}

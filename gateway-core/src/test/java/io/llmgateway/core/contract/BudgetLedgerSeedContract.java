package io.llmgateway.core.contract;

import static io.llmgateway.core.testing.Fixtures.T0;
import static io.llmgateway.core.testing.Fixtures.dailyLine;
import static io.llmgateway.core.testing.Fixtures.key;
import static io.llmgateway.core.testing.Fixtures.monthlyLine;
import static io.llmgateway.core.testing.Fixtures.spend;
import static io.llmgateway.core.testing.Fixtures.team;
import static io.llmgateway.core.testing.Fixtures.user;
import static org.assertj.core.api.Assertions.assertThat;

import io.llmgateway.core.Stores;
import io.llmgateway.core.budget.BudgetLedger;
import io.llmgateway.core.budget.BudgetLine;
import io.llmgateway.core.budget.BudgetScope;
import io.llmgateway.core.budget.BudgetWindow;
import io.llmgateway.core.budget.ReservationRequest;
import io.llmgateway.core.budget.ReserveOutcome;
import io.llmgateway.core.money.Money;
import io.llmgateway.core.spend.SpendRecord;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@link BudgetLedger#seedFromSpend}: a budget added mid-period starts from what its scope has
 * already spent in the period (issue 16). Subclass it with a factory for fresh, empty stores.
 */
public abstract class BudgetLedgerSeedContract {
  protected abstract Stores newStores();

  private static final BudgetScope TEAM = BudgetScope.team("t1");
  private static final BudgetScope USER = BudgetScope.user("u1");
  private static final BudgetScope KEY = BudgetScope.key("k1");
  // A roomy budget of some other scope, so requests of t1/u1/k1 spend without a t1 budget.
  private static final BudgetLine ELSEWHERE =
      dailyLine(BudgetScope.team("other"), Money.ofUsd("1000"), T0);
  private static final Instant MONTH_START =
      BudgetWindow.MONTHLY.periodAt(T0, ZoneOffset.UTC).start();

  private BudgetLedger ledger;
  private int requests;

  @BeforeEach
  void setUpStores() {
    Stores stores = newStores();
    ledger = stores.ledger();
    stores.teams().insert(team("t1").build());
    stores.users().insert(user("u1").team("t1").build());
    stores.keys().insert(key("k1").user("u1").team("t1").build());
  }

  /** A request of key/user/team that started at {@code at}, charged {@code nanos}. */
  private void spent(
      String key, String user, String team, Instant at, long nanos, BudgetLine line) {
    String id = "r" + (++requests);
    SpendRecord pending = spend(id, key).user(user).team(team).started(at).pending();
    ReserveOutcome o =
        ledger.reserve(
            new ReservationRequest(
                id,
                List.of(line),
                Money.ofNanos(nanos),
                at,
                at.plus(Duration.ofMinutes(5)),
                pending));
    assertThat(o).isInstanceOf(ReserveOutcome.Reserved.class);
    ledger.settle(id, spend(id, key).user(user).team(team).started(at).nanos(nanos).build());
  }

  private Money committed(BudgetLine line) {
    return ledger.balances(List.of(line.counter())).get(line.counter()).committed();
  }

  @Test
  void aNewCounterStartsAtWhatItsScopeSpentInThePeriod() {
    spent("k1", "u1", "t1", T0, 300, ELSEWHERE);
    spent("k1", "u1", "t1", T0.minus(Duration.ofDays(1)), 200, ELSEWHERE); // same month
    spent("k1", "u1", "t1", MONTH_START.minusSeconds(1), 5_000, ELSEWHERE); // last month
    spent("k2", "u2", "t2", T0, 7_000, ELSEWHERE); // another team
    BudgetLine monthly = monthlyLine(TEAM, Money.ofNanos(1_000), T0);

    assertThat(ledger.seedFromSpend(monthly, MONTH_START)).isEqualTo(Money.ofNanos(500));

    assertThat(committed(monthly)).isEqualTo(Money.ofNanos(500));
    ReservationRequest over =
        new ReservationRequest(
            "over",
            List.of(monthly),
            Money.ofNanos(501),
            T0,
            T0.plusSeconds(60),
            spend("over", "k1").user("u1").team("t1").pending());
    assertThat(ledger.reserve(over)).isInstanceOf(ReserveOutcome.Refused.class);
    ReservationRequest fits =
        new ReservationRequest(
            "fits",
            List.of(monthly),
            Money.ofNanos(500),
            T0,
            T0.plusSeconds(60),
            spend("fits", "k1").user("u1").team("t1").pending());
    assertThat(ledger.reserve(fits)).isInstanceOf(ReserveOutcome.Reserved.class);
  }

  @Test
  void eachScopeKindCountsItsOwnSpendOnly() {
    spent("k1", "u1", "t1", T0, 100, ELSEWHERE);
    spent("k9", "u1", "t1", T0, 20, ELSEWHERE); // u1's other key
    spent("k8", "u2", "t1", T0, 3, ELSEWHERE); // a teammate

    assertThat(ledger.seedFromSpend(dailyLine(TEAM, Money.MAX, T0), T0.minusSeconds(36_000)))
        .isEqualTo(Money.ofNanos(123));
    assertThat(ledger.seedFromSpend(dailyLine(USER, Money.MAX, T0), T0.minusSeconds(36_000)))
        .isEqualTo(Money.ofNanos(120));
    assertThat(ledger.seedFromSpend(dailyLine(KEY, Money.MAX, T0), T0.minusSeconds(36_000)))
        .isEqualTo(Money.ofNanos(100));
  }

  @Test
  void seedingAgainOrOverACounterInUseNeverCountsSpendTwice() {
    spent("k1", "u1", "t1", T0, 300, ELSEWHERE);
    BudgetLine monthly = monthlyLine(TEAM, Money.ofNanos(10_000), T0);
    ledger.seedFromSpend(monthly, MONTH_START);
    spent("k1", "u1", "t1", T0, 100, monthly); // charged on the counter and in the log

    assertThat(ledger.seedFromSpend(monthly, MONTH_START)).isEqualTo(Money.ofNanos(400));
    assertThat(committed(monthly)).isEqualTo(Money.ofNanos(400));
  }

  @Test
  void seedingWhileRequestsSettleIntoTheCounterNeitherLosesNorDoublesTheirSpend() throws Exception {
    spent("k1", "u1", "t1", T0, 1_000, ELSEWHERE);
    BudgetLine monthly = monthlyLine(TEAM, Money.ofUsd("1"), T0);
    int writers = 4;
    int each = 25;
    AtomicBoolean done = new AtomicBoolean();
    ExecutorService pool = Executors.newFixedThreadPool(writers + 1);
    try {
      List<Future<?>> futures = new ArrayList<>();
      for (int w = 0; w < writers; w++) {
        int writer = w;
        futures.add(
            pool.submit(
                () -> {
                  for (int i = 0; i < each; i++) {
                    String id = "w" + writer + "-" + i;
                    ledger.reserve(
                        new ReservationRequest(
                            id,
                            List.of(monthly),
                            Money.ofNanos(10),
                            T0,
                            T0.plusSeconds(300),
                            spend(id, "k1").user("u1").team("t1").pending()));
                    ledger.settle(id, spend(id, "k1").user("u1").team("t1").nanos(7).build());
                  }
                }));
      }
      Future<?> seeder =
          pool.submit(
              () -> {
                while (!done.get()) {
                  ledger.seedFromSpend(monthly, MONTH_START);
                }
              });
      for (Future<?> f : futures) {
        f.get();
      }
      done.set(true);
      seeder.get();
    } finally {
      pool.shutdownNow();
    }
    ledger.seedFromSpend(monthly, MONTH_START);

    assertThat(committed(monthly)).isEqualTo(Money.ofNanos(1_000 + writers * each * 7L));
    assertThat(ledger.balances(List.of(monthly.counter())).get(monthly.counter()).reserved())
        .isEqualTo(Money.ZERO);
  }
}

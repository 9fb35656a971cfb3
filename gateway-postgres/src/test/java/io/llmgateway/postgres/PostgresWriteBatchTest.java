package io.llmgateway.postgres;

import static io.llmgateway.postgres.SpendSql.one;
import static io.llmgateway.postgres.TestData.NOW;
import static io.llmgateway.postgres.TestData.finished;
import static io.llmgateway.postgres.TestData.id;
import static io.llmgateway.postgres.TestData.line;
import static io.llmgateway.postgres.TestData.pending;
import static io.llmgateway.postgres.TestData.reservation;
import static io.llmgateway.postgres.TestData.teamDaily;
import static org.assertj.core.api.Assertions.assertThat;

import io.llmgateway.core.budget.BudgetLine;
import io.llmgateway.core.budget.BudgetScope;
import io.llmgateway.core.budget.BudgetWindow;
import io.llmgateway.core.budget.CounterBalance;
import io.llmgateway.core.budget.CounterKey;
import io.llmgateway.core.budget.ReserveOutcome;
import io.llmgateway.core.budget.Settlement;
import io.llmgateway.core.money.Money;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * ledger_write_batch, the lease path's writer (V104, V106, V116, V133): however many counters a
 * batch moves, they are written by one UPDATE, with the same totals the per-counter loop wrote.
 * Before V133 a batch of draws on 30 leases, each on a user counter of its own and one shared team
 * counter, ran 31 UPDATE statements.
 */
class PostgresWriteBatchTest extends PostgresTestBase {

  private PostgresBudgetLedger ledger() {
    return (PostgresBudgetLedger) stores.ledger();
  }

  private CounterBalance balance(CounterKey k) {
    return ledger().balances(List.of(k)).get(k);
  }

  @Test
  void aBatchOnManyLeasesWritesTheirCountersInOneStatementWithTheLoopsTotals() throws Exception {
    CounterKey team = teamDaily(id("team"), NOW);
    BudgetLine teamLine = line(team, Money.ofNanos(1_000_000_000));
    List<CounterKey> users = new ArrayList<>();
    List<Settlement> batch = new ArrayList<>();
    for (int i = 0; i < 30; i++) {
      CounterKey user =
          new CounterKey(BudgetScope.user(id("user")), BudgetWindow.MONTHLY, "2026-11");
      users.add(user);
      String lease = id("lease");
      assertThat(
              ledger()
                  .reserve(
                      reservation(
                          lease,
                          List.of(teamLine, line(user, Money.ofNanos(1_000_000))),
                          Money.ofNanos(10_000),
                          NOW,
                          NOW.plusSeconds(60))))
          .isInstanceOf(ReserveOutcome.Reserved.class);
      String charge = id("charge");
      batch.add(
          new Settlement.Draw(
              lease, charge, finished(pending(charge, "t", NOW), Money.ofNanos(1_000 + i), NOW)));
    }
    // and a settle of a reservation of its own on the team's counter, in the same batch
    String own = id("own");
    ledger()
        .reserve(
            reservation(own, List.of(teamLine), Money.ofNanos(5_000), NOW, NOW.plusSeconds(60)));
    batch.add(
        new Settlement.Settle(own, finished(pending(own, "t", NOW), Money.ofNanos(5_000), NOW)));

    long before = counterUpdates();
    assertThat(ledger().settleAll(batch)).isEqualTo(31);
    assertThat(counterUpdates() - before).as("UPDATE statements on budget_counters").isOne();

    // each lease drew 1,000 + i of its 10,000: that much left reserved for committed
    for (int i = 0; i < 30; i++) {
      assertThat(balance(users.get(i)))
          .isEqualTo(new CounterBalance(Money.ofNanos(1_000 + i), Money.ofNanos(9_000 - i)));
    }
    long drawn = 30 * 1_000 + 29 * 30 / 2;
    assertThat(balance(team))
        .isEqualTo(
            new CounterBalance(Money.ofNanos(drawn + 5_000), Money.ofNanos(30 * 10_000 - drawn)));
  }

  /**
   * UPDATE statements run on budget_counters so far, counted by a statement-level trigger this test
   * adds (the first call installs it).
   */
  private long counterUpdates() throws SQLException {
    try (Connection c = adapters.dataSource().getConnection();
        Statement s = c.createStatement()) {
      s.execute("CREATE TABLE IF NOT EXISTS test_counter_updates (n int)");
      s.execute(
          "CREATE OR REPLACE FUNCTION test_count_counter_update() RETURNS trigger"
              + " LANGUAGE plpgsql AS $$ BEGIN INSERT INTO test_counter_updates VALUES (1);"
              + " RETURN NULL; END $$");
      s.execute(
          "CREATE OR REPLACE TRIGGER test_count_counter_update AFTER UPDATE ON budget_counters"
              + " FOR EACH STATEMENT EXECUTE FUNCTION test_count_counter_update()");
      return Long.parseLong(one(s, "SELECT count(*) FROM test_counter_updates"));
    }
  }
}

package io.llmgateway.postgres;

import static io.llmgateway.postgres.TestData.NOW;
import static io.llmgateway.postgres.TestData.id;
import static io.llmgateway.postgres.TestData.line;
import static io.llmgateway.postgres.TestData.reservation;
import static io.llmgateway.postgres.TestData.teamDaily;
import static org.assertj.core.api.Assertions.assertThat;

import io.llmgateway.core.budget.BudgetLine;
import io.llmgateway.core.budget.BudgetScope;
import io.llmgateway.core.budget.BudgetWindow;
import io.llmgateway.core.budget.CounterBalance;
import io.llmgateway.core.budget.CounterKey;
import io.llmgateway.core.budget.ReservationRequest;
import io.llmgateway.core.budget.Settlement;
import io.llmgateway.core.chat.TokenUsage;
import io.llmgateway.core.money.Money;
import io.llmgateway.core.spend.SpendStatus;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * ledger_settle (V124), which writes batches of plain settles from columns: the same spend rows,
 * counters and return values as ledger_write_batch's settles (V116) for the same batch.
 */
class PostgresSettleColumnsTest extends PostgresTestBase {

  private PostgresBudgetLedger ledger() {
    return (PostgresBudgetLedger) stores.ledger();
  }

  /** Three reservations on a team and a user counter (a fresh pair per call), and their settles. */
  private List<Settlement> reserveThree(String team, String user) {
    CounterKey userDaily =
        new CounterKey(
            BudgetScope.user(user),
            BudgetWindow.DAILY,
            BudgetWindow.DAILY.periodAt(NOW, java.time.ZoneOffset.UTC).key());
    List<BudgetLine> lines =
        List.of(
            line(teamDaily(team, NOW), Money.ofNanos(10_000)),
            line(userDaily, Money.ofNanos(10_000)));
    List<Settlement> settles = new ArrayList<>();
    // a success with reported usage, an error without usage, a cancel at exactly the amount held
    long[] amounts = {1_000, 700, 300};
    for (int i = 0; i < 3; i++) {
      ReservationRequest r =
          reservation(id("r" + i), lines, Money.ofNanos(amounts[i]), NOW, NOW.plusSeconds(60));
      ledger().reserve(r);
      var record =
          switch (i) {
            case 0 ->
                r.pending()
                    .finish(
                        Optional.of(new TokenUsage(100, 20, 5, 3, TokenUsage.Source.REPORTED)),
                        Money.ofNanos(420),
                        SpendStatus.SUCCESS,
                        Optional.empty(),
                        NOW.plusMillis(1_234));
            case 1 ->
                r.pending()
                    .finish(
                        Optional.empty(),
                        Money.ZERO,
                        SpendStatus.ERROR,
                        Optional.of("upstream_error"),
                        NOW.plusMillis(56));
            default ->
                r.pending()
                    .finish(
                        Optional.of(TokenUsage.estimated(7, 0)),
                        Money.ofNanos(300),
                        SpendStatus.CANCELLED,
                        Optional.empty(),
                        NOW.plusMillis(78_901));
          };
      settles.add(new Settlement.Settle(r.reservationId(), record));
    }
    return settles;
  }

  /** The batch's spend rows, every column but the generated ones, ids made relative. */
  private List<String> spendRows(List<Settlement> batch, String team, String user)
      throws SQLException {
    List<String> rows = new ArrayList<>();
    try (Connection c = adapters.dataSource().getConnection();
        PreparedStatement ps =
            c.prepareStatement(
                "SELECT * FROM spend_log WHERE reservation_id = ANY(?) ORDER BY cost_nanos,"
                    + " latency_ms")) {
      ps.setArray(
          1,
          c.createArrayOf(
              "text", batch.stream().map(Settlement::reservationId).toArray(String[]::new)));
      try (ResultSet rs = ps.executeQuery()) {
        int n = rs.getMetaData().getColumnCount();
        while (rs.next()) {
          StringBuilder b = new StringBuilder();
          for (int i = 1; i <= n; i++) {
            String col = rs.getMetaData().getColumnName(i);
            if (col.equals("id") || col.equals("txid")) {
              continue;
            }
            String v = String.valueOf(rs.getObject(i));
            b.append(col).append('=').append(v.replace(team, "TEAM").replace(user, "USER"));
            b.append(';');
          }
          rows.add(b.toString().replaceAll("r[0-9]_[0-9a-f]{8}", "RID"));
        }
      }
    }
    return rows;
  }

  private List<CounterBalance> balances(List<Settlement> batch, String team, String user) {
    CounterKey t = teamDaily(team, NOW);
    CounterKey u =
        new CounterKey(
            BudgetScope.user(user),
            BudgetWindow.DAILY,
            BudgetWindow.DAILY.periodAt(NOW, java.time.ZoneOffset.UTC).key());
    var b = ledger().balances(List.of(t, u));
    return List.of(b.get(t), b.get(u));
  }

  @Test
  void plainSettlesWriteWhatTheJsonPathWritesAndOnlyOnce() throws SQLException {
    String teamA = id("ta");
    String userA = id("ua");
    String teamB = id("tb");
    String userB = id("ub");
    List<Settlement> a = reserveThree(teamA, userA);
    List<Settlement> b = reserveThree(teamB, userB);

    assertThat(writeBatchAsJson(a)).isEqualTo(3);
    assertThat(ledger().settleAll(b)).isEqualTo(3);

    assertThat(spendRows(b, teamB, userB)).hasSize(3).isEqualTo(spendRows(a, teamA, userA));
    assertThat(balances(b, teamB, userB))
        .isEqualTo(balances(a, teamA, userA))
        .containsOnly(new CounterBalance(Money.ofNanos(720), Money.ZERO));

    // Settled once: a repeated batch (a retry after a lost answer) changes nothing.
    assertThat(ledger().settleAll(b)).isZero();
    assertThat(ledger().settle(b.get(0).reservationId(), b.get(0).record())).isFalse();
    assertThat(spendRows(b, teamB, userB)).hasSize(3);
    assertThat(balances(b, teamB, userB))
        .containsOnly(new CounterBalance(Money.ofNanos(720), Money.ZERO));
  }

  @Test
  void settlesCommitWithoutWaitingForTheWalFlushOnlyWhenBatched() throws SQLException {
    String none =
        "SELECT ledger_settle(%s, '{}', '{}', '{}', '{}', '{}', '{}', '{}', '{}', '{}', '{}',"
            + " '{}', '{}', '{}', '{}', '{}', '{}', '{}', '{}')";
    assertThat(synchronousCommitDuringAndAfter(none.formatted("false")))
        .containsExactly("off", "on");
    assertThat(synchronousCommitDuringAndAfter(none.formatted("true"))).containsExactly("on", "on");
  }
}

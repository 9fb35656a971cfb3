package io.llmgateway.postgres;

import static io.llmgateway.postgres.TestData.NOW;
import static io.llmgateway.postgres.TestData.id;
import static io.llmgateway.postgres.TestData.line;
import static io.llmgateway.postgres.TestData.reservation;
import static io.llmgateway.postgres.TestData.teamDaily;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.llmgateway.core.budget.BudgetLine;
import io.llmgateway.core.budget.CounterBalance;
import io.llmgateway.core.budget.ReservationRequest;
import io.llmgateway.core.budget.ReserveOutcome;
import io.llmgateway.core.error.ConflictException;
import io.llmgateway.core.error.StorageUnavailableException;
import io.llmgateway.core.money.Money;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.List;
import javax.sql.DataSource;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.postgresql.util.PSQLException;
import org.postgresql.util.PSQLState;

/**
 * Issue 14, hole 8: a reserve whose commit outcome is unknown. The connection breaks after the
 * reserve was sent: the database committed the reservation, but the answer never arrived, so the
 * request was refused with 503 and never called the model. Before the fix, that reservation stayed
 * held and the sweeper charged it in full at expiry. The connection break is the one pgjdbc reports
 * for a lost socket (SQLSTATE 08006), raised after the statement really ran (or, in the second
 * case, before it did).
 */
class ReserveOutcomeUnknownTest extends PostgresTestBase {
  private static final Money AMOUNT = Money.ofNanos(5_000);

  /** What the next reserve statement does before its answer is "lost". */
  private enum Cut {
    NONE,
    AFTER_COMMIT,
    BEFORE_SENDING
  }

  private volatile Cut cut = Cut.NONE;
  private PostgresBudgetLedger ledger;
  private BudgetLine daily;

  @BeforeEach
  void cuttableLedger() {
    DataSource real = adapters.dataSource();
    DataSource cuttable =
        proxy(
            DataSource.class,
            (p, m, args) -> {
              Object r = invoke(real, m, args);
              return r instanceof Connection c ? proxy(Connection.class, connection(c)) : r;
            });
    Jdbi jdbi = Jdbi.create(cuttable);
    ledger = new PostgresBudgetLedger(new Db(jdbi, cuttable), adapters.budgetZone());
    daily = line(teamDaily(id("team"), NOW), Money.ofNanos(1_000_000));
  }

  @Test
  void aReservationCommittedButNeverAnsweredIsEndedWithoutChargeOnceTheDatabaseAnswers()
      throws Exception {
    ReservationRequest lost = request("lost");
    cut = Cut.AFTER_COMMIT;

    assertThatThrownBy(() -> ledger.reserve(lost)).isInstanceOf(StorageUnavailableException.class);
    // The caller answered 503, yet the database holds the reservation.
    assertThat(balance()).isEqualTo(new CounterBalance(Money.ZERO, AMOUNT));

    // The database answers again: the next request ends it (on a thread of its own).
    assertThat(ledger.reserve(request("next"))).isInstanceOf(ReserveOutcome.Reserved.class);
    Thread.sleep(500);

    assertThat(balance()).isEqualTo(new CounterBalance(Money.ZERO, AMOUNT)); // "next" only
    assertThat(spendRow(lost.reservationId())).isEqualTo("ERROR reserve_outcome_unknown 0");
    // Long after its deadline the sweeper finds nothing to charge for it.
    ledger.expire(NOW.plus(Duration.ofDays(1)));
    assertThat(spendRow(lost.reservationId())).isEqualTo("ERROR reserve_outcome_unknown 0");
    assertThat(balance()).isEqualTo(new CounterBalance(AMOUNT, Money.ZERO)); // "next" expired
  }

  @Test
  void aReserveThatNeverArrivedCannotCommitAfterItWasGivenUp() throws Exception {
    ReservationRequest lost = request("late");
    cut = Cut.BEFORE_SENDING;

    assertThatThrownBy(() -> ledger.reserve(lost)).isInstanceOf(StorageUnavailableException.class);
    ledger.expire(NOW); // the sweeper ends what has an unknown outcome, here nothing held
    assertThat(ledger.unknownReserves()).isZero();

    // The statement, still on its way in a broken connection, arrives late: it commits nothing.
    assertThatThrownBy(() -> ledger.reserve(lost)).isInstanceOf(ConflictException.class);
    assertThat(balance()).isEqualTo(CounterBalance.EMPTY);
    assertThat(spendRow(lost.reservationId())).isEqualTo("none");
  }

  @Test
  void aPoolThatCouldNotHandOutAConnectionSentNothingAndLeavesNothingToEnd() {
    assertThat(
            Db.outcomeUnknown(
                new StorageUnavailableException(
                    "unavailable", new java.sql.SQLTransientConnectionException("pool timeout"))))
        .isFalse();
    assertThat(
            Db.outcomeUnknown(
                new StorageUnavailableException(
                    "unavailable", new PSQLException("I/O error", PSQLState.CONNECTION_FAILURE))))
        .isTrue();
  }

  private ReservationRequest request(String prefix) {
    return reservation(id(prefix), List.of(daily), AMOUNT, NOW, NOW.plusSeconds(60));
  }

  private CounterBalance balance() {
    return ledger.balances(List.of(daily.counter())).get(daily.counter());
  }

  private void awaitNoUnknownReserves() throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
    while (ledger.unknownReserves() > 0 && System.nanoTime() < deadline) {
      Thread.sleep(20);
    }
    Thread.sleep(0);
  }

  private String spendRow(String reservationId) {
    return Jdbi.create(adapters.dataSource())
        .withHandle(
            h ->
                h.createQuery(
                        "SELECT status || ' ' || error_type || ' ' || cost_nanos FROM spend_log"
                            + " WHERE reservation_id = :id")
                    .bind("id", reservationId)
                    .mapTo(String.class)
                    .findOne()
                    .orElse("none"));
  }

  private InvocationHandler connection(Connection real) {
    return (p, m, args) -> {
      Object r = invoke(real, m, args);
      if (r instanceof PreparedStatement ps
          && m.getName().equals("prepareStatement")
          && String.valueOf(args[0]).contains("ledger_reserve")) {
        return proxy(PreparedStatement.class, statement(ps));
      }
      return r;
    };
  }

  private InvocationHandler statement(PreparedStatement real) {
    return (p, m, args) -> {
      if (!m.getName().equals("executeQuery") || cut == Cut.NONE) {
        return invoke(real, m, args);
      }
      Cut now = cut;
      cut = Cut.NONE;
      if (now == Cut.AFTER_COMMIT) {
        ((ResultSet) invoke(real, m, args)).close(); // committed (autocommit)
      }
      throw new PSQLException(
          "An I/O error occurred while sending to the backend.", PSQLState.CONNECTION_FAILURE);
    };
  }

  private static Object invoke(Object target, java.lang.reflect.Method m, Object[] args)
      throws Throwable {
    try {
      return m.invoke(target, args);
    } catch (InvocationTargetException e) {
      throw e.getCause();
    }
  }

  @SuppressWarnings("unchecked")
  private static <T> T proxy(Class<T> type, InvocationHandler h) {
    return (T) Proxy.newProxyInstance(type.getClassLoader(), new Class<?>[] {type}, h);
  }
}

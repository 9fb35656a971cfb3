package io.llmgateway.core.internal;

import static io.llmgateway.core.testing.Fixtures.T0;
import static io.llmgateway.core.testing.Fixtures.dailyLine;
import static org.assertj.core.api.Assertions.assertThat;

import io.llmgateway.core.budget.BudgetLedger;
import io.llmgateway.core.budget.BudgetLine;
import io.llmgateway.core.budget.BudgetScope;
import io.llmgateway.core.budget.CounterBalance;
import io.llmgateway.core.budget.CounterKey;
import io.llmgateway.core.budget.Settlement;
import io.llmgateway.core.memory.InMemoryAdapters;
import io.llmgateway.core.money.Money;
import io.llmgateway.core.testing.ForwardingLedger;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The deferred writer's linger: requests answered one after another share one ledger call (with
 * budget leases off, one settle statement per request was the database's largest cost per request
 * and slowed the next request on the same cores; docs/PERFORMANCE.md "Eleventh session").
 */
class SettlementWriterLingerTest {
  private static final BudgetLine DAILY =
      dailyLine(BudgetScope.user("u1"), Money.ofNanos(1_000_000), T0);

  /** Long enough that a loaded machine cannot make the test's 20 ms gap outlast it. */
  private static final Duration LINGER = Duration.ofMillis(400);

  private final BatchRecordingLedger ledger =
      new BatchRecordingLedger(InMemoryAdapters.create().ledger());
  private SettlementWriter writer;

  @AfterEach
  void closeWriter() {
    if (writer != null) {
      writer.close();
    }
  }

  @Test
  void settlementsHandedOverOneAfterAnotherShareOneLedgerCall() throws Exception {
    writer = SettlementWriter.deferred(ledger, LINGER);
    List<String> written = new CopyOnWriteArrayList<>();

    writer.write(reserved("r1", 100, 40), s -> written.add(s.reservationId()));
    Thread.sleep(20); // the next request's answer, a moment later
    writer.write(reserved("r2", 100, 30), s -> written.add(s.reservationId()));

    assertThat(writer.flush(Duration.ofSeconds(10))).isTrue();
    // Before the linger, r1 was written alone at once: batches [1, 1].
    assertThat(ledger.batchSizes).containsExactly(2);
    // The same charges as two calls would make.
    assertThat(written).containsExactly("r1", "r2");
    assertThat(balance()).isEqualTo(new CounterBalance(Money.ofNanos(70), Money.ZERO));
  }

  @Test
  void untilWrittenTheReservationStillHoldsItsWorstCase() throws Exception {
    writer = SettlementWriter.deferred(ledger, LINGER);
    writer.write(reserved("r1", 700, 10), s -> {});
    Thread.sleep(20);

    assertThat(balance()).isEqualTo(new CounterBalance(Money.ZERO, Money.ofNanos(700)));
    assertThat(writer.flush(Duration.ofSeconds(10))).isTrue();
    assertThat(balance()).isEqualTo(new CounterBalance(Money.ofNanos(10), Money.ZERO));
  }

  private Settlement reserved(String id, long reserve, long cost) {
    return SettlementWriterTest.reserved(ledger, DAILY, id, reserve, cost);
  }

  private CounterBalance balance() {
    CounterKey k = DAILY.counter();
    return ledger.balances(List.of(k)).get(k);
  }

  private static final class BatchRecordingLedger extends ForwardingLedger {
    final List<Integer> batchSizes = new CopyOnWriteArrayList<>();

    BatchRecordingLedger(BudgetLedger delegate) {
      super(delegate);
    }

    @Override
    public int settleAll(List<Settlement> settlements) {
      batchSizes.add(settlements.size());
      return super.settleAll(settlements);
    }
  }
}

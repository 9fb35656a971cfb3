package io.llmgateway.core.internal;

import static io.llmgateway.core.testing.Fixtures.T0;
import static io.llmgateway.core.testing.Fixtures.dailyLine;
import static io.llmgateway.core.testing.Fixtures.spend;
import static org.assertj.core.api.Assertions.assertThat;

import io.llmgateway.core.budget.BudgetLedger;
import io.llmgateway.core.budget.BudgetLine;
import io.llmgateway.core.budget.BudgetScope;
import io.llmgateway.core.budget.CounterBalance;
import io.llmgateway.core.budget.CounterKey;
import io.llmgateway.core.budget.ReservationRequest;
import io.llmgateway.core.budget.ReserveOutcome;
import io.llmgateway.core.budget.Settlement;
import io.llmgateway.core.error.StorageUnavailableException;
import io.llmgateway.core.memory.InMemoryAdapters;
import io.llmgateway.core.money.Money;
import io.llmgateway.core.spend.SpendRecord;
import io.llmgateway.core.testing.ForwardingLedger;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class SettlementWriterTest {
  private static final BudgetLine DAILY =
      dailyLine(BudgetScope.user("u1"), Money.ofNanos(1_000_000), T0);

  private final RecordingLedger ledger = new RecordingLedger(InMemoryAdapters.create().ledger());
  private final List<String> written = new CopyOnWriteArrayList<>();
  private SettlementWriter writer;

  @AfterEach
  void closeWriter() {
    if (writer != null) {
      writer.close();
    }
    ledger.gate.countDown();
  }

  @Test
  void inlineWritesBeforeWriteReturns() {
    writer = SettlementWriter.inline(ledger);
    Settlement s = reserved("r1", 100, 40);

    writer.write(s, this::remember);

    assertThat(written).containsExactly("r1");
    assertThat(balance()).isEqualTo(new CounterBalance(Money.ofNanos(40), Money.ZERO));
  }

  @Test
  void deferredWritesAfterwardsAndFlushWaitsForIt() {
    writer = SettlementWriter.deferred(ledger);
    Settlement s = reserved("r1", 100, 40);

    writer.write(s, this::remember);

    assertThat(writer.flush(Duration.ofSeconds(10))).isTrue();
    assertThat(written).containsExactly("r1");
    assertThat(balance()).isEqualTo(new CounterBalance(Money.ofNanos(40), Money.ZERO));
  }

  @Test
  void flushAlsoWaitsForWritesQueuedWhenAnEarlierOneWasWritten() {
    // A lease's last draw, once written, queues the lease's release from the writer thread: that
    // write lands behind a flush marker queued in the meantime, and flush used to return before it
    // (Gateway.flushSettlements flushed twice to make up for it).
    // The draw and the marker go in one batch: the writer is held on an earlier write meanwhile.
    writer = SettlementWriter.deferred(ledger);
    Settlement followUp = reserved("follow-up", 100, 30);
    ledger.blockNextCall();
    writer.write(reserved("earlier", 100, 10), this::remember);
    assertThat(awaitEntered()).isTrue();
    writer.write(reserved("draw", 100, 40), s -> writer.write(followUp, this::remember));
    List<String> seenByFlush = new CopyOnWriteArrayList<>();
    Thread flusher =
        Thread.ofVirtual()
            .start(
                () -> {
                  if (writer.flush(Duration.ofSeconds(10))) {
                    seenByFlush.addAll(written);
                  }
                });
    while (writer.queued() < 2) {
      Thread.onSpinWait();
    }
    ledger.gate.countDown();

    assertThat(join(flusher)).isTrue();
    assertThat(seenByFlush).containsExactly("earlier", "follow-up");
  }

  private boolean awaitEntered() {
    try {
      return ledger.entered.await(10, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      throw new AssertionError(e);
    }
  }

  private static boolean join(Thread t) {
    try {
      return t.join(Duration.ofSeconds(10));
    } catch (InterruptedException e) {
      throw new AssertionError(e);
    }
  }

  @Test
  void aFullQueueMakesCallersWaitForRoomInsteadOfPilingUp() throws Exception {
    writer = SettlementWriter.deferred(ledger);
    ledger.blockNextCall();
    writer.write(reserved("first", 10, 1), this::remember);
    assertThat(ledger.entered.await(10, TimeUnit.SECONDS)).isTrue();
    for (int i = 0; i < SettlementWriter.CAPACITY; i++) {
      writer.write(reserved("q" + i, 10, 1), this::remember);
    }
    assertThat(writer.queued()).isEqualTo(SettlementWriter.CAPACITY);

    Settlement late = reserved("late", 10, 1);
    Thread caller = Thread.ofVirtual().start(() -> writer.write(late, this::remember));
    caller.join(Duration.ofMillis(300));
    assertThat(caller.isAlive()).as("waits for room while the ledger is busy").isTrue();
    ledger.gate.countDown();
    caller.join(Duration.ofSeconds(10));

    assertThat(writer.flush(Duration.ofSeconds(30))).isTrue();
    assertThat(written).hasSize(SettlementWriter.CAPACITY + 2).contains("late");
    assertThat(ledger.batchSizes.stream().mapToInt(Integer::intValue).sum())
        .isEqualTo(SettlementWriter.CAPACITY + 2);
  }

  @Test
  void settlementsQueuedWhileTheLedgerIsBusyAreWrittenAsOneBatch() throws Exception {
    writer = SettlementWriter.deferred(ledger);
    ledger.blockNextCall();
    writer.write(reserved("first", 100, 1), this::remember);
    assertThat(ledger.entered.await(10, TimeUnit.SECONDS)).isTrue();

    for (int i = 0; i < 20; i++) {
      writer.write(reserved("q" + i, 100, 1), this::remember);
    }
    ledger.gate.countDown();

    assertThat(writer.flush(Duration.ofSeconds(10))).isTrue();
    // The first went alone, the twenty queued behind it in one settleAll.
    assertThat(ledger.batchSizes).containsExactly(1, 20);
    assertThat(written).hasSize(21);
    assertThat(balance()).isEqualTo(new CounterBalance(Money.ofNanos(21), Money.ZERO));
  }

  @Test
  void whilstUnwrittenTheReservationStillHoldsItsWholeAmount() throws Exception {
    writer = SettlementWriter.deferred(ledger);
    ledger.blockNextCall();
    writer.write(reserved("r1", 700, 10), this::remember);
    assertThat(ledger.entered.await(10, TimeUnit.SECONDS)).isTrue();

    assertThat(balance()).isEqualTo(new CounterBalance(Money.ZERO, Money.ofNanos(700)));
    ledger.gate.countDown();
    writer.flush(Duration.ofSeconds(10));
    assertThat(balance()).isEqualTo(new CounterBalance(Money.ofNanos(10), Money.ZERO));
  }

  @Test
  void aFailedBatchIsRetriedOneByOneSoOneBadSettlementCostsNoOther() throws Exception {
    writer = SettlementWriter.deferred(ledger);
    ledger.blockNextCall();
    writer.write(reserved("first", 100, 1), this::remember);
    assertThat(ledger.entered.await(10, TimeUnit.SECONDS)).isTrue();
    ledger.failBatches = true;
    ledger.failId = "bad";
    writer.write(reserved("a", 100, 2), this::remember);
    writer.write(reserved("bad", 100, 3), this::remember);
    writer.write(reserved("b", 100, 4), this::remember);
    ledger.gate.countDown();

    assertThat(writer.flush(Duration.ofSeconds(10))).isTrue();
    assertThat(written).containsExactlyInAnyOrder("first", "a", "b");
    // "bad" stays reserved until the sweeper charges it in full.
    assertThat(balance()).isEqualTo(new CounterBalance(Money.ofNanos(7), Money.ofNanos(100)));
  }

  @Test
  void aLoneDeferredSettlementThatFailsIsLeftToExpire() {
    writer = SettlementWriter.deferred(ledger);
    Settlement bad = reserved("bad", 100, 3);
    ledger.failAllWith("bad");

    writer.write(bad, this::remember);

    assertThat(writer.flush(Duration.ofSeconds(10))).isTrue();
    assertThat(written).isEmpty();
    assertThat(balance()).isEqualTo(new CounterBalance(Money.ZERO, Money.ofNanos(100)));
  }

  @Test
  void aBatchIsRetriedWhileTheLedgerIsUnavailableAndWrittenOnceItIsBack() {
    writer = SettlementWriter.deferred(ledger, Duration.ofSeconds(10), Duration.ofMillis(10));
    ledger.unavailableTimes.set(3);

    writer.write(reserved("r1", 100, 40), this::remember);

    assertThat(writer.flush(Duration.ofSeconds(10))).isTrue();
    assertThat(written).containsExactly("r1");
    assertThat(ledger.unavailableTimes.get()).isZero();
    assertThat(balance()).isEqualTo(new CounterBalance(Money.ofNanos(40), Money.ZERO));
  }

  @Test
  void aLedgerThatStaysUnavailableIsGivenUpAfterTheRetryWindow() {
    writer = SettlementWriter.deferred(ledger, Duration.ofMillis(200), Duration.ofMillis(20));
    ledger.unavailableTimes.set(Integer.MAX_VALUE);

    writer.write(reserved("r1", 100, 40), this::remember);
    writer.write(reserved("r2", 100, 40), this::remember);

    assertThat(writer.flush(Duration.ofSeconds(10))).isTrue();
    assertThat(written).isEmpty();
    // Left held: the sweeper charges them in full when they expire.
    assertThat(balance()).isEqualTo(new CounterBalance(Money.ZERO, Money.ofNanos(200)));
  }

  @Test
  void closeWithTheLedgerGoneGivesUpOnceAfterItsRetryWindowNotOncePerBatch() throws Exception {
    // A gateway stopping while its database is gone must still stop: before, every queued batch
    // was retried for the whole window in turn (16,384 queued = 64 windows), and the process hung.
    writer = SettlementWriter.deferred(ledger, Duration.ofSeconds(1), Duration.ofMillis(10));
    ledger.blockNextCall();
    writer.write(reserved("first", 100, 1), this::remember);
    assertThat(ledger.entered.await(10, TimeUnit.SECONDS)).isTrue();
    int queued = 8 * SettlementWriter.MAX_BATCH;
    for (int i = 0; i < queued; i++) {
      writer.write(reserved("q" + i, 100, 1), this::remember);
    }
    ledger.unavailableTimes.set(Integer.MAX_VALUE);
    long t0 = System.nanoTime();
    Thread closer = Thread.ofVirtual().start(writer::close);
    ledger.gate.countDown();
    closer.join(Duration.ofSeconds(60));
    Duration took = Duration.ofNanos(System.nanoTime() - t0);

    assertThat(closer.isAlive()).isFalse();
    assertThat(took).isLessThan(Duration.ofSeconds(4));
    assertThat(written).containsExactly("first");
    // Left held: the sweeper charges them in full when they expire (never lost, never doubled).
    assertThat(balance())
        .isEqualTo(new CounterBalance(Money.ofNanos(1), Money.ofNanos(100L * queued)));
  }

  @Test
  void closeWritesEverythingQueuedAndLaterWritesHappenInline() throws Exception {
    writer = SettlementWriter.deferred(ledger);
    ledger.blockNextCall();
    writer.write(reserved("first", 100, 1), this::remember);
    assertThat(ledger.entered.await(10, TimeUnit.SECONDS)).isTrue();
    for (int i = 0; i < 5; i++) {
      writer.write(reserved("q" + i, 100, 1), this::remember);
    }
    Thread closer = Thread.ofVirtual().start(writer::close);
    ledger.gate.countDown();
    closer.join(Duration.ofSeconds(30));

    assertThat(written).hasSize(6);
    writer.write(reserved("late", 100, 1), this::remember);
    assertThat(written).hasSize(7).contains("late");
    assertThat(balance()).isEqualTo(new CounterBalance(Money.ofNanos(7), Money.ZERO));
  }

  @Test
  void manyWritersEachSettlementWrittenExactlyOnce() throws Exception {
    writer = SettlementWriter.deferred(ledger);
    int threads = 8;
    int each = 200;
    List<Thread> ts = new java.util.ArrayList<>();
    for (int t = 0; t < threads; t++) {
      int thread = t;
      ts.add(
          Thread.ofVirtual()
              .start(
                  () -> {
                    for (int i = 0; i < each; i++) {
                      writer.write(reserved("m" + thread + "-" + i, 10, 1), this::remember);
                    }
                  }));
    }
    for (Thread t : ts) {
      t.join(Duration.ofSeconds(30));
    }
    writer.close();

    assertThat(written).hasSize(threads * each).doesNotHaveDuplicates();
    assertThat(balance())
        .isEqualTo(new CounterBalance(Money.ofNanos((long) threads * each), Money.ZERO));
  }

  private void remember(Settlement s) {
    written.add(s.reservationId());
  }

  private Settlement reserved(String id, long reserve, long cost) {
    return reserved(ledger, DAILY, id, reserve, cost);
  }

  /** Reserves {@code reserve} on {@code line} and returns the settlement charging {@code cost}. */
  static Settlement reserved(
      BudgetLedger ledger, BudgetLine line, String id, long reserve, long cost) {
    ReserveOutcome outcome =
        ledger.reserve(
            new ReservationRequest(
                id,
                List.of(line),
                Money.ofNanos(reserve),
                T0,
                T0.plus(Duration.ofMinutes(5)),
                spend(id, "k1").pending()));
    assertThat(outcome).isInstanceOf(ReserveOutcome.Reserved.class);
    SpendRecord done = spend(id, "k1").nanos(cost).build();
    return new Settlement.Settle(id, done);
  }

  private CounterBalance balance() {
    CounterKey k = DAILY.counter();
    return ledger.balances(List.of(k)).get(k);
  }

  /**
   * The in-memory ledger, recording batch sizes; it can hold its next settle call until released,
   * fail batches, and refuse one reservation id.
   */
  private static final class RecordingLedger extends ForwardingLedger {
    final List<Integer> batchSizes = new CopyOnWriteArrayList<>();
    final CountDownLatch entered = new CountDownLatch(1);
    final CountDownLatch gate = new CountDownLatch(1);
    private volatile boolean block;
    volatile boolean failBatches;
    volatile String failId;

    RecordingLedger(BudgetLedger delegate) {
      super(delegate);
    }

    void blockNextCall() {
      block = true;
    }

    private void maybeBlock() {
      if (block) {
        block = false;
        entered.countDown();
        try {
          gate.await(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }
    }

    @Override
    public boolean settle(String reservationId, SpendRecord record) {
      maybeBlock();
      if (reservationId.equals(failId)) {
        throw new IllegalStateException("refused for the test");
      }
      return delegate.settle(reservationId, record);
    }

    private volatile String failAllWith;

    void failAllWith(String id) {
      failAllWith = id;
    }

    final java.util.concurrent.atomic.AtomicInteger unavailableTimes =
        new java.util.concurrent.atomic.AtomicInteger();

    @Override
    public int settleAll(List<Settlement> settlements) {
      if (unavailableTimes.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
        throw new StorageUnavailableException("the database is unavailable (test)", null);
      }
      maybeBlock();
      if (settlements.stream().anyMatch(s -> s.reservationId().equals(failAllWith))) {
        throw new IllegalStateException("refused for the test");
      }
      batchSizes.add(settlements.size());
      if (failBatches && settlements.size() > 1) {
        throw new IllegalStateException("batch refused for the test");
      }
      return super.settleAll(settlements);
    }
  }
}

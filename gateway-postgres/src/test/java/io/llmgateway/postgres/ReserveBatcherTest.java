package io.llmgateway.postgres;

import static io.llmgateway.postgres.TestData.NOW;
import static io.llmgateway.postgres.TestData.id;
import static io.llmgateway.postgres.TestData.line;
import static io.llmgateway.postgres.TestData.reservation;
import static io.llmgateway.postgres.TestData.teamDaily;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.llmgateway.core.budget.BudgetLine;
import io.llmgateway.core.budget.Reservation;
import io.llmgateway.core.budget.ReservationRequest;
import io.llmgateway.core.budget.ReserveOutcome;
import io.llmgateway.core.money.Money;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/** The grouping itself, over stand-in single and batch functions (no database needed). */
class ReserveBatcherTest {
  private static final BudgetLine LINE = line(teamDaily("t", NOW), Money.ofNanos(1_000_000));

  private final List<Thread> singleThreads = new CopyOnWriteArrayList<>();
  private final List<Integer> batchSizes = new CopyOnWriteArrayList<>();
  private final CountDownLatch firstEntered = new CountDownLatch(1);
  private final CountDownLatch release = new CountDownLatch(1);
  private volatile boolean blockFirst;
  private volatile boolean failBatches;
  private volatile boolean errorBatches;

  private ReserveOutcome reserved(ReservationRequest r) {
    return new ReserveOutcome.Reserved(
        new Reservation(
            r.reservationId(), List.of(LINE.counter()), r.amount(), r.now(), r.expiresAt()));
  }

  private final Function<ReservationRequest, ReserveOutcome> single =
      r -> {
        singleThreads.add(Thread.currentThread());
        if (blockFirst) {
          blockFirst = false;
          firstEntered.countDown();
          await(release);
        }
        if (r.reservationId().startsWith("bad")) {
          throw new IllegalStateException("refused for the test");
        }
        return reserved(r);
      };

  private final Function<List<ReservationRequest>, List<ReserveOutcome>> batch =
      rs -> {
        batchSizes.add(rs.size());
        if (errorBatches) {
          throw new OutOfMemoryError("an error, not an exception, for the test");
        }
        if (failBatches) {
          throw new IllegalStateException("batch refused for the test");
        }
        return rs.stream().map(this::reserved).toList();
      };

  private volatile boolean databaseDown;

  private final ReserveBatcher batcher =
      new ReserveBatcher(single, batch, e -> databaseDown && e instanceof IllegalStateException);

  private static void await(CountDownLatch l) {
    try {
      l.await(30, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static ReservationRequest request(String rid) {
    return reservation(rid, List.of(LINE), Money.ofNanos(10), NOW, NOW.plusSeconds(60));
  }

  /** Starts a request "first" that leads and blocks inside its single reserve until released. */
  private Thread firstBlocked() throws InterruptedException {
    Thread first = Thread.ofVirtual().start(() -> batcher.reserve(request("first")));
    assertThat(firstEntered.await(10, TimeUnit.SECONDS)).isTrue();
    return first;
  }

  /** One thread per id running {@code call}, returned once all are queued behind "first". */
  private List<Thread> queuedBehindFirst(List<String> rids, Consumer<String> call)
      throws InterruptedException {
    List<Thread> threads = new ArrayList<>();
    for (String rid : rids) {
      threads.add(Thread.ofVirtual().start(() -> call.accept(rid)));
    }
    waitUntilQueued(rids.size());
    return threads;
  }

  @Test
  void aLoneRequestRunsAtOnceOnItsOwnThread() {
    ReserveOutcome outcome = batcher.reserve(request("r1"));

    assertThat(outcome).isInstanceOf(ReserveOutcome.Reserved.class);
    assertThat(singleThreads).containsExactly(Thread.currentThread());
    assertThat(batchSizes).isEmpty();
  }

  @Test
  void requestsArrivingWhileABatchRunsGoTogetherInTheNextOne() throws Exception {
    blockFirst = true;
    Thread first = firstBlocked();
    List<Thread> others = new ArrayList<>();
    List<ReserveOutcome> outcomes = new CopyOnWriteArrayList<>();
    for (int i = 0; i < 10; i++) {
      String rid = "q" + i;
      others.add(Thread.ofVirtual().start(() -> outcomes.add(batcher.reserve(request(rid)))));
    }
    waitUntilQueued(10);
    release.countDown();

    first.join(Duration.ofSeconds(10));
    for (Thread t : others) {
      t.join(Duration.ofSeconds(10));
    }
    assertThat(batchSizes).containsExactly(10);
    assertThat(outcomes).hasSize(10).allMatch(o -> o instanceof ReserveOutcome.Reserved);
  }

  @Test
  void aFailedBatchIsRetriedOneByOneAndOnlyTheBadRequestFails() throws Exception {
    blockFirst = true;
    failBatches = true;
    Thread first = firstBlocked();
    List<Object> results = new CopyOnWriteArrayList<>();
    List<Thread> others =
        queuedBehindFirst(
            List.of("a", "bad", "b"),
            rid -> {
              try {
                results.add(batcher.reserve(request(rid)).getClass().getSimpleName());
              } catch (IllegalStateException e) {
                results.add("failed " + rid);
              }
            });
    release.countDown();
    first.join(Duration.ofSeconds(10));
    for (Thread t : others) {
      t.join(Duration.ofSeconds(10));
    }

    assertThat(batchSizes).containsExactly(3);
    assertThat(results).containsExactlyInAnyOrder("Reserved", "Reserved", "failed bad");
  }

  @Test
  void whenTheDatabaseCannotBeReachedTheWholeBatchFailsAtOnce() throws Exception {
    blockFirst = true;
    Thread first = firstBlocked();
    failBatches = true;
    databaseDown = true;
    List<Object> results = new CopyOnWriteArrayList<>();
    List<Thread> others =
        queuedBehindFirst(
            List.of("a", "b", "c"),
            rid -> {
              try {
                results.add(batcher.reserve(request(rid)));
              } catch (IllegalStateException e) {
                results.add("failed " + rid);
              }
            });
    int singlesBefore = singleThreads.size();
    release.countDown();
    first.join(Duration.ofSeconds(10));
    for (Thread t : others) {
      t.join(Duration.ofSeconds(10));
    }

    assertThat(results).containsExactlyInAnyOrder("failed a", "failed b", "failed c");
    assertThat(singleThreads).as("no one-by-one retries").hasSize(singlesBefore);
  }

  @Test
  void anErrorInABatchFailsEveryRequestItTookAndNoneIsLeftWaiting() throws Exception {
    blockFirst = true;
    Thread first = firstBlocked();
    errorBatches = true;
    List<String> results = new CopyOnWriteArrayList<>();
    List<Thread> others =
        queuedBehindFirst(
            List.of("a", "b", "c"),
            rid -> {
              try {
                batcher.reserve(request(rid));
                results.add("reserved");
              } catch (IllegalStateException | OutOfMemoryError e) {
                results.add("failed");
              }
            });
    release.countDown();
    first.join(Duration.ofSeconds(10));
    for (Thread t : others) {
      // Before: the requests the failed leader had taken were never decided, and each led over
      // an empty queue forever (a spinning carrier), so these joins timed out.
      assertThat(t.join(Duration.ofSeconds(10))).as("returned").isTrue();
    }
    assertThat(results).containsExactly("failed", "failed", "failed");

    errorBatches = false;
    assertThat(batcher.reserve(request("after"))).isInstanceOf(ReserveOutcome.Reserved.class);
  }

  @Test
  void manyConcurrentCallersEachGetTheirOwnOutcome() throws Exception {
    List<Thread> ts = new ArrayList<>();
    List<String> mismatches = new CopyOnWriteArrayList<>();
    for (int t = 0; t < 16; t++) {
      int thread = t;
      ts.add(
          Thread.ofVirtual()
              .start(
                  () -> {
                    for (int i = 0; i < 200; i++) {
                      String rid = id("m" + thread + "-" + i);
                      ReserveOutcome o = batcher.reserve(request(rid));
                      if (!((ReserveOutcome.Reserved) o).reservation().id().equals(rid)) {
                        mismatches.add(rid);
                      }
                    }
                  }));
    }
    for (Thread t : ts) {
      t.join(Duration.ofSeconds(60));
    }
    assertThat(mismatches).isEmpty();
  }

  @Test
  void failuresReachTheCallerWhoseRequestFailed() {
    assertThatThrownBy(() -> batcher.reserve(request("bad-alone")))
        .isInstanceOf(IllegalStateException.class);
  }

  /** Waits until the given number of callers are parked behind the running batch. */
  private static void waitUntilQueued(int n) throws InterruptedException {
    // The batcher's queue is private; callers queue before parking, so a short settle suffices
    // and the assertion on batch sizes checks the outcome.
    Thread.sleep(200 + 20L * n);
  }
}

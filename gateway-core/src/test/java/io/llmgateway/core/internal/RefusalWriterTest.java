package io.llmgateway.core.internal;

import static io.llmgateway.core.testing.Fixtures.T0;
import static org.assertj.core.api.Assertions.assertThat;

import io.llmgateway.core.Page;
import io.llmgateway.core.requestlog.Refusal;
import io.llmgateway.core.requestlog.RefusalLog;
import io.llmgateway.core.requestlog.RefusalQuery;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class RefusalWriterTest {

  /** Records what it is asked to append; optionally blocks until released (a stalled database). */
  static class Target implements RefusalLog {
    final List<Refusal> written = new CopyOnWriteArrayList<>();
    final CountDownLatch release;

    Target(boolean stalled) {
      release = new CountDownLatch(stalled ? 1 : 0);
    }

    @Override
    public void append(List<Refusal> batch) {
      try {
        release.await(10, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      written.addAll(batch);
    }

    @Override
    public Page<Refusal> query(RefusalQuery q) {
      throw new UnsupportedOperationException();
    }

    @Override
    public int purgeBefore(Instant before, int limit) {
      return 0;
    }
  }

  static Refusal invalidKey(int i, String address, Instant at) {
    return new Refusal(
        "req-" + i,
        at,
        401,
        "invalid_api_key",
        Optional.empty(),
        Optional.empty(),
        Optional.empty(),
        Optional.empty(),
        Optional.empty(),
        Optional.of(address),
        0);
  }

  static Refusal budget(int i, String key, Instant at) {
    return new Refusal(
        "req-" + i,
        at,
        429,
        "budget_exceeded",
        Optional.of("daily user budget"),
        Optional.of(key),
        Optional.of("alice"),
        Optional.of("basic"),
        Optional.of("nova-micro"),
        Optional.of("203.0.113.1"),
        3);
  }

  @Test
  void aStalledLogNeverMakesARequestWaitItDropsAndCounts() throws Exception {
    Target target = new Target(true);
    try (RefusalWriter w = new RefusalWriter(target, 8)) {
      long start = System.nanoTime();
      int queued = 0;
      for (int i = 0; i < 200; i++) {
        // 200 different addresses, so sampling keeps each: only the queue's bound refuses them.
        if (w.offer(invalidKey(i, "198.51.100." + i, T0))) {
          queued++;
        }
      }
      long ms = (System.nanoTime() - start) / 1_000_000;

      assertThat(ms).as("200 offers against a stalled writer").isLessThan(1_000);
      // At most the queue's 8 plus the one batch the stalled thread already holds: it takes one
      // and drains what is queued then (up to 8 more), depending on when it was scheduled.
      assertThat(queued).isBetween(8, 17);
      assertThat(w.dropped()).isEqualTo(200 - queued);

      target.release.countDown();
      assertThat(w.flush(Duration.ofSeconds(5))).isTrue();
      assertThat(target.written).hasSize(queued);
    }
  }

  @Test
  void aFloodOfInvalidKeysFromOneAddressWritesAtMostItsShareAMinute() {
    Target target = new Target(false);
    try (RefusalWriter w = new RefusalWriter(target)) {
      for (int i = 0; i < 1_000; i++) {
        w.offer(invalidKey(i, "203.0.113.9", T0.plusMillis(i)));
      }
      // The next minute has a share of its own.
      for (int i = 0; i < 1_000; i++) {
        w.offer(invalidKey(10_000 + i, "203.0.113.9", T0.plusSeconds(60).plusMillis(i)));
      }
      assertThat(w.flush(Duration.ofSeconds(5))).isTrue();

      assertThat(target.written).hasSize(2 * RefusalWriter.PER_SUBJECT_PER_MINUTE);
      assertThat(w.sampledOut()).isEqualTo(2_000 - 2 * RefusalWriter.PER_SUBJECT_PER_MINUTE);
    }
  }

  @Test
  void aKnownKeyIsSampledByKeyNotByAddressAndOtherKeysKeepTheirShare() {
    Target target = new Target(false);
    try (RefusalWriter w = new RefusalWriter(target)) {
      for (int i = 0; i < 100; i++) {
        w.offer(budget(i, "key_alice", T0));
        w.offer(budget(1_000 + i, "key_bob", T0));
      }
      assertThat(w.flush(Duration.ofSeconds(5))).isTrue();

      assertThat(target.written.stream().filter(r -> r.keyId().get().equals("key_alice")))
          .hasSize(RefusalWriter.PER_SUBJECT_PER_MINUTE);
      assertThat(target.written.stream().filter(r -> r.keyId().get().equals("key_bob")))
          .hasSize(RefusalWriter.PER_SUBJECT_PER_MINUTE);
    }
  }

  @Test
  void manyAddressesTogetherWriteAtMostTheInstancesShareAMinute() {
    Target target = new Target(false);
    try (RefusalWriter w = new RefusalWriter(target, 100_000)) {
      for (int i = 0; i < RefusalWriter.PER_MINUTE + 5_000; i++) {
        w.offer(invalidKey(i, "addr-" + i, T0));
      }
      assertThat(w.flush(Duration.ofSeconds(10))).isTrue();

      assertThat(target.written).hasSize(RefusalWriter.PER_MINUTE);
      assertThat(w.sampledOut()).isEqualTo(5_000);
    }
  }

  @Test
  void closingWritesWhatIsQueued() {
    Target target = new Target(false);
    RefusalWriter w = new RefusalWriter(target);
    for (int i = 0; i < 10; i++) {
      w.offer(budget(i, "key_" + i, T0));
    }
    w.close();

    assertThat(target.written).hasSize(10);
    assertThat(w.offer(budget(99, "key_late", T0))).isFalse();
  }

  /** A log that only counts (for measuring the request thread's side alone). */
  static final class Counting extends Target {
    final java.util.concurrent.atomic.AtomicLong count =
        new java.util.concurrent.atomic.AtomicLong();

    Counting() {
      super(false);
    }

    @Override
    public void append(List<Refusal> batch) {
      count.addAndGet(batch.size());
    }
  }

  /**
   * What recording a refusal costs the request thread: sampling plus a queue offer, for a refusal
   * that is queued and for one sampled out (a flood). Printed, with a loose bound so a slow machine
   * does not fail it.
   */
  @Test
  void offeringARefusalCostsTheRequestMicrosecondsAtMost() {
    Counting target = new Counting();
    try (RefusalWriter w = new RefusalWriter(target, 100_000)) {
      int n = RefusalWriter.PER_MINUTE;
      Refusal[] queued = new Refusal[n];
      Refusal[] flood = new Refusal[100_000];
      for (int round = 0; round < 3; round++) { // the first two rounds warm up
        Instant minute = T0.plusSeconds(60L * 2 * round);
        for (int i = 0; i < n; i++) {
          queued[i] = budget(i, "key_" + i, minute); // distinct keys: every one is queued
        }
        for (int i = 0; i < flood.length; i++) {
          flood[i] = invalidKey(i, "203.0.113.9", minute.plusSeconds(60)); // one address
        }
        long t0 = System.nanoTime();
        for (Refusal r : queued) {
          w.offer(r);
        }
        long t1 = System.nanoTime();
        for (Refusal r : flood) {
          w.offer(r);
        }
        long t2 = System.nanoTime();
        if (round == 2) {
          double in = (t1 - t0) / (double) n;
          double out = (t2 - t1) / (double) flood.length;
          System.out.printf(
              "refusal offer: %.0f ns queued, %.0f ns sampled out (dropped %d)%n",
              in, out, w.dropped());
          assertThat(in).isLessThan(50_000);
          assertThat(out).isLessThan(50_000);
        }
      }
    }
  }
}

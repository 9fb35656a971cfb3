package io.llmgateway.server.openai;

import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * One ticking thread for every open stream's heartbeat, instead of a sleeping thread per stream:
 * opening a stream costs a set insert, not a thread start and its first sleep on the path to the
 * first token. Each tick asks every channel whether a ping is due; a due ping is written on a
 * virtual thread of its own, so a client that stopped reading blocks only its own ping, never the
 * tick. The ticker runs only while some channel is registered (no thread outlives its streams).
 * Thread-safe.
 */
public final class Heartbeats {
  /** A stream that may need a ping; {@link #beatIfDue} runs on the ticking thread. */
  interface Beating {
    void beatIfDue(long nowNanos);
  }

  private final Set<Beating> channels = ConcurrentHashMap.newKeySet();
  private final long stepMillis;
  private Thread ticker;

  public Heartbeats(Duration interval) {
    // A ping goes out between one and 1.25 intervals after the last write.
    this.stepMillis = Math.max(1, interval.toMillis() / 4);
  }

  void add(Beating c) {
    channels.add(c);
    synchronized (this) {
      if (ticker == null) {
        ticker = Thread.ofVirtual().name("sse-heartbeats").start(this::tick);
      }
    }
  }

  void remove(Beating c) {
    channels.remove(c);
  }

  private void tick() {
    while (true) {
      try {
        Thread.sleep(stepMillis);
      } catch (InterruptedException e) {
        return;
      }
      synchronized (this) {
        if (channels.isEmpty()) {
          ticker = null;
          return;
        }
      }
      long now = System.nanoTime();
      for (Beating c : channels) {
        c.beatIfDue(now);
      }
    }
  }
}

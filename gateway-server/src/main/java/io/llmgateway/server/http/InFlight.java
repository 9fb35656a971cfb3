package io.llmgateway.server.http;

import io.llmgateway.core.provider.ChatStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Counts requests in progress and tracks open streams, so shutdown can stop taking new work, wait
 * for what is running up to a deadline, then close (and so settle) any stream still open.
 * Thread-safe.
 */
public final class InFlight {
  private final AtomicInteger requests = new AtomicInteger();
  private final Set<ChatStream> streams = ConcurrentHashMap.newKeySet();
  private final AtomicBoolean draining = new AtomicBoolean();

  public void begin() {
    requests.incrementAndGet();
  }

  public void end() {
    synchronized (this) {
      if (requests.decrementAndGet() == 0) {
        notifyAll();
      }
    }
  }

  public int requests() {
    return requests.get();
  }

  public int streams() {
    return streams.size();
  }

  public void opened(ChatStream stream) {
    streams.add(stream);
  }

  public void closed(ChatStream stream) {
    streams.remove(stream);
  }

  public boolean draining() {
    return draining.get();
  }

  /**
   * Stops admitting work, waits until nothing is in flight or {@code grace} passed, then closes
   * remaining streams (each settles what it used).
   *
   * @return how many streams had to be cut off
   */
  public int drain(Duration grace) {
    draining.set(true);
    long deadline = System.nanoTime() + grace.toNanos();
    synchronized (this) {
      while (requests.get() > 0) {
        long left = deadline - System.nanoTime();
        if (left <= 0) {
          break;
        }
        try {
          wait(Math.max(1, left / 1_000_000));
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          break;
        }
      }
    }
    // In parallel: closing a stream may drain it for its usage for a few seconds
    // (GatewayConfig.cancelDrain), and shutdown should wait for the longest, not the sum.
    List<Thread> closing = new ArrayList<>();
    for (ChatStream s : streams) {
      closing.add(Thread.ofVirtual().name("close-stream").start(s::close));
    }
    for (Thread t : closing) {
      try {
        t.join();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        break;
      }
    }
    return closing.size();
  }
}

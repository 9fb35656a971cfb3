package io.llmgateway.server.openai;

import io.javalin.http.Context;
import io.llmgateway.core.AdmissionListener;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.ReentrantLock;

/**
 * One streamed response's output, shared by the request thread (chunks) and the heartbeat ({@link
 * Heartbeats}: a shared ticker, the ping itself on a virtual thread) that writes the SSE comment
 * {@code : ping} whenever nothing was sent for {@code interval} (the ALB, and any proxy, closes a
 * connection idle for its timeout, 300 s by default, while a model may think longer before its
 * first token). The heartbeat starts only after admission, so refusals (401, 429 ...) are still
 * real HTTP statuses; if the upstream has not answered by the first beat, the 200 and the SSE
 * headers are committed then, and a later failure is sent as an error event. Every write holds one
 * lock, so chunks and pings never interleave. Closed once.
 */
public final class SseChannel implements AutoCloseable, Heartbeats.Beating {
  private static final byte[] PING = ": ping\n\n".getBytes(StandardCharsets.US_ASCII);

  private final Context ctx;
  private final Heartbeats heartbeats;
  private final long intervalNanos;
  private final ReentrantLock lock = new ReentrantLock();
  private final AtomicBoolean pinging = new AtomicBoolean();
  private volatile boolean admitted;
  private boolean closed;
  private OutputStream out;
  private volatile long lastWrite = System.nanoTime();

  public SseChannel(Context ctx, Duration interval, Heartbeats heartbeats) {
    this.ctx = ctx;
    this.intervalNanos = interval.toNanos();
    this.heartbeats = heartbeats;
  }

  /** Wraps {@code inner}: once admitted, start beating. */
  public AdmissionListener admission(AdmissionListener inner) {
    return grant -> {
      lock.lock();
      try {
        inner.admitted(grant);
        admitted = true;
        lastWrite = System.nanoTime();
      } finally {
        lock.unlock();
      }
      heartbeats.add(this);
    };
  }

  /** True once the status line and headers are out (a failure can only be an error event). */
  public boolean committed() {
    lock.lock();
    try {
      return out != null;
    } finally {
      lock.unlock();
    }
  }

  /** Writes {@code bytes} and flushes; false if the client is gone. */
  public boolean write(byte[]... parts) {
    lock.lock();
    try {
      OutputStream o = open();
      for (byte[] p : parts) {
        o.write(p);
      }
      o.flush();
      lastWrite = System.nanoTime();
      return true;
    } catch (IOException e) {
      return false;
    } finally {
      lock.unlock();
    }
  }

  /** Completes the response (the last bytes reach the client before the request is done). */
  public void finish() throws IOException {
    lock.lock();
    try {
      open().close();
    } finally {
      lock.unlock();
    }
  }

  private OutputStream open() throws IOException {
    if (out == null) {
      ctx.status(200);
      ctx.contentType("text/event-stream; charset=utf-8");
      ctx.header("Cache-Control", "no-cache");
      ctx.header("X-Accel-Buffering", "no");
      out = ctx.res().getOutputStream();
    }
    return out;
  }

  /** On the ticking thread: starts a ping if one is due and none is being written. */
  @Override
  public void beatIfDue(long now) {
    if (admitted && now - lastWrite >= intervalNanos && pinging.compareAndSet(false, true)) {
      Thread.ofVirtual().name("sse-ping").start(this::ping);
    }
  }

  private void ping() {
    lock.lock();
    try {
      if (!closed && System.nanoTime() - lastWrite >= intervalNanos) {
        OutputStream o = open();
        o.write(PING);
        o.flush();
        lastWrite = System.nanoTime();
      }
    } catch (IOException e) {
      // the client is gone; the request thread finds out on its next write
    } finally {
      lock.unlock();
      pinging.set(false);
    }
  }

  @Override
  public void close() {
    heartbeats.remove(this);
    lock.lock();
    try {
      closed = true;
    } finally {
      lock.unlock();
    }
  }
}

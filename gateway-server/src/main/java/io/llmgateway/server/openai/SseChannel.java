package io.llmgateway.server.openai;

import io.javalin.http.Context;
import io.llmgateway.core.AdmissionListener;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.locks.ReentrantLock;

/**
 * One streamed response's output, shared by the request thread (chunks) and a heartbeat virtual
 * thread that writes the SSE comment {@code : ping} whenever nothing was sent for {@code interval}
 * (the ALB, and any proxy, closes a connection idle for its timeout, 300 s by default, while a
 * model may think longer before its first token). The heartbeat starts only after admission, so
 * refusals (401, 429 ...) are still real HTTP statuses; if the upstream has not answered by the
 * first beat, the 200 and the SSE headers are committed then, and a later failure is sent as an
 * error event. Every write holds one lock, so chunks and pings never interleave. Closed once.
 */
final class SseChannel implements AutoCloseable {
  private static final byte[] PING = ": ping\n\n".getBytes(StandardCharsets.US_ASCII);

  private final Context ctx;
  private final Duration interval;
  private final ReentrantLock lock = new ReentrantLock();
  private boolean admitted;
  private boolean closed;
  private OutputStream out;
  private long lastWrite = System.nanoTime();
  private Thread beat;

  SseChannel(Context ctx, Duration interval) {
    this.ctx = ctx;
    this.interval = interval;
  }

  /** Wraps {@code inner}: once admitted, start beating. */
  AdmissionListener admission(AdmissionListener inner) {
    return grant -> {
      lock.lock();
      try {
        inner.admitted(grant);
        admitted = true;
        lastWrite = System.nanoTime();
      } finally {
        lock.unlock();
      }
      beat = Thread.ofVirtual().name("sse-heartbeat").start(this::beat);
    };
  }

  /** True once the status line and headers are out (a failure can only be an error event). */
  boolean committed() {
    lock.lock();
    try {
      return out != null;
    } finally {
      lock.unlock();
    }
  }

  /** Writes {@code bytes} and flushes; false if the client is gone. */
  boolean write(byte[]... parts) {
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
  void finish() throws IOException {
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

  private void beat() {
    long step = Math.max(1, interval.toMillis() / 4);
    while (true) {
      try {
        Thread.sleep(step);
      } catch (InterruptedException e) {
        return;
      }
      lock.lock();
      try {
        if (closed) {
          return;
        }
        if (admitted && System.nanoTime() - lastWrite >= interval.toNanos()) {
          OutputStream o = open();
          o.write(PING);
          o.flush();
          lastWrite = System.nanoTime();
        }
      } catch (IOException e) {
        return; // the client is gone; the request thread finds out on its next write
      } finally {
        lock.unlock();
      }
    }
  }

  @Override
  public void close() {
    lock.lock();
    try {
      closed = true;
    } finally {
      lock.unlock();
    }
    Thread b = beat;
    if (b != null) {
      b.interrupt();
    }
  }
}

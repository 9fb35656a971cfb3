package io.llmgateway.server.http;

import io.javalin.http.Context;
import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads a request body up to a limit, before any parsing, and only after the caller was
 * authenticated from the headers: a declared {@code Content-Length} above the limit is refused
 * without reading, and a chunked body is cut off as soon as it passes the limit (413 either way).
 * Memory grows with the bytes that actually arrived, never with what {@code Content-Length}
 * promises, so headers that announce 8 MiB and send nothing cost a few KiB. A body that stalls
 * (each read is bounded by the request timeout, see {@code HttpSettings}) or is not complete by the
 * deadline is 408; one that ends before its declared length is 400. Both are logged at WARN as one
 * line, without a stack trace. Stateless.
 */
public final class BodyReader {
  private static final Logger log = LoggerFactory.getLogger(BodyReader.class);

  /** The first buffer; it doubles as bytes arrive, up to the limit. */
  static final int INITIAL = 16 * 1024;

  /**
   * How much of a refused body is still read and thrown away before answering 413. A client that is
   * still uploading when the server closes the connection sees a reset instead of the answer;
   * draining a bounded amount lets ordinary clients read the 413, and the bound keeps a hostile
   * upload from costing more than this.
   */
  static final long DRAIN_BYTES = 16L << 20;

  private BodyReader() {}

  /** With the default request timeout as the deadline. */
  public static byte[] read(Context ctx, int limit) {
    return read(ctx, limit, io.llmgateway.server.HttpSettings.DEFAULT.requestTimeout());
  }

  public static byte[] read(Context ctx, int limit, Duration deadline) {
    long declared = ctx.req().getContentLengthLong();
    if (declared > limit) {
      throw refuse(ctx, limit);
    }
    long until = System.nanoTime() + deadline.toNanos();
    try (InputStream in = ctx.req().getInputStream()) {
      byte[] buf = new byte[(int) (declared >= 0 ? Math.min(declared, INITIAL) : INITIAL)];
      int n = 0;
      while (true) {
        if (n == buf.length) {
          if (buf.length >= limit + 1) {
            throw refuse(ctx, limit);
          }
          long cap = declared >= 0 ? declared + 1 : (long) limit + 1;
          buf = Arrays.copyOf(buf, (int) Math.min(Math.max((long) buf.length * 2, 1), cap));
        }
        int r = in.read(buf, n, buf.length - n);
        if (r < 0) {
          break;
        }
        n += r;
        if (n > limit) {
          throw refuse(ctx, limit);
        }
        if (System.nanoTime() - until > 0) {
          throw failed(ctx, HttpProblem.timeout(), "arrived too slowly", n, declared);
        }
      }
      return n == buf.length ? buf : Arrays.copyOf(buf, n);
    } catch (IOException e) {
      throw timedOut(e)
          ? failed(ctx, HttpProblem.timeout(), "stalled", -1, declared)
          : failed(
              ctx,
              HttpProblem.badRequest("the request body ended before it was complete"),
              "ended early (" + e.getClass().getSimpleName() + ")",
              -1,
              declared);
    }
  }

  private static boolean timedOut(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof TimeoutException || t instanceof java.net.SocketTimeoutException) {
        return true;
      }
    }
    return false;
  }

  private static HttpProblem failed(
      Context ctx, HttpProblem problem, String what, long received, long declared) {
    // The connection's state is unknown after a failed read: do not reuse it.
    ctx.header("Connection", "close");
    log.warn(
        "request {} body {}: {} {} (declared {} bytes{})",
        RequestIds.of(ctx),
        what,
        problem.status(),
        problem.code(),
        declared,
        received >= 0 ? ", received " + received : "");
    return problem;
  }

  private static RuntimeException refuse(Context ctx, int limit) {
    try {
      InputStream in = ctx.req().getInputStream();
      byte[] sink = new byte[64 * 1024];
      long drained = 0;
      int r;
      while (drained < DRAIN_BYTES && (r = in.read(sink)) >= 0) {
        drained += r;
      }
    } catch (IOException | RuntimeException ignored) {
      // The client went away or the stream is already closed: nothing left to drain.
    }
    return HttpProblem.tooLarge(limit);
  }
}

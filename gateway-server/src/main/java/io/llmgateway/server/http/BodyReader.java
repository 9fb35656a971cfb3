package io.llmgateway.server.http;

import io.javalin.http.Context;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Arrays;

/**
 * Reads a request body up to a limit, before any parsing: a declared {@code Content-Length} above
 * the limit is refused without reading, and a chunked body is cut off as soon as it passes the
 * limit (413 either way). Stateless.
 */
public final class BodyReader {
  /**
   * How much of a refused body is still read and thrown away before answering 413. A client that is
   * still uploading when the server closes the connection sees a reset instead of the answer;
   * draining a bounded amount lets ordinary clients read the 413, and the bound keeps a hostile
   * upload from costing more than this.
   */
  static final long DRAIN_BYTES = 16L << 20;

  private BodyReader() {}

  public static byte[] read(Context ctx, int limit) {
    long declared = ctx.req().getContentLengthLong();
    if (declared > limit) {
      throw refuse(ctx, limit);
    }
    try (InputStream in = ctx.req().getInputStream()) {
      byte[] buf = new byte[declared > 0 ? (int) declared : 8192];
      int n = 0;
      while (true) {
        if (n == buf.length) {
          if (buf.length >= limit + 1) {
            throw refuse(ctx, limit);
          }
          buf = Arrays.copyOf(buf, (int) Math.min((long) buf.length * 2, (long) limit + 1));
        }
        int r = in.read(buf, n, buf.length - n);
        if (r < 0) {
          break;
        }
        n += r;
        if (n > limit) {
          throw refuse(ctx, limit);
        }
      }
      return n == buf.length ? buf : Arrays.copyOf(buf, n);
    } catch (IOException e) {
      throw new UncheckedIOException("could not read the request body", e);
    }
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

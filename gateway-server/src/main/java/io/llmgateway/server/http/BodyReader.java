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
  private BodyReader() {}

  public static byte[] read(Context ctx, int limit) {
    long declared = ctx.req().getContentLengthLong();
    if (declared > limit) {
      throw HttpProblem.tooLarge(limit);
    }
    try (InputStream in = ctx.req().getInputStream()) {
      byte[] buf = new byte[declared > 0 ? (int) declared : 8192];
      int n = 0;
      while (true) {
        if (n == buf.length) {
          if (buf.length >= limit + 1) {
            throw HttpProblem.tooLarge(limit);
          }
          buf = Arrays.copyOf(buf, (int) Math.min((long) buf.length * 2, (long) limit + 1));
        }
        int r = in.read(buf, n, buf.length - n);
        if (r < 0) {
          break;
        }
        n += r;
        if (n > limit) {
          throw HttpProblem.tooLarge(limit);
        }
      }
      return n == buf.length ? buf : Arrays.copyOf(buf, n);
    } catch (IOException e) {
      throw new UncheckedIOException("could not read the request body", e);
    }
  }
}

package io.llmgateway.server.bench;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;

/**
 * The smallest HTTP/1.1 client the stream benchmarks need, on a plain blocking socket (see {@link
 * LatencyProbe} for why not a client library): builds a POST, reads a response head and then its
 * body as it arrives, chunked, with a Content-Length or up to the end of the connection. Not
 * thread-safe: one per connection.
 */
final class RawHttp {
  private final InputStream in;
  private final byte[] buf = new byte[16 * 1024];
  private int pos;
  private int lim;
  private boolean chunked;
  private long remaining; // Content-Length left, or of the current chunk; -1: until EOF
  private boolean done;

  RawHttp(InputStream in) {
    this.in = in;
  }

  /** A POST of {@code body} to {@code url}, with a bearer key if not empty. */
  static byte[] post(URI url, String body, String key) {
    byte[] b = body.getBytes(StandardCharsets.UTF_8);
    String head =
        "POST "
            + url.getRawPath()
            + " HTTP/1.1\r\nHost: "
            + url.getHost()
            + ":"
            + url.getPort()
            + "\r\nContent-Type: application/json\r\nContent-Length: "
            + b.length
            + (key.isEmpty() ? "" : "\r\nAuthorization: Bearer " + key)
            + "\r\n\r\n";
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.writeBytes(head.getBytes(StandardCharsets.US_ASCII));
    out.writeBytes(b);
    return out.toByteArray();
  }

  /** Reads a response head; returns its status. The body is then read with {@link #read}. */
  int head() throws IOException {
    String status = line();
    chunked = false;
    remaining = -1;
    done = false;
    for (String h = line(); !h.isEmpty(); h = line()) {
      int colon = h.indexOf(':');
      String name = colon < 0 ? h : h.substring(0, colon).trim();
      String value = colon < 0 ? "" : h.substring(colon + 1).trim();
      if (name.equalsIgnoreCase("transfer-encoding") && value.equalsIgnoreCase("chunked")) {
        chunked = true;
      } else if (name.equalsIgnoreCase("content-length")) {
        remaining = Long.parseLong(value);
      }
    }
    if (chunked) {
      remaining = 0;
    } else if (remaining == 0) {
      done = true;
    }
    return Integer.parseInt(status.substring(9, 12));
  }

  /** Reads body bytes as they arrive into {@code dst}; -1 at the end of the body. */
  int read(byte[] dst) throws IOException {
    if (done) {
      return -1;
    }
    if (chunked && remaining == 0) {
      String size = line();
      if (size.isEmpty()) {
        size = line(); // the CRLF after the previous chunk's data
      }
      int semi = size.indexOf(';');
      remaining = Long.parseLong((semi < 0 ? size : size.substring(0, semi)).trim(), 16);
      if (remaining == 0) {
        for (String t = line(); !t.isEmpty(); t = line()) {
          // trailers: none expected, skipped
        }
        done = true;
        return -1;
      }
    }
    if (pos == lim && !fill()) {
      if (remaining < 0) {
        done = true;
        return -1;
      }
      throw new IOException("connection closed mid-body");
    }
    int n = lim - pos;
    if (remaining >= 0) {
      n = (int) Math.min(n, remaining);
      remaining -= n;
      if (!chunked && remaining == 0) {
        done = true;
      }
    }
    n = Math.min(n, dst.length);
    System.arraycopy(buf, pos, dst, 0, n);
    pos += n;
    return n;
  }

  /** Reads and discards the rest of the body. */
  void drain() throws IOException {
    byte[] sink = new byte[8192];
    while (read(sink) >= 0) {
      // discard
    }
  }

  private boolean fill() throws IOException {
    int r = in.read(buf);
    if (r <= 0) {
      return false;
    }
    pos = 0;
    lim = r;
    return true;
  }

  private String line() throws IOException {
    StringBuilder sb = new StringBuilder();
    while (true) {
      if (pos == lim && !fill()) {
        throw new IOException("connection closed");
      }
      byte c = buf[pos++];
      if (c == '\n') {
        int len = sb.length();
        return len > 0 && sb.charAt(len - 1) == '\r' ? sb.substring(0, len - 1) : sb.toString();
      }
      sb.append((char) (c & 0xff));
    }
  }

  /** Where {@code marker} first occurs in {@code b[from..len)}, or -1. */
  static int indexOf(byte[] b, int from, int len, byte[] marker) {
    outer:
    for (int i = Math.max(0, from); i + marker.length <= len; i++) {
      for (int j = 0; j < marker.length; j++) {
        if (b[i + j] != marker[j]) {
          continue outer;
        }
      }
      return i;
    }
    return -1;
  }
}

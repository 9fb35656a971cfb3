package io.llmgateway.server.bench;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Locale;

/**
 * One-connection latency for bench/run.sh, from raw samples: sends requests one after another on
 * one keep-alive connection for a fixed time and prints percentiles of the measured round trips.
 *
 * <p>Why not wrk's percentiles: at one connection wrk "corrects" for coordinated omission by
 * adding, for every slow response, synthetic samples spaced by the mean interval, so a handful of
 * 20 ms scheduling stalls on this VM become hundreds of samples and dominate its p99 (its
 * 1-connection figures even imply more latency than the run's wall time). Why not an HTTP client
 * library: the JDK client hands every exchange across threads, which on two busy cores adds more
 * than the gateway does. This is a plain blocking socket writing a fixed request and reading the
 * Content-Length answer, so it measures the server, not the client.
 *
 * <p>Usage: {@code LatencyProbe <url> <seconds> <json-body> [bearer-key,bearer-key,...]}; keys, if
 * given, are used in turn. The first fifth of the time is warm-up and not counted.
 */
public final class LatencyProbe {
  private LatencyProbe() {}

  public static void main(String[] args) throws Exception {
    URI url = URI.create(args[0]);
    long seconds = Long.parseLong(args[1]);
    byte[] body = args[2].getBytes(StandardCharsets.UTF_8);
    String[] keys = args.length > 3 && !args[3].isEmpty() ? args[3].split(",") : new String[] {""};
    byte[][] requests = new byte[keys.length][];
    for (int i = 0; i < keys.length; i++) {
      String head =
          "POST "
              + url.getRawPath()
              + " HTTP/1.1\r\nHost: "
              + url.getHost()
              + ":"
              + url.getPort()
              + "\r\nContent-Type: application/json\r\nContent-Length: "
              + body.length
              + (keys[i].isEmpty() ? "" : "\r\nAuthorization: Bearer " + keys[i])
              + "\r\n\r\n";
      ByteArrayOutputStream b = new ByteArrayOutputStream();
      b.write(head.getBytes(StandardCharsets.US_ASCII));
      b.write(body);
      requests[i] = b.toByteArray();
    }
    long warmUntil = System.nanoTime() + seconds * 200_000_000L;
    long end = System.nanoTime() + seconds * 1_000_000_000L;
    long[] samples = new long[1 << 21];
    int n = 0;
    int errors = 0;
    try (Socket socket = new Socket(url.getHost(), url.getPort())) {
      socket.setTcpNoDelay(true);
      OutputStream out = socket.getOutputStream();
      InputStream in = socket.getInputStream();
      byte[] buf = new byte[64 * 1024];
      for (long i = 0; System.nanoTime() < end; i++) {
        long t0 = System.nanoTime();
        out.write(requests[(int) (i % requests.length)]);
        out.flush();
        int status = readResponse(in, buf);
        long took = System.nanoTime() - t0;
        if (status != 200) {
          errors++;
        }
        if (t0 > warmUntil && n < samples.length) {
          samples[n++] = took;
        }
      }
    }
    long[] s = Arrays.copyOf(samples, n);
    Arrays.sort(s);
    System.out.printf(
        Locale.ROOT,
        "requests %d (non-200: %d)  p50 %s  p90 %s  p99 %s  p99.9 %s  max %s%n",
        n,
        errors,
        ms(s, 0.50),
        ms(s, 0.90),
        ms(s, 0.99),
        ms(s, 0.999),
        ms(s, 1.0));
  }

  /** Reads one response with a Content-Length body; returns its status. */
  private static int readResponse(InputStream in, byte[] buf) throws IOException {
    int len = 0;
    int headerEnd = -1;
    while (headerEnd < 0) {
      int r = in.read(buf, len, buf.length - len);
      if (r < 0) {
        throw new IOException("connection closed");
      }
      len += r;
      for (int i = Math.max(0, len - r - 3); i + 3 < len; i++) {
        if (buf[i] == '\r' && buf[i + 1] == '\n' && buf[i + 2] == '\r' && buf[i + 3] == '\n') {
          headerEnd = i + 4;
          break;
        }
      }
    }
    String head = new String(buf, 0, headerEnd, StandardCharsets.ISO_8859_1);
    int status = Integer.parseInt(head.substring(9, 12));
    int contentLength = 0;
    for (String line : head.split("\r\n")) {
      if (line.regionMatches(true, 0, "content-length:", 0, 15)) {
        contentLength = Integer.parseInt(line.substring(15).trim());
      }
    }
    int remaining = contentLength - (len - headerEnd);
    while (remaining > 0) {
      int r = in.read(buf, 0, Math.min(buf.length, remaining));
      if (r < 0) {
        throw new IOException("connection closed");
      }
      remaining -= r;
    }
    return status;
  }

  static String ms(long[] sorted, double q) {
    if (sorted.length == 0) {
      return "-";
    }
    int i = Math.min(sorted.length - 1, (int) Math.ceil(q * sorted.length) - 1);
    return String.format(Locale.ROOT, "%.3f ms", sorted[Math.max(0, i)] / 1e6);
  }
}

package io.llmgateway.server.bench;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Locale;

/**
 * Time to first token at one connection, for bench/run.sh: sends streaming requests one after
 * another on one keep-alive socket for a fixed time and prints percentiles of the time from writing
 * the request to reading the first bytes of the first text token, and of the whole stream.
 *
 * <p>{@code sse}: the gateway's OpenAI stream; the first token is the first {@code "content":"x}
 * with a non-empty text (a leading role-only or empty delta does not count). {@code eventstream}:
 * Bedrock's ConverseStream called directly (the floor); the first token is the first {@code
 * contentBlockDelta} frame. Same socket code for both, so the difference is the gateway's.
 *
 * <p>Usage: {@code StreamProbe <sse|eventstream> <url> <seconds> <json-body> [key,key,...]}; the
 * first fifth of the time is warm-up and not counted.
 */
public final class StreamProbe {
  private static final byte[] SSE_TOKEN = "\"content\":\"".getBytes(StandardCharsets.US_ASCII);
  private static final byte[] FRAME_TOKEN = "contentBlockDelta".getBytes(StandardCharsets.US_ASCII);

  private StreamProbe() {}

  public static void main(String[] args) throws Exception {
    boolean sse = "sse".equals(args[0]);
    URI url = URI.create(args[1]);
    long seconds = Long.parseLong(args[2]);
    String[] keys = args.length > 4 && !args[4].isEmpty() ? args[4].split(",") : new String[] {""};
    byte[][] requests = new byte[keys.length][];
    for (int i = 0; i < keys.length; i++) {
      requests[i] = RawHttp.post(url, args[3], keys[i]);
    }
    long warmUntil = System.nanoTime() + seconds * 200_000_000L;
    long end = System.nanoTime() + seconds * 1_000_000_000L;
    long[] first = new long[1 << 20];
    long[] whole = new long[1 << 20];
    int n = 0;
    int errors = 0;
    int noToken = 0;
    int all = 0;
    byte[] body = new byte[64 * 1024];
    byte[] chunk = new byte[16 * 1024];
    try (Socket socket = new Socket(url.getHost(), url.getPort())) {
      socket.setTcpNoDelay(true);
      socket.setSoTimeout(30_000);
      OutputStream out = socket.getOutputStream();
      InputStream in = socket.getInputStream();
      RawHttp http = new RawHttp(in);
      for (long i = 0; System.nanoTime() < end; i++) {
        long t0 = System.nanoTime();
        out.write(requests[(int) (i % requests.length)]);
        out.flush();
        int status = http.head();
        long tokenAt = -1;
        int len = 0;
        for (int r = http.read(chunk); r >= 0; r = http.read(chunk)) {
          if (tokenAt >= 0) {
            continue;
          }
          int from = len - SSE_TOKEN.length - 1;
          r = Math.min(r, body.length - len);
          System.arraycopy(chunk, 0, body, len, r);
          len += r;
          if (found(sse, body, from, len)) {
            tokenAt = System.nanoTime();
          }
        }
        long t1 = System.nanoTime();
        all++;
        if (status != 200) {
          errors++;
          continue;
        }
        if (tokenAt < 0) {
          noToken++;
          continue;
        }
        if (t0 > warmUntil && n < first.length) {
          first[n] = tokenAt - t0;
          whole[n++] = t1 - t0;
        }
      }
    }
    long[] f = Arrays.copyOf(first, n);
    long[] w = Arrays.copyOf(whole, n);
    Arrays.sort(f);
    Arrays.sort(w);
    System.out.printf(
        Locale.ROOT,
        "streams %d (all %d, non-200: %d, no token: %d)  first token p50 %s  p90 %s  p99 %s  max %s"
            + "  |  whole stream p50 %s  p99 %s%n",
        n,
        all,
        errors,
        noToken,
        LatencyProbe.ms(f, 0.50),
        LatencyProbe.ms(f, 0.90),
        LatencyProbe.ms(f, 0.99),
        LatencyProbe.ms(f, 1.0),
        LatencyProbe.ms(w, 0.50),
        LatencyProbe.ms(w, 0.99));
  }

  private static boolean found(boolean sse, byte[] body, int from, int len) {
    if (!sse) {
      return RawHttp.indexOf(body, from, len, FRAME_TOKEN) >= 0;
    }
    for (int at = RawHttp.indexOf(body, from, len, SSE_TOKEN);
        at >= 0;
        at = RawHttp.indexOf(body, at + 1, len, SSE_TOKEN)) {
      int next = at + SSE_TOKEN.length;
      if (next < len && body[next] != '"') {
        return true;
      }
    }
    return false;
  }
}

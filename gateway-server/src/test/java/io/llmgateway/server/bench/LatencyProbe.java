package io.llmgateway.server.bench;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Arrays;
import java.util.Locale;

/**
 * One-connection latency for bench/run.sh, from raw samples: sends requests one after another for
 * a fixed time and prints percentiles of the measured round trips. wrk's own percentiles are not
 * usable at one connection: wrk "corrects" for coordinated omission by adding, for every slow
 * response, synthetic samples spaced by the mean interval, so a handful of 20 ms scheduling stalls
 * on this VM become hundreds of samples and dominate its p99 (its 1-connection figures even imply
 * more latency than the run's wall time). A sequential client with no correction shows what each
 * request actually took.
 *
 * <p>Usage: {@code LatencyProbe <url> <seconds> <json-body> [bearer-key,bearer-key,...]}; keys, if
 * given, are used in turn. The first fifth of the time is warm-up and not counted.
 */
public final class LatencyProbe {
  private LatencyProbe() {}

  public static void main(String[] args) throws Exception {
    URI url = URI.create(args[0]);
    long seconds = Long.parseLong(args[1]);
    String body = args[2];
    String[] keys = args.length > 3 ? args[3].split(",") : new String[0];
    HttpClient client =
        HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5))
            .build();
    long warmUntil = System.nanoTime() + seconds * 200_000_000L;
    long end = System.nanoTime() + seconds * 1_000_000_000L;
    long[] samples = new long[1 << 20];
    int n = 0;
    int errors = 0;
    for (long i = 0; System.nanoTime() < end; i++) {
      HttpRequest.Builder b =
          HttpRequest.newBuilder(url)
              .header("Content-Type", "application/json")
              .POST(HttpRequest.BodyPublishers.ofString(body));
      if (keys.length > 0) {
        b.header("Authorization", "Bearer " + keys[(int) (i % keys.length)]);
      }
      HttpRequest request = b.build();
      long t0 = System.nanoTime();
      HttpResponse<byte[]> r = client.send(request, HttpResponse.BodyHandlers.ofByteArray());
      long took = System.nanoTime() - t0;
      if (r.statusCode() != 200) {
        errors++;
      }
      if (t0 > warmUntil && n < samples.length) {
        samples[n++] = took;
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

  private static String ms(long[] sorted, double q) {
    if (sorted.length == 0) {
      return "-";
    }
    int i = Math.min(sorted.length - 1, (int) Math.ceil(q * sorted.length) - 1);
    return String.format(Locale.ROOT, "%.3f ms", sorted[Math.max(0, i)] / 1e6);
  }
}

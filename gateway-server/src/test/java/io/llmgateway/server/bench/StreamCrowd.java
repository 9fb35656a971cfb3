package io.llmgateway.server.bench;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;

/**
 * Many concurrent open SSE streams against one gateway, for bench/run.sh: opens {@code n} streaming
 * chat requests (one socket and one virtual thread each), spread evenly over {@code ramp-seconds},
 * reads each to its end and counts the streams that completed (200 and {@code data: [DONE]}) and
 * those that did not, by status or failure. Prints a summary; the script samples the gateway's heap
 * and RSS meanwhile.
 *
 * <p>Usage: {@code StreamCrowd <url> <n> <ramp-seconds> <json-body> <key,key,...>}.
 */
public final class StreamCrowd {
  private static final byte[] DONE = "data: [DONE]".getBytes(StandardCharsets.US_ASCII);

  private StreamCrowd() {}

  public static void main(String[] args) throws Exception {
    URI url = URI.create(args[0]);
    int n = Integer.parseInt(args[1]);
    double ramp = Double.parseDouble(args[2]);
    String[] keys = args[4].split(",");
    AtomicInteger open = new AtomicInteger();
    AtomicInteger peakOpen = new AtomicInteger();
    LongAdder completed = new LongAdder();
    Map<String, LongAdder> failures = new ConcurrentHashMap<>();
    CountDownLatch finished = new CountDownLatch(n);
    long start = System.nanoTime();
    for (int i = 0; i < n; i++) {
      long at = start + (long) (ramp * 1e9 * i / n);
      byte[] request = RawHttp.post(url, args[3], keys[i % keys.length]);
      Thread.ofVirtual()
          .start(
              () -> {
                try {
                  long wait = at - System.nanoTime();
                  if (wait > 0) {
                    Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
                  }
                  String outcome = oneStream(url, request, open, peakOpen);
                  if (outcome == null) {
                    completed.increment();
                  } else {
                    failures.computeIfAbsent(outcome, k -> new LongAdder()).increment();
                  }
                } catch (InterruptedException e) {
                  Thread.currentThread().interrupt();
                } finally {
                  finished.countDown();
                }
              });
    }
    finished.await();
    double took = (System.nanoTime() - start) / 1e9;
    Map<String, Long> sorted = new TreeMap<>();
    failures.forEach((k, v) -> sorted.put(k, v.sum()));
    long failed = sorted.values().stream().mapToLong(Long::longValue).sum();
    System.out.printf(
        java.util.Locale.ROOT,
        "streams %d completed %d errored %d peak-open %d all-done-in %.1f s failures %s%n",
        n,
        completed.sum(),
        failed,
        peakOpen.get(),
        took,
        sorted.isEmpty() ? "none" : sorted);
  }

  /** One stream read to its end; null if it completed, else what went wrong. */
  private static String oneStream(
      URI url, byte[] request, AtomicInteger open, AtomicInteger peakOpen) {
    try (Socket socket = new Socket(url.getHost(), url.getPort())) {
      socket.setSoTimeout(120_000);
      int now = open.incrementAndGet();
      peakOpen.accumulateAndGet(now, Math::max);
      try {
        OutputStream out = socket.getOutputStream();
        InputStream in = socket.getInputStream();
        out.write(request);
        out.flush();
        RawHttp http = new RawHttp(in);
        int status = http.head();
        if (status != 200) {
          http.drain();
          return "status " + status;
        }
        byte[] chunk = new byte[8192];
        byte[] tail = new byte[chunk.length + DONE.length];
        int tailLen = 0;
        boolean done = false;
        for (int r = http.read(chunk); r >= 0; r = http.read(chunk)) {
          // Keep the last few bytes of the previous read so a marker split across reads is found.
          int keep = Math.min(tailLen, DONE.length);
          System.arraycopy(tail, tailLen - keep, tail, 0, keep);
          System.arraycopy(chunk, 0, tail, keep, r);
          tailLen = keep + r;
          done |= RawHttp.indexOf(tail, 0, tailLen, DONE) >= 0;
        }
        return done ? null : "stream ended without [DONE]";
      } finally {
        open.decrementAndGet();
      }
    } catch (IOException e) {
      return e.getClass().getSimpleName();
    }
  }
}

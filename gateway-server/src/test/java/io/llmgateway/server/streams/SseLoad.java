package io.llmgateway.server.streams;

import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A load client in its own process (so the gateway's process keeps its open files for the gateway):
 * {@code java SseLoad.java <baseUrl> <key,key,...> <streams> <rampMillis>} opens that many streamed
 * chat requests over the ramp, one raw socket each, reads every answer to its end and prints how
 * many completed and why the others did not. No dependencies beyond the JDK.
 */
public final class SseLoad {
  private SseLoad() {}

  public static void main(String[] args) throws Exception {
    URI base = URI.create(args[0]);
    String[] keys = args[1].split(",");
    int n = Integer.parseInt(args[2]);
    long rampNanos = Long.parseLong(args[3]) * 1_000_000L;
    AtomicInteger ok = new AtomicInteger();
    Map<String, AtomicInteger> failures = new ConcurrentHashMap<>();
    long start = System.nanoTime();
    try (var pool = Executors.newVirtualThreadPerTaskExecutor()) {
      for (int i = 0; i < n; i++) {
        long due = start + rampNanos * i / n;
        while (System.nanoTime() < due) {
          Thread.sleep(1);
        }
        int id = i;
        String key = keys[i % keys.length];
        pool.submit(
            () -> {
              String outcome;
              try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress(base.getHost(), base.getPort()), 10_000);
                byte[] body =
                    ("{\"model\":\"model-cheap\",\"stream\":true,\"messages\":[{\"role\":\"user\","
                            + "\"content\":\"stream "
                            + id
                            + "\"}]}")
                        .getBytes(StandardCharsets.UTF_8);
                s.getOutputStream()
                    .write(
                        ("POST /v1/chat/completions HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer "
                                + key
                                + "\r\nContent-Type: application/json\r\nContent-Length: "
                                + body.length
                                + "\r\nConnection: close\r\n\r\n")
                            .getBytes(StandardCharsets.US_ASCII));
                s.getOutputStream().write(body);
                InputStream in = s.getInputStream();
                String all = new String(in.readAllBytes(), StandardCharsets.UTF_8);
                if (all.startsWith("HTTP/1.1 200") && all.contains("data: [DONE]")) {
                  outcome = null;
                } else {
                  // The status line and the error's code (which limit or dependency refused).
                  var code = java.util.regex.Pattern.compile("\"code\":\"([a-z_]+)\"").matcher(all);
                  outcome =
                      all.lines().findFirst().orElse("(empty)")
                          + (code.find() ? " " + code.group(1) : "");
                }
              } catch (Exception e) {
                outcome = e.getClass().getSimpleName() + ": " + e.getMessage();
              }
              if (outcome == null) {
                ok.incrementAndGet();
              } else {
                failures.computeIfAbsent(outcome, k -> new AtomicInteger()).incrementAndGet();
              }
              return null;
            });
      }
    }
    System.out.printf(
        "SseLoad: %d streams, %d completed, %d ms, failures %s%n",
        n, ok.get(), (System.nanoTime() - start) / 1_000_000, failures);
  }
}

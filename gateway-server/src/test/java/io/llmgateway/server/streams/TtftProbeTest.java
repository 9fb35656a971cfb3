package io.llmgateway.server.streams;

import io.llmgateway.bedrock.Providers;
import io.llmgateway.core.budget.BudgetLimit;
import io.llmgateway.core.catalog.Deployment;
import io.llmgateway.core.chat.ChatRequest;
import io.llmgateway.core.money.Money;
import io.llmgateway.core.provider.ChatStream;
import io.llmgateway.core.provider.ModelProvider;
import io.llmgateway.core.provider.ProviderRequest;
import io.llmgateway.server.support.GatewayStack;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * A measurement, not a check (run with {@code -Dttft.probe=true}): time to the first content chunk
 * of a streamed answer at one connection, through the gateway (one keep-alive connection, raw
 * socket) and from the Bedrock adapter alone against the same stub (what the gateway cannot avoid:
 * signing, the upstream exchange, the first event). Prints p50 and p99 of each and the difference.
 */
@EnabledIfSystemProperty(named = "ttft.probe", matches = "true")
class TtftProbeTest {
  static final int N = Integer.getInteger("ttft.n", 3_000);

  @Test
  void measure() throws Exception {
    try (GatewayStack stack = GatewayStack.start()) {
      Money lots = Money.ofUsd("100000");
      String key =
          stack
              .userKey("drafting", List.of(BudgetLimit.daily(lots), BudgetLimit.monthly(lots)))
              .plaintext();
      ModelProvider direct = Providers.bedrock(stack.stub.settings());
      Deployment deployment =
          stack.stores().catalog().models().stream()
              .filter(m -> m.name().equals("model-cheap"))
              .flatMap(m -> m.deployments().stream())
              .filter(d -> d.provider().equals("bedrock"))
              .findFirst()
              .orElseThrow();
      for (int round = 0; round < 3; round++) { // the first round warms up
        long[] viaGateway = new long[N];
        long[] viaAdapter = new long[N];
        URI u = URI.create(stack.server.baseUrl());
        try (Socket s = new Socket(u.getHost(), u.getPort())) {
          s.setTcpNoDelay(true);
          OutputStream out = s.getOutputStream();
          InputStream in = s.getInputStream();
          byte[] body =
              ("{\"model\":\"model-cheap\",\"stream\":true,\"max_tokens\":20,"
                      + "\"messages\":[{\"role\":\"user\",\"content\":\"hello there\"}]}")
                  .getBytes(StandardCharsets.UTF_8);
          byte[] head =
              ("POST /v1/chat/completions HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer "
                      + key
                      + "\r\nContent-Type: application/json\r\nContent-Length: "
                      + body.length
                      + "\r\n\r\n")
                  .getBytes(StandardCharsets.US_ASCII);
          byte[] buf = new byte[65536];
          for (int i = 0; i < N; i++) {
            long t0 = System.nanoTime();
            out.write(head);
            out.write(body);
            out.flush();
            StringBuilder got = new StringBuilder();
            long first = 0;
            while (true) {
              int n = in.read(buf);
              if (n < 0) {
                throw new IllegalStateException("closed: " + got);
              }
              got.append(new String(buf, 0, n, StandardCharsets.ISO_8859_1));
              if (first == 0 && got.indexOf("\"content\":\"echo") >= 0) {
                first = System.nanoTime() - t0;
              }
              if (got.indexOf("\r\n0\r\n\r\n") >= 0) {
                break;
              }
            }
            viaGateway[i] = first;
            // Interleaved, so both see the same (shared, noisy) machine.
            var req =
                new ProviderRequest(
                    "probe-" + i, deployment, ChatRequest.of("model-cheap", "hello there"), 20);
            long t1 = System.nanoTime();
            try (ChatStream st = direct.stream(req)) {
              st.next();
              viaAdapter[i] = System.nanoTime() - t1;
              while (st.next().isPresent()) {}
            }
          }
        }
        Arrays.sort(viaGateway);
        Arrays.sort(viaAdapter);
        System.out.printf(
            "TTFT round %d (n=%d): gateway p50 %.3f ms p99 %.3f ms; adapter alone p50 %.3f ms"
                + " p99 %.3f ms; added p50 %.3f ms%n",
            round,
            N,
            viaGateway[N / 2] / 1e6,
            viaGateway[N * 99 / 100] / 1e6,
            viaAdapter[N / 2] / 1e6,
            viaAdapter[N * 99 / 100] / 1e6,
            (viaGateway[N / 2] - viaAdapter[N / 2]) / 1e6);
      }
      ((AutoCloseable) direct).close();
    }
  }
}

package io.llmgateway.server.alerts;

import io.llmgateway.bedrock.Providers;
import io.llmgateway.postgres.PostgresAdapters;
import io.llmgateway.server.GatewayServer;
import io.llmgateway.server.ServerConfig;
import io.llmgateway.server.support.GatewayStack;
import java.net.URI;
import java.time.Duration;
import java.util.List;

/** Gateway instances with alerts on one stack's database, and fast test settings. */
final class AlertTestSupport {
  static final String SECRET = "whsec-test-0123456789";

  private AlertTestSupport() {}

  /** Thresholds 0.25/0.5/0.75, the receiver's webhook and Slack paths, bounded quick retries. */
  static AlertSettings settings(Receiver r, Duration retryFor, int maxAttempts) {
    return quick(retryFor, maxAttempts)
        .webhookUrl(r.url("/hook"))
        .webhookSecret(SECRET)
        .slackUrl(r.url("/slack"))
        .build();
  }

  /** Channels off: the outbox fills, nobody delivers (an instance that dies before delivering). */
  static AlertSettings noChannel(Receiver r) {
    return quick(Duration.ofSeconds(5), 5).build();
  }

  /** Thresholds 0.25/0.5/0.75 and bounded quick retries, no channel yet. */
  private static AlertSettings.Builder quick(Duration retryFor, int maxAttempts) {
    return AlertSettings.builder()
        .thresholdsBp(List.of(2500, 5000, 7500))
        .retryFor(retryFor)
        .maxAttempts(maxAttempts)
        .backoff(Duration.ofMillis(50), Duration.ofMillis(200))
        .poll(Duration.ofMillis(50))
        .claimLease(Duration.ofSeconds(3))
        .httpTimeout(Duration.ofSeconds(1));
  }

  /** Another instance on the stack's database with its own pool, alerts installed. */
  static GatewayServer instance(
      GatewayStack stack, AlertSettings settings, List<AutoCloseable> close) {
    PostgresAdapters own = PostgresAdapters.start(stack.adapters.config());
    close.add(own);
    GatewayServer.Builder b =
        GatewayServer.builder(
                ServerConfig.forTests().toBuilder().masterKey(GatewayStack.MASTER_KEY).build())
            .stores(own.stores())
            .refusalLog(own.refusalLog())
            .provider(Providers.bedrock(stack.stub.settings()))
            .clock(stack.clock);
    Alerts.install(b, own.alerts(), settings);
    GatewayServer s = b.start();
    close.add(s);
    return s;
  }

  static URI unused() {
    return URI.create("http://127.0.0.1:9/");
  }
}

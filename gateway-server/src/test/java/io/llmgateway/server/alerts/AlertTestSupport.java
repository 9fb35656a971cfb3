package io.llmgateway.server.alerts;

import io.llmgateway.bedrock.Providers;
import io.llmgateway.postgres.PostgresAdapters;
import io.llmgateway.server.GatewayServer;
import io.llmgateway.server.ServerConfig;
import io.llmgateway.server.support.GatewayStack;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/** Gateway instances with alerts on one stack's database, and fast test settings. */
final class AlertTestSupport {
  static final String SECRET = "whsec-test-0123456789";

  private AlertTestSupport() {}

  /** Thresholds 0.25/0.5/0.75, the receiver's webhook and Slack paths, bounded quick retries. */
  static AlertSettings settings(Receiver r, Duration retryFor, int maxAttempts) {
    return new AlertSettings(
        Optional.of(List.of(2500, 5000, 7500)),
        Optional.of(r.url("/hook")),
        Optional.of(SECRET),
        Optional.of(r.url("/slack")),
        retryFor,
        maxAttempts,
        Duration.ofMillis(50),
        Duration.ofMillis(200),
        Duration.ofMillis(50),
        Duration.ofSeconds(3),
        Duration.ofSeconds(1));
  }

  /** Channels off: the outbox fills, nobody delivers (an instance that dies before delivering). */
  static AlertSettings noChannel(Receiver r) {
    AlertSettings s = settings(r, Duration.ofSeconds(5), 5);
    return new AlertSettings(
        s.thresholdsBp(),
        Optional.empty(),
        Optional.empty(),
        Optional.empty(),
        s.retryFor(),
        s.maxAttempts(),
        s.firstBackoff(),
        s.maxBackoff(),
        s.poll(),
        s.claimLease(),
        s.httpTimeout());
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

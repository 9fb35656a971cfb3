package io.llmgateway.bedrock;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.llmgateway.bedrock.stub.StubResponse;
import io.llmgateway.core.error.Billing;
import io.llmgateway.core.error.ProviderUnavailableException;
import io.llmgateway.core.provider.ChatStream;
import io.llmgateway.core.provider.ModelProvider;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * Whether a failed call may have been billed, as the adapter marks it for the gateway's charging
 * and failover: sent and then cut means the model may have run; never connected means it did not.
 */
class BedrockBillingMarksTest extends StubTestBase {

  @Test
  void aBlockingAnswerCutHalfwayMayHaveBeenBilled() {
    stub.enqueue(StubResponse.echoCutHalfway());

    Throwable t = catchThrowable(() -> bedrock.complete(Fixtures.ask(deployment(), "hi there")));

    assertThat(billing(t)).isEqualTo(Billing.MAYBE_BILLED);
    assertThat(stub.billed()).as("the stub billed the whole answer").hasSize(1);
  }

  @Test
  void aStreamCutHalfwayMayHaveBeenBilled() {
    stub.enqueue(StubResponse.echoCutHalfway());

    Throwable t =
        catchThrowable(
            () -> {
              try (ChatStream s =
                  bedrock.stream(Fixtures.ask(deployment(), "one two three four"))) {
                drain(s);
              }
            });

    assertThat(billing(t)).isEqualTo(Billing.MAYBE_BILLED);
  }

  @Test
  void aFirstByteTimeoutMayHaveBeenBilled() throws Exception {
    ModelProvider impatient =
        Providers.bedrock(
            stub.settings().toBuilder().firstByteTimeout(Duration.ofMillis(300)).build());
    try {
      stub.enqueue(StubResponse.delayed(Duration.ofSeconds(2), StubResponse.text("x", 1, 1)));
      Throwable t = catchThrowable(() -> impatient.complete(Fixtures.ask(deployment(), "hi")));
      assertThat(billing(t)).isEqualTo(Billing.MAYBE_BILLED);
    } finally {
      ((AutoCloseable) impatient).close();
    }
  }

  @Test
  void aConnectionResetAfterHalfA200BodyMayHaveBeenBilled() throws Exception {
    try (ServerSocket server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      Thread.ofVirtual().start(() -> answerHalfThenReset(server));
      ModelProvider cut =
          Providers.bedrock(
              stub.settings().toBuilder()
                  .endpoint(URI.create("http://127.0.0.1:" + server.getLocalPort()))
                  .build());
      try {
        Throwable t = catchThrowable(() -> cut.complete(Fixtures.ask(deployment(), "hi")));
        assertThat(billing(t)).isEqualTo(Billing.MAYBE_BILLED);
        assertThat(((ProviderUnavailableException) t).retryable())
            .as("retryable as far as availability goes; the billing mark stops the failover")
            .isTrue();
      } finally {
        ((AutoCloseable) cut).close();
      }
    }
  }

  @Test
  void aRefusedConnectionWasNotBilled() throws Exception {
    int closedPort;
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      closedPort = socket.getLocalPort();
    }
    ModelProvider nowhere =
        Providers.bedrock(
            stub.settings().toBuilder()
                .endpoint(URI.create("http://127.0.0.1:" + closedPort))
                .build());
    try {
      assertThat(billing(catchThrowable(() -> nowhere.complete(Fixtures.ask(deployment(), "hi")))))
          .isEqualTo(Billing.NOT_BILLED);
      assertThat(billing(catchThrowable(() -> nowhere.stream(Fixtures.ask(deployment(), "hi")))))
          .isEqualTo(Billing.NOT_BILLED);
    } finally {
      ((AutoCloseable) nowhere).close();
    }
  }

  @Test
  void throttlingAnsweredBeforeAnyBodyWasNotBilled() {
    stub.enqueue(StubResponse.error(429, "ThrottlingException", "slow down"));
    Throwable t = catchThrowable(() -> bedrock.complete(Fixtures.ask(deployment(), "hi")));
    assertThat(billing(t)).isEqualTo(Billing.NOT_BILLED);
  }

  @Test
  void saysItsLongestCallIsItsCallTimeout() {
    assertThat(bedrock.maxCallDuration())
        .isEqualTo(Optional.of(stub.settings().callTimeout().plusSeconds(1)));
  }

  /** Reads one request, answers a 200 with half of its declared body, then resets (RST). */
  private static void answerHalfThenReset(ServerSocket server) {
    try (Socket s = server.accept()) {
      InputStream in = s.getInputStream();
      byte[] buf = new byte[65_536];
      in.read(buf); // the request (small): enough to know it went out
      String body =
          "{\"output\":{\"message\":{\"role\":\"assistant\",\"content\":[{\"text\":\"hi\"}]}}";
      OutputStream out = s.getOutputStream();
      out.write(
          ("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: "
                  + body.length() * 2
                  + "\r\n\r\n"
                  + body)
              .getBytes(StandardCharsets.US_ASCII));
      out.flush();
      s.setSoLinger(true, 0); // close with RST
    } catch (Exception e) {
      // the test sees what the client saw
    }
  }

  private static Billing billing(Throwable t) {
    assertThat(t).isInstanceOf(ProviderUnavailableException.class);
    return ((ProviderUnavailableException) t).billing();
  }
}

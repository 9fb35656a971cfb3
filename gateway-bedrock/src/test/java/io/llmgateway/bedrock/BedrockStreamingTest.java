package io.llmgateway.bedrock;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.llmgateway.bedrock.stub.BedrockStub;
import io.llmgateway.bedrock.stub.EventStreamEncoder;
import io.llmgateway.bedrock.stub.StubResponse;
import io.llmgateway.core.chat.ChatChunk;
import io.llmgateway.core.chat.FinishReason;
import io.llmgateway.core.chat.TokenUsage;
import io.llmgateway.core.error.ProviderRejectedException;
import io.llmgateway.core.error.ProviderUnavailableException;
import io.llmgateway.core.error.ProviderUnavailableException.Kind;
import io.llmgateway.core.provider.ChatStream;
import io.llmgateway.core.provider.ModelProvider;
import java.net.ServerSocket;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** ConverseStream through the stub: chunks, in-stream errors, broken streams, timeouts, cancel. */
class BedrockStreamingTest extends StubTestBase {

  @Test
  void emitsTextDeltasAsTheyArriveThenFinishThenUsage() {
    stub.enqueue(StubResponse.stream(List.of("Hel", "lo, ", "world"), 12, 7));

    try (ChatStream s = bedrock.stream(Fixtures.ask(deployment(), "hi"))) {
      assertThat(drain(s))
          .containsExactly(
              new ChatChunk.TextDelta("Hel"),
              new ChatChunk.TextDelta("lo, "),
              new ChatChunk.TextDelta("world"),
              new ChatChunk.Finish(FinishReason.STOP),
              new ChatChunk.Usage(TokenUsage.reported(12, 7)));
      assertThat(s.usageSoFar()).contains(TokenUsage.reported(12, 7));
    }
  }

  @Test
  void emitsToolCallDeltasWithIdAndNameFirstNumberedByToolCall() {
    stub.enqueue(StubResponse.toolUse("tooluse_xyz", "get_weather", "{\"city\":\"Paris\"}", 12, 7));

    try (ChatStream s = bedrock.stream(Fixtures.ask(deployment(), "weather?"))) {
      List<ChatChunk> chunks = drain(s);
      assertThat(chunks.get(0))
          .isEqualTo(
              new ChatChunk.ToolCallDelta(
                  0, Optional.of("tooluse_xyz"), Optional.of("get_weather"), ""));
      StringBuilder args = new StringBuilder();
      chunks.stream()
          .skip(1)
          .filter(c -> c instanceof ChatChunk.ToolCallDelta)
          .map(c -> (ChatChunk.ToolCallDelta) c)
          .forEach(
              d -> {
                assertThat(d.index()).isZero();
                assertThat(d.id()).isEmpty();
                args.append(d.argumentsFragment());
              });
      assertThat(args.toString()).isEqualTo("{\"city\":\"Paris\"}");
      assertThat(chunks).contains(new ChatChunk.Finish(FinishReason.TOOL_CALLS));
    }
  }

  @Test
  void numbersToolCallsByARunningCounterNotByContentBlock() {
    stub.enqueue(
        StubResponse.frames(
            List.of(
                frame("messageStart", "{\"role\":\"assistant\"}"),
                frame(
                    "contentBlockDelta", "{\"contentBlockIndex\":0,\"delta\":{\"text\":\"Ok.\"}}"),
                frame("contentBlockStop", "{\"contentBlockIndex\":0}"),
                frame(
                    "contentBlockStart",
                    "{\"contentBlockIndex\":1,\"start\":{\"toolUse\":"
                        + "{\"toolUseId\":\"t1\",\"name\":\"a\"}}}"),
                frame("contentBlockStop", "{\"contentBlockIndex\":1}"),
                frame(
                    "contentBlockStart",
                    "{\"contentBlockIndex\":2,\"start\":{\"toolUse\":"
                        + "{\"toolUseId\":\"t2\",\"name\":\"b\"}}}"),
                frame(
                    "contentBlockDelta",
                    "{\"contentBlockIndex\":2,\"delta\":{\"toolUse\":{\"input\":\"{}\"}}}"),
                frame("contentBlockStop", "{\"contentBlockIndex\":2}"),
                frame("messageStop", "{\"stopReason\":\"tool_use\"}"),
                frame(
                    "metadata",
                    "{\"usage\":{\"inputTokens\":3,\"outputTokens\":4,\"totalTokens\":7},"
                        + "\"metrics\":{\"latencyMs\":1}}"))));

    try (ChatStream s = bedrock.stream(Fixtures.ask(deployment(), "two tools"))) {
      assertThat(drain(s))
          .containsExactly(
              new ChatChunk.TextDelta("Ok."),
              new ChatChunk.ToolCallDelta(0, Optional.of("t1"), Optional.of("a"), ""),
              new ChatChunk.ToolCallDelta(0, Optional.empty(), Optional.empty(), "{}"),
              new ChatChunk.ToolCallDelta(1, Optional.of("t2"), Optional.of("b"), ""),
              new ChatChunk.ToolCallDelta(1, Optional.empty(), Optional.empty(), "{}"),
              new ChatChunk.Finish(FinishReason.TOOL_CALLS),
              new ChatChunk.Usage(TokenUsage.reported(3, 4)));
    }
  }

  @ParameterizedTest(name = "{0} -> {1}")
  @CsvSource({
    "throttlingException, THROTTLED",
    "internalServerException, UNAVAILABLE",
    "serviceUnavailableException, UNAVAILABLE",
    "modelStreamErrorException, BAD_RESPONSE",
    "validationException, REJECTED"
  })
  void turnsAnInStreamExceptionIntoATypedErrorWithoutReplayingEvents(
      String exceptionType, String expected) {
    stub.enqueue(StubResponse.inStreamException(List.of("Hel", "lo"), exceptionType, "boom"));

    try (ChatStream s = bedrock.stream(Fixtures.ask(deployment(), "hi"))) {
      assertThat(s.next()).contains(new ChatChunk.TextDelta("Hel"));
      assertThat(s.next()).contains(new ChatChunk.TextDelta("lo"));
      Throwable t = catchThrowable(s::next);
      if (expected.equals("REJECTED")) {
        assertThat(t).isInstanceOf(ProviderRejectedException.class);
      } else {
        assertThat(t).isInstanceOf(ProviderUnavailableException.class);
        assertThat(((ProviderUnavailableException) t).kind()).isEqualTo(Kind.valueOf(expected));
      }
      assertThat(catchThrowable(s::next)).as("stays failed").isSameAs(t);
      assertThat(s.usageSoFar()).as("unknown: Bedrock reported none").isEmpty();
    }
    assertThat(stub.requestCount()).as("the SDK must not replay the stream").isEqualTo(1);
  }

  @Test
  void anExceptionFrameBeforeAnyChunkIsThrownFromStreamItself() {
    stub.enqueue(StubResponse.inStreamException(List.of(), "throttlingException", "slow down"));

    assertThatThrownBy(() -> bedrock.stream(Fixtures.ask(deployment(), "hi")))
        .isInstanceOfSatisfying(
            ProviderUnavailableException.class,
            e -> assertThat(e.kind()).isEqualTo(Kind.THROTTLED));
  }

  @Test
  void reportsAStreamThatEndsWithoutMessageStopAsBadResponseWithUsageUnknown() {
    stub.enqueue(StubResponse.truncatedStream(List.of("Twelve chars", " more text!!")));

    try (ChatStream s = bedrock.stream(Fixtures.ask(deployment(), "a prompt of some length"))) {
      assertThat(s.next()).isPresent();
      assertThat(s.next()).isPresent();
      assertThatThrownBy(s::next)
          .isInstanceOfSatisfying(
              ProviderUnavailableException.class,
              e -> assertThat(e.kind()).isEqualTo(Kind.BAD_RESPONSE))
          .hasMessageContaining("messageStop");
      assertThat(s.usageSoFar()).as("unknown: the core charges it by its own rule").isEmpty();
    }
  }

  @Test
  void reportsAStreamWithoutUsageMetadataAsBadResponse() {
    stub.enqueue(StubResponse.streamWithoutMetadata(List.of("hi")));

    try (ChatStream s = bedrock.stream(Fixtures.ask(deployment(), "hi"))) {
      assertThat(s.next()).contains(new ChatChunk.TextDelta("hi"));
      assertThat(s.next()).contains(new ChatChunk.Finish(FinishReason.STOP));
      assertThatThrownBy(s::next)
          .isInstanceOf(ProviderUnavailableException.class)
          .hasMessageContaining("usage");
    }
  }

  @Test
  void reportsACorruptedFrameAsBadResponse() {
    byte[] bad = frame("contentBlockDelta", "{\"contentBlockIndex\":0,\"delta\":{\"text\":\"x\"}}");
    bad[bad.length - 1] ^= 0x01;
    stub.enqueue(
        StubResponse.frames(List.of(frame("messageStart", "{\"role\":\"assistant\"}"), bad)));

    Throwable t =
        catchThrowable(
            () -> {
              try (ChatStream s = bedrock.stream(Fixtures.ask(deployment(), "hi"))) {
                drain(s);
              }
            });
    assertThat(t).isInstanceOf(ProviderUnavailableException.class);
    assertThat(((ProviderUnavailableException) t).kind()).isEqualTo(Kind.BAD_RESPONSE);
  }

  @Test
  void failsAStreamThatGoesIdleAndAbandonsTheUpstream() throws Exception {
    ModelProvider impatient =
        Providers.bedrock(
            stub.settings().toBuilder().streamIdleTimeout(Duration.ofMillis(300)).build());
    stub.enqueue(StubResponse.slowStream(List.of("a", "b", "c", "d"), Duration.ofSeconds(2), 1, 1));
    try (ChatStream s = impatient.stream(Fixtures.ask(deployment(), "hi"))) {
      assertThat(s.next()).contains(new ChatChunk.TextDelta("a"));
      // The next chunk is 2 s away and the call timeout is 30 s: only the idle timeout can fire.
      assertThatThrownBy(s::next)
          .isInstanceOfSatisfying(
              ProviderUnavailableException.class, e -> assertThat(e.kind()).isEqualTo(Kind.TIMEOUT))
          .hasMessageContaining("idle");
      assertThat(stub.awaitAbortedStream(Duration.ofSeconds(10))).isTrue();
    } finally {
      ((AutoCloseable) impatient).close();
    }
  }

  @Test
  void throwsAFirstByteTimeoutFromStreamItselfAndFromComplete() throws Exception {
    ModelProvider impatient =
        Providers.bedrock(
            stub.settings().toBuilder().firstByteTimeout(Duration.ofMillis(400)).build());
    try {
      stub.enqueue(
          StubResponse.delayed(Duration.ofSeconds(3), StubResponse.stream(List.of("x"), 1, 1)));
      assertThatThrownBy(() -> impatient.stream(Fixtures.ask(deployment(), "hi")))
          .isInstanceOfSatisfying(
              ProviderUnavailableException.class,
              e -> assertThat(e.kind()).isEqualTo(Kind.TIMEOUT));

      stub.enqueue(StubResponse.delayed(Duration.ofSeconds(3), StubResponse.text("x", 1, 1)));
      assertThatThrownBy(() -> impatient.complete(Fixtures.ask(deployment(), "hi")))
          .isInstanceOfSatisfying(
              ProviderUnavailableException.class,
              e -> assertThat(e.kind()).isEqualTo(Kind.TIMEOUT));
    } finally {
      ((AutoCloseable) impatient).close();
    }
  }

  @Test
  void enforcesTheWholeCallTimeoutOnABlockingCall() throws Exception {
    ModelProvider impatient =
        Providers.bedrock(stub.settings().toBuilder().callTimeout(Duration.ofMillis(500)).build());
    try {
      // The answer comes after 3 s, well within the 10 s first-byte (socket) timeout of the stub
      // settings, so a timeout here can only be the 500 ms whole-call timeout.
      stub.enqueue(StubResponse.delayed(Duration.ofSeconds(3), StubResponse.text("x", 1, 1)));
      assertThatThrownBy(() -> impatient.complete(Fixtures.ask(deployment(), "hi")))
          .isInstanceOfSatisfying(
              ProviderUnavailableException.class,
              e -> assertThat(e.kind()).isEqualTo(Kind.TIMEOUT));
    } finally {
      ((AutoCloseable) impatient).close();
    }
  }

  @Test
  void closingTheStreamCancelsTheUpstreamCall() throws Exception {
    stub.enqueue(
        StubResponse.slowStream(
            java.util.Collections.nCopies(100, "tok "), Duration.ofMillis(50), 1, 1));
    ChatStream s = bedrock.stream(Fixtures.ask(deployment(), "hi"));
    assertThat(s.next()).isPresent();

    s.close();

    assertThat(stub.awaitAbortedStream(Duration.ofSeconds(5))).isTrue();
    assertThat(s.next()).isEmpty();
  }

  @Test
  void closingFromAnotherThreadWakesABlockedReader() throws Exception {
    stub.enqueue(StubResponse.slowStream(List.of("a", "b"), Duration.ofSeconds(5), 1, 1));
    ChatStream s = bedrock.stream(Fixtures.ask(deployment(), "hi"));
    assertThat(s.next()).isPresent();
    try (var pool = Executors.newVirtualThreadPerTaskExecutor()) {
      Future<Optional<ChatChunk>> blocked = pool.submit(s::next);
      Thread.sleep(200);
      s.close();
      assertThat(blocked.get(2, TimeUnit.SECONDS)).isEmpty();
    }
  }

  @Test
  void interruptingABlockingCallOnAVirtualThreadAbandonsTheUpstream() throws Exception {
    stub.enqueue(StubResponse.delayed(Duration.ofSeconds(5), StubResponse.text("late", 1, 1)));
    var failure = new java.util.concurrent.atomic.AtomicReference<Throwable>();
    Thread caller =
        Thread.ofVirtual()
            .start(
                () ->
                    failure.set(
                        catchThrowable(() -> bedrock.complete(Fixtures.ask(deployment(), "hi")))));
    while (stub.requestCount() == 0) {
      Thread.sleep(10);
    }

    caller.interrupt();

    assertThat(caller.join(Duration.ofSeconds(3))).as("ended before the 5 s answer").isTrue();
    assertThat(failure.get())
        .isInstanceOfSatisfying(
            ProviderUnavailableException.class,
            e -> assertThat(e.getMessage()).contains("interrupted"));
  }

  @Test
  void throwsAConnectFailureFromStreamItself() throws Exception {
    int closedPort;
    try (ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      closedPort = socket.getLocalPort();
    }
    ModelProvider nowhere =
        Providers.bedrock(
            stub.settings().toBuilder()
                .endpoint(URI.create("http://127.0.0.1:" + closedPort))
                .build());
    try {
      assertThatThrownBy(() -> nowhere.stream(Fixtures.ask(deployment(), "hi")))
          .isInstanceOfSatisfying(
              ProviderUnavailableException.class,
              e -> {
                assertThat(e.kind()).isEqualTo(Kind.UNAVAILABLE);
                assertThat(e.retryable()).isTrue();
                assertThat(e.billing()).isEqualTo(io.llmgateway.core.error.Billing.NOT_BILLED);
              });
      assertThatThrownBy(() -> nowhere.complete(Fixtures.ask(deployment(), "hi")))
          .isInstanceOf(ProviderUnavailableException.class);
    } finally {
      ((AutoCloseable) nowhere).close();
    }
  }

  private static byte[] frame(String type, String json) {
    return EventStreamEncoder.event(type, json);
  }

  static BedrockStub stub() {
    return stub;
  }
}

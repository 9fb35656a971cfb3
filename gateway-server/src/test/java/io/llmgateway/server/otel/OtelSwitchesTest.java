package io.llmgateway.server.otel;

import static io.llmgateway.server.otel.OtelTracesTest.chat;
import static io.llmgateway.server.otel.OtelTracesTest.randomHex;
import static io.llmgateway.server.otel.OtlpReceiver.str;
import static org.assertj.core.api.Assertions.assertThat;

import io.llmgateway.bedrock.stub.StubResponse;
import io.llmgateway.core.GatewayTracing;
import io.llmgateway.server.ServerConfig;
import io.llmgateway.server.support.GatewayStack;
import io.opentelemetry.proto.trace.v1.Span;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;

/** Tracing is off unless configured, and prompt text goes out only when explicitly allowed. */
class OtelSwitchesTest {

  @Test
  void withoutAnExporterSettingTracingIsOffAndTheCoreGetsTheNoOpPort() {
    for (Map<String, String> env :
        List.of(
            Map.<String, String>of(),
            Map.of("OTEL_SERVICE_NAME", "gw", "OTEL_TRACES_SAMPLER", "always_on"),
            Map.of(
                "OTEL_EXPORTER_OTLP_ENDPOINT", "http://127.0.0.1:1", "OTEL_SDK_DISABLED", "true"),
            Map.of(
                "OTEL_EXPORTER_OTLP_ENDPOINT",
                "http://127.0.0.1:1",
                "OTEL_TRACES_EXPORTER",
                "none"))) {
      ServerTracing t = ServerTracing.fromEnv(env);
      assertThat(t.enabled()).as(env.toString()).isFalse();
      assertThat(t.gateway()).as(env.toString()).isSameAs(GatewayTracing.NONE);
    }
  }

  @Test
  void exportsGoInBatchesOf2048SpansUnlessOtelBspSaysOtherwise() {
    Map<String, String> ours = ServerTracing.sdkProperties(Map.of("OTEL_SERVICE_NAME", "gw"));
    assertThat(ours)
        .containsEntry("otel.bsp.max.export.batch.size", "2048")
        .containsEntry("otel.bsp.max.queue.size", "8192")
        .containsEntry("otel.service.name", "gw")
        .containsEntry("otel.exporter.otlp.protocol", "http/protobuf");
    Map<String, String> theirs =
        ServerTracing.sdkProperties(
            Map.of("OTEL_BSP_MAX_EXPORT_BATCH_SIZE", "100", "OTEL_BSP_MAX_QUEUE_SIZE", "400"));
    assertThat(theirs)
        .containsEntry("otel.bsp.max.export.batch.size", "100")
        .containsEntry("otel.bsp.max.queue.size", "400");
  }

  @Test
  void theExporterBuildsImmutableMarshalersUnlessOtelJavaExporterMemoryModeSaysOtherwise() {
    String endpoint = "http://127.0.0.1:1";
    try (ServerTracing ours =
            ServerTracing.fromEnv(Map.of("OTEL_EXPORTER_OTLP_ENDPOINT", endpoint));
        ServerTracing theirs =
            ServerTracing.fromEnv(
                Map.of(
                    "OTEL_EXPORTER_OTLP_ENDPOINT",
                    endpoint,
                    "OTEL_JAVA_EXPORTER_MEMORY_MODE",
                    "reusable_data"))) {
      assertThat(ours.describe())
          .contains("OtlpHttpSpanExporter")
          .contains("memoryMode=IMMUTABLE_DATA");
      assertThat(theirs.describe()).contains("memoryMode=REUSABLE_DATA");
    }
  }

  @Test
  void sdkDisabledSendsNothingToAConfiguredEndpoint() throws Exception {
    try (OtlpReceiver receiver = OtlpReceiver.start();
        GatewayStack stack =
            stack(
                Map.of(
                    "OTEL_EXPORTER_OTLP_ENDPOINT", receiver.endpoint(),
                    "OTEL_SDK_DISABLED", "true",
                    "OTEL_BSP_SCHEDULE_DELAY", "10"))) {
      stack.stub.enqueue(StubResponse.text("hello", 10, 5));
      String key = stack.userKey("drafting");
      var r =
          stack.post(
              "/v1/chat/completions",
              key,
              chat("hi", false).getBytes(StandardCharsets.UTF_8),
              "traceparent",
              "00-" + randomHex(16) + "-" + randomHex(8) + "-01");
      assertThat(r.statusCode()).isEqualTo(200);
      Thread.sleep(500); // 50 export intervals
      assertThat(stack.server.gateway().config()).isNotNull();
      assertThat(receiver.requests()).isZero();
    }
  }

  @Test
  void captureContentTrueExportsThePromptAndTheAnswer() throws Exception {
    try (OtlpReceiver receiver = OtlpReceiver.start();
        GatewayStack stack =
            stack(
                Map.of(
                    "OTEL_EXPORTER_OTLP_ENDPOINT", receiver.endpoint(),
                    "OTEL_BSP_SCHEDULE_DELAY", "10",
                    "GATEWAY_OTEL_CAPTURE_CONTENT", "true"))) {
      String prompt = "allowed-prompt-" + UUID.randomUUID();
      String answer = "allowed-answer-" + UUID.randomUUID();
      stack.stub.enqueue(StubResponse.text(answer, 10, 5));
      String traceId = randomHex(16);
      var r =
          stack.post(
              "/v1/chat/completions",
              stack.userKey("drafting"),
              chat(prompt, false).getBytes(StandardCharsets.UTF_8),
              "traceparent",
              "00-" + traceId + "-" + randomHex(8) + "-01");
      assertThat(r.statusCode()).isEqualTo(200);
      List<Span> trace =
          receiver.awaitTrace(
              traceId,
              t -> t.stream().anyMatch(s -> s.getKind() == Span.SpanKind.SPAN_KIND_SERVER));
      Span server =
          trace.stream()
              .filter(s -> s.getKind() == Span.SpanKind.SPAN_KIND_SERVER)
              .findFirst()
              .orElseThrow();
      assertThat(str(server, "gen_ai.input.messages")).contains(prompt);
      assertThat(str(server, "gen_ai.output.messages")).contains(answer);
    }
  }

  private static GatewayStack stack(Map<String, String> env) {
    return GatewayStack.start(
        ServerConfig.forTests(),
        UnaryOperator.identity(),
        b -> b.tracing(ServerTracing.fromEnv(env)));
  }
}

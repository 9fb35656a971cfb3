package io.llmgateway.bedrock;

import static org.assertj.core.api.Assertions.assertThat;

import io.llmgateway.bedrock.stub.StubResponse;
import io.llmgateway.core.chat.ChatChunk;
import io.llmgateway.core.provider.ChatStream;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** The stream bridge under pressure: a slow reader, many events, many concurrent streams. */
class BedrockStreamLoadTest extends StubTestBase {

  @Test
  void deliversEveryEventOfALongStreamToASlowReaderInOrder() throws Exception {
    // Far more events than the bridge's window: demand, not a growing queue, must hold them back.
    List<String> chunks = IntStream.range(0, 1_000).mapToObj(i -> i + ",").toList();
    stub.enqueue(StubResponse.stream(chunks, 5, 1_000));

    try (ChatStream s = bedrock.stream(Fixtures.ask(deployment(), "count"))) {
      Thread.sleep(500);
      List<ChatChunk> got = drain(s);
      assertThat(text(got)).isEqualTo(String.join("", chunks));
      assertThat(got.get(got.size() - 1)).isInstanceOf(ChatChunk.Usage.class);
    }
  }

  @Test
  void servesConcurrentStreamsWithoutMixingThemUp() throws Exception {
    int n = 40;
    try (var pool = Executors.newVirtualThreadPerTaskExecutor()) {
      List<Future<String>> answers = new ArrayList<>();
      for (int i = 0; i < n; i++) {
        String prompt = "prompt number " + i;
        answers.add(
            pool.submit(
                () -> {
                  try (ChatStream s = bedrock.stream(Fixtures.ask(deployment(), prompt))) {
                    return text(drain(s));
                  }
                }));
      }
      for (int i = 0; i < n; i++) {
        assertThat(answers.get(i).get()).isEqualTo("echo: prompt number " + i);
      }
    }
    assertThat(stub.requestCount()).isEqualTo(n);
  }
}

package io.llmgateway.bedrock;

import com.fasterxml.jackson.databind.JsonNode;
import io.llmgateway.bedrock.stub.BedrockStub;
import io.llmgateway.core.catalog.Deployment;
import io.llmgateway.core.chat.ChatChunk;
import io.llmgateway.core.provider.ChatStream;
import io.llmgateway.core.provider.ModelProvider;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;

/** One stub and one Bedrock provider per test class; the stub is reset before each test. */
abstract class StubTestBase {
  static BedrockStub stub;
  static ModelProvider bedrock;

  @BeforeAll
  static void startStub() {
    stub = BedrockStub.start();
    bedrock = Providers.bedrock(stub.settings());
  }

  @AfterAll
  static void stopStub() throws Exception {
    ((AutoCloseable) bedrock).close();
    stub.close();
  }

  @BeforeEach
  void resetStub() {
    stub.reset();
  }

  static Deployment deployment() {
    return Fixtures.deployment("bedrock");
  }

  static JsonNode lastBody() throws Exception {
    return Json.MAPPER.readTree(stub.lastRequest().body());
  }

  static List<ChatChunk> drain(ChatStream s) {
    List<ChatChunk> out = new ArrayList<>();
    for (Optional<ChatChunk> c = s.next(); c.isPresent(); c = s.next()) {
      out.add(c.get());
    }
    return out;
  }

  static String text(List<ChatChunk> chunks) {
    StringBuilder sb = new StringBuilder();
    for (ChatChunk c : chunks) {
      if (c instanceof ChatChunk.TextDelta t) {
        sb.append(t.text());
      }
    }
    return sb.toString();
  }
}

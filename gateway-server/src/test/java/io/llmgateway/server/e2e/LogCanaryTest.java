package io.llmgateway.server.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.ThrowableProxyUtil;
import ch.qos.logback.core.AppenderBase;
import io.llmgateway.bedrock.stub.StubResponse;
import io.llmgateway.core.admin.IssuedKey;
import io.llmgateway.core.identity.KeyHash;
import io.llmgateway.server.support.GatewayStack;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/**
 * Runs successful, refused, failing and broken requests carrying a canary prompt and a real key,
 * then scans every log line the process wrote: no prompt, no key, no key hash (CWE-532).
 */
class LogCanaryTest {
  static final String CANARY = "canary-7f3a9c-do-not-log";

  @Test
  void logsNeverContainPromptsKeysOrHashes() throws Exception {
    LoggerContext ctx = (LoggerContext) LoggerFactory.getILoggerFactory();
    List<String> lines = new CopyOnWriteArrayList<>();
    AppenderBase<ILoggingEvent> capture =
        new AppenderBase<>() {
          @Override
          protected void append(ILoggingEvent e) {
            lines.add(
                e.getLoggerName()
                    + " "
                    + e.getFormattedMessage()
                    + (e.getThrowableProxy() == null
                        ? ""
                        : ThrowableProxyUtil.asString(e.getThrowableProxy())));
          }
        };
    capture.setContext(ctx);
    capture.start();
    Logger root = ctx.getLogger(Logger.ROOT_LOGGER_NAME);
    Logger accessLog = ctx.getLogger("io.llmgateway.access");
    Logger spendLog = ctx.getLogger("io.llmgateway.spend");
    Level accessLevel = accessLog.getLevel();
    Level spendLevel = spendLog.getLevel();
    accessLog.setLevel(Level.INFO);
    spendLog.setLevel(Level.INFO);
    root.addAppender(capture);
    try (GatewayStack stack = GatewayStack.start()) {
      IssuedKey key = stack.key("drafting", s -> s);
      String k = key.plaintext();
      String chat =
          "{\"model\":\"%s\",%s\"messages\":[{\"role\":\"user\",\"content\":\"" + CANARY + "\"}]}";
      stack.post("/v1/chat/completions", k, chat.formatted("model-cheap", ""));
      stack.post("/v1/chat/completions", k, chat.formatted("model-cheap", "\"stream\":true,"));
      stack.post("/v1/chat/completions", k, chat.formatted("model-reasoning", ""));
      stack.post("/v1/chat/completions", k, chat.formatted("no-such-model", ""));
      stack.post("/v1/chat/completions", k, chat.formatted("model-cheap", "\"n\":5,"));
      stack.post("/v1/chat/completions", k, "{\"model\":\"" + CANARY + "\",");
      stack.post("/v1/chat/completions", k + "x", chat.formatted("model-cheap", ""));
      stack.stub.enqueue(StubResponse.error(500, "InternalServerException", "upstream trouble"));
      stack.stub.enqueue(StubResponse.error(500, "InternalServerException", "upstream trouble"));
      stack.post("/v1/chat/completions", k, chat.formatted("model-cheap", ""));
      stack.stub.enqueue(
          StubResponse.inStreamException(
              List.of("a"), "modelStreamErrorException", "upstream trouble"));
      stack.post("/v1/chat/completions", k, chat.formatted("model-cheap", "\"stream\":true,"));
      stack.get("/health", GatewayStack.MASTER_KEY);
      // A model name with a line break must not forge a second access-log line.
      stack.post(
          "/v1/chat/completions",
          k,
          chat.formatted("x\\nrequest=forged status=200 key=master\\r", ""));

      // Spend lines come once the deferred settlements are written, after the answers: wait for
      // them (a write that took longer than the requests above used to fail this test).
      assertThat(stack.spendOf(key)).isNotEmpty();
      assertThat(lines).anyMatch(l -> l.startsWith("io.llmgateway.access"));
      assertThat(lines).anyMatch(l -> l.startsWith("io.llmgateway.spend"));
      assertThat(lines)
          .filteredOn(l -> l.startsWith("io.llmgateway.access"))
          .allSatisfy(l -> assertThat(l).doesNotContain("\n", "\r"))
          .anySatisfy(l -> assertThat(l).contains("model=x\\u000arequest=forged"));
      String hash = KeyHash.of(k).hex();
      for (String line : lines) {
        assertThat(line)
            .doesNotContain(CANARY)
            .doesNotContain(k)
            .doesNotContain(k.substring(3, 20))
            .doesNotContain(hash)
            .doesNotContain(hash.substring(0, 16))
            .doesNotContain(GatewayStack.MASTER_KEY);
      }
    } finally {
      root.detachAppender(capture);
      accessLog.setLevel(accessLevel);
      spendLog.setLevel(spendLevel);
    }
  }
}

package io.llmgateway.server.http;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** A request field cannot start a new log line or smuggle terminal escapes. */
class LogSafeTest {
  @Test
  void escapesLineBreaksAndControlCharacters() {
    String forged = "model-cheap\nrequest=x status=200 key=master\r\u001b[2J\u2028";
    String safe = LogSafe.text(forged);
    assertThat(safe).doesNotContain("\n", "\r", "\u001b", "\u2028");
    assertThat(safe).startsWith("model-cheap\\u000arequest=x");
  }

  @Test
  void leavesOrdinaryTextAloneAndBoundsLength() {
    assertThat(LogSafe.text("model-cheap")).isEqualTo("model-cheap");
    assertThat(LogSafe.text(null)).isEqualTo("-");
    assertThat(LogSafe.text("x".repeat(5000))).hasSize(LogSafe.MAX + 3);
  }
}

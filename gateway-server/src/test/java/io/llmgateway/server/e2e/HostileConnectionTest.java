package io.llmgateway.server.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.AppenderBase;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.llmgateway.server.HttpSettings;
import io.llmgateway.server.ServerConfig;
import io.llmgateway.server.support.GatewayStack;
import io.llmgateway.server.support.RawHttp;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.slf4j.LoggerFactory;

/**
 * The hostile-input sweep at the connection level, over a plain socket: headers without their body,
 * bodies that trickle or stop, oversized headers, bad Host values, bad framing. Every answer is a
 * prompt 4xx in OpenAI's JSON shape (the UI's page under /ui), and the log has no stack trace, no
 * ERROR and no key.
 */
class HostileConnectionTest {
  static final ObjectMapper JSON = new ObjectMapper();
  static final String CHAT = "POST /v1/chat/completions HTTP/1.1\r\nHost: gw\r\n";
  static final List<ILoggingEvent> events = new CopyOnWriteArrayList<>();
  static final AppenderBase<ILoggingEvent> capture =
      new AppenderBase<>() {
        @Override
        protected void append(ILoggingEvent e) {
          events.add(e);
        }
      };
  static GatewayStack stack;
  static String key;

  @BeforeAll
  static void start() {
    LoggerContext ctx = (LoggerContext) LoggerFactory.getILoggerFactory();
    capture.setContext(ctx);
    capture.start();
    ctx.getLogger(Logger.ROOT_LOGGER_NAME).addAppender(capture);
    HttpSettings http =
        HttpSettings.builder()
            .requestTimeout(Duration.ofSeconds(3))
            .idleTimeout(Duration.ofSeconds(2))
            .build();
    stack = GatewayStack.start(ServerConfig.forTests().toBuilder().http(http).build(), s -> s);
    key = stack.userKey("drafting");
  }

  @AfterAll
  static void stop() {
    stack.close();
    ((LoggerContext) LoggerFactory.getILoggerFactory())
        .getLogger(Logger.ROOT_LOGGER_NAME)
        .detachAppender(capture);
    for (ILoggingEvent e : events) {
      assertThat(e.getThrowableProxy()).as(e.getFormattedMessage()).isNull();
      assertThat(e.getLevel()).as(e.getFormattedMessage()).isNotEqualTo(Level.ERROR);
      assertThat(e.getFormattedMessage()).doesNotContain(key);
    }
  }

  @Test
  void anUnauthenticatedBodyIsRefusedAtOnceWithoutWaitingForIt() throws Exception {
    try (RawHttp raw = new RawHttp(stack.server.baseUrl())) {
      long t0 = System.nanoTime();
      raw.send(CHAT + "Content-Type: application/json\r\nContent-Length: 8000000\r\n\r\n");
      RawHttp.Response r = raw.read(10_000);
      assertThat((System.nanoTime() - t0) / 1_000_000).isLessThan(2_000);
      assertJsonError(r, 401);
    }
  }

  @Test
  void headerOnlyRequestsCostNoMemoryAndEachGetsA408() throws Exception {
    var memory = ManagementFactory.getMemoryMXBean();
    System.gc();
    long before = memory.getHeapMemoryUsage().getUsed();
    List<RawHttp> conns = new ArrayList<>();
    try {
      for (int i = 0; i < 100; i++) {
        RawHttp raw = new RawHttp(stack.server.baseUrl());
        conns.add(raw);
        raw.send(
            CHAT
                + "Authorization: Bearer "
                + key
                + "\r\nContent-Type: application/json\r\nContent-Length: 8388000\r\n\r\n{");
      }
      long deadline = System.nanoTime() + 2_500_000_000L;
      while (stack.server.services().inFlight().requests() < 100 && System.nanoTime() < deadline) {
        Thread.sleep(20);
      }
      System.gc();
      long held = memory.getHeapMemoryUsage().getUsed() - before;
      // 100 x 8 MiB would be 800 MiB if buffers followed Content-Length.
      assertThat(held).as("heap held by 100 waiting bodies").isLessThan(100L << 20);
      for (RawHttp raw : conns) {
        assertJsonError(raw.read(10_000), 408);
      }
    } finally {
      for (RawHttp raw : conns) {
        raw.close();
      }
    }
  }

  @Test
  void aTricklingBodyGetsA408WhenItsDeadlinePasses() throws Exception {
    try (RawHttp raw = new RawHttp(stack.server.baseUrl())) {
      raw.send(
          CHAT
              + "Authorization: Bearer "
              + key
              + "\r\nContent-Type: application/json\r\nContent-Length: 200\r\n\r\n{");
      Thread trickle =
          Thread.ofVirtual()
              .start(
                  () -> {
                    try {
                      for (int i = 0; i < 100; i++) {
                        Thread.sleep(250);
                        raw.send(" ");
                      }
                    } catch (Exception e) {
                      // the server answered and closed: done
                    }
                  });
      long t0 = System.nanoTime();
      RawHttp.Response r = raw.read(8_000);
      trickle.interrupt();
      assertJsonError(r, 408);
      assertThat((System.nanoTime() - t0) / 1_000_000).isBetween(2_500L, 6_000L);
    }
  }

  @Test
  void aBodyThatEndsEarlyGetsA400() throws Exception {
    try (RawHttp raw = new RawHttp(stack.server.baseUrl())) {
      raw.send(
          CHAT
              + "Authorization: Bearer "
              + key
              + "\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{\"model\":");
      raw.shutdownOutput();
      assertJsonError(raw.read(8_000), 400);
    }
  }

  @Test
  void anIdleKeepAliveConnectionIsClosedAfterTheConfiguredIdleTimeout() throws Exception {
    try (RawHttp raw = new RawHttp(stack.server.baseUrl())) {
      raw.send("GET /health/liveliness HTTP/1.1\r\nHost: gw\r\n\r\n");
      assertThat(raw.read(5_000).status()).isEqualTo(200);
      long t0 = System.nanoTime();
      RawHttp.Response none = raw.read(6_000); // returns when the server closes the connection
      assertThat(none.status()).isZero();
      assertThat((System.nanoTime() - t0) / 1_000_000).isBetween(1_000L, 4_000L);
    }
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      textBlock =
          """
          10 KB Authorization header   | 431 | GET /v1/models HTTP/1.1\\r\\nHost: gw\\r\\nAuthorization: Bearer {10k}\\r\\n\\r\\n
          10 KB header on a UI path    | 431 | GET /ui/keys HTTP/1.1\\r\\nHost: gw\\r\\nX-Pad: {10k}\\r\\n\\r\\n
          Host with a slash            | 400 | GET /v1/models HTTP/1.1\\r\\nHost: bad host/\\r\\n\\r\\n
          Host with a bad port         | 400 | GET /v1/models HTTP/1.1\\r\\nHost: gw:99999x\\r\\n\\r\\n
          two Host headers             | 400 | GET /v1/models HTTP/1.1\\r\\nHost: a\\r\\nHost: b\\r\\n\\r\\n
          no Host                      | 400 | GET /v1/models HTTP/1.1\\r\\n\\r\\n
          URI too long                 | 414 | GET /v1/{10k} HTTP/1.1\\r\\nHost: gw\\r\\n\\r\\n
          bad percent escape           | 400 | GET /v1/%zz HTTP/1.1\\r\\nHost: gw\\r\\n\\r\\n
          length and chunked           | 400 | POST /v1/chat/completions HTTP/1.1\\r\\nHost: gw\\r\\nContent-Length: 5\\r\\nTransfer-Encoding: chunked\\r\\n\\r\\n
          bad chunk size               | 400 | POST /v1/chat/completions HTTP/1.1\\r\\nHost: gw\\r\\nAuthorization: Bearer {key}\\r\\nTransfer-Encoding: chunked\\r\\n\\r\\nzz\\r\\n{}\\r\\n0\\r\\n\\r\\n
          unknown method               | 404 | BREW /v1/models HTTP/1.1\\r\\nHost: gw\\r\\n\\r\\n
          """)
  void protocolErrorsAreJsonOrTheUiPage(String name, int status, String request) throws Exception {
    String text =
        request
            .replace("\\r\\n", "\r\n")
            .replace("{10k}", "a".repeat(10_000))
            .replace("{key}", key);
    try (RawHttp raw = new RawHttp(stack.server.baseUrl())) {
      raw.send(text);
      RawHttp.Response r = raw.read(8_000);
      if (name.contains("UI path")) {
        assertThat(r.status()).isEqualTo(status);
        assertThat(r.header("Content-Type")).startsWith("text/html");
        assertThat(r.header("X-Frame-Options")).isEqualTo("DENY");
        assertThat(r.body()).contains("/ui").doesNotContainIgnoringCase("jetty");
      } else {
        assertJsonError(r, status);
      }
    }
  }

  static void assertJsonError(RawHttp.Response r, int status) throws Exception {
    assertThat(r.status()).as(r.headers() + "\n" + r.body()).isEqualTo(status);
    assertThat(r.header("Content-Type")).startsWith("application/json");
    JsonNode error = JSON.readTree(r.body()).path("error");
    assertThat(error.path("message").asText()).isNotBlank();
    assertThat(error.path("type").asText()).isNotBlank();
    assertThat(error.path("code").asText()).isNotBlank();
    assertThat(error.has("param")).isTrue();
    assertThat(r.body()).doesNotContainIgnoringCase("jetty").doesNotContain("Exception");
    assertThat(r.header("x-request-id")).isNotBlank();
  }
}

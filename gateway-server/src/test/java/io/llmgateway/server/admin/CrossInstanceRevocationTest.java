package io.llmgateway.server.admin;

import static io.llmgateway.server.admin.AdminTestServer.MASTER;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Two gateway instances on one PostgreSQL, as two pods behind a load balancer: a key blocked,
 * deleted or rotated through one instance stops working on the other within the documented bound
 * (LISTEN/NOTIFY invalidation, and an auth cache of at most 1 s as the backstop). We poll for up to
 * 2 s; LiteLLM's per-pod cache kept such keys alive for its TTL on other pods (#9820, #2149).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class CrossInstanceRevocationTest {
  static final Duration BOUND = Duration.ofSeconds(2);

  private AdminTestServer a;
  private AdminTestServer b;

  @BeforeAll
  void start() {
    a = AdminTestServer.start();
    b = a.second();
    a.addSeedModels();
  }

  @AfterAll
  void stop() {
    b.close();
    a.close();
  }

  /** Polls instance b until the key gets {@code status} or the bound passes; returns the wait. */
  private Duration awaitStatusOnB(String key, int status) throws InterruptedException {
    long start = System.nanoTime();
    while (true) {
      int got = b.chat(key, "model-cheap").status();
      Duration waited = Duration.ofNanos(System.nanoTime() - start);
      if (got == status) {
        return waited;
      }
      assertThat(waited).as("instance b still answers " + got).isLessThan(BOUND);
      Thread.sleep(50);
    }
  }

  @Test
  void aKeyBlockedOnOneInstanceIsRefusedOnTheOtherWithinTheBound() throws Exception {
    String key = a.key("{}");
    assertThat(b.chat(key, "model-cheap").status()).isEqualTo(200); // now cached on b
    assertThat(a.post("/key/block", MASTER, "{\"key\":\"" + key + "\"}").status()).isEqualTo(200);
    assertThat(awaitStatusOnB(key, 401)).isLessThan(BOUND);
    assertThat(a.post("/key/unblock", MASTER, "{\"key\":\"" + key + "\"}").status()).isEqualTo(200);
    assertThat(awaitStatusOnB(key, 200)).isLessThan(BOUND);
  }

  @Test
  void aKeyDeletedOnOneInstanceIsRefusedOnTheOtherWithinTheBound() throws Exception {
    String key = a.key("{}");
    assertThat(b.chat(key, "model-cheap").status()).isEqualTo(200);
    assertThat(a.post("/key/delete", MASTER, "{\"keys\":[\"" + key + "\"]}").status())
        .isEqualTo(200);
    assertThat(awaitStatusOnB(key, 401)).isLessThan(BOUND);
  }

  @Test
  void aKeyRegeneratedWithoutGraceStopsAtOnceEverywhereAndTheNewOneWorks() throws Exception {
    String old = a.key("{}");
    assertThat(b.chat(old, "model-cheap").status()).isEqualTo(200);
    var r = a.post("/key/regenerate", MASTER, "{\"key\":\"" + old + "\"}");
    assertThat(r.status()).as(r.text()).isEqualTo(200);
    String fresh = r.json().get("key").asText();
    assertThat(fresh).isNotEqualTo(old);
    assertThat(awaitStatusOnB(old, 401)).isLessThan(BOUND);
    assertThat(b.chat(fresh, "model-cheap").status()).isEqualTo(200);
  }

  @Test
  void aKeyRegeneratedWithAGracePeriodKeepsTheOldValueUntilThen() {
    String old = a.key("{}");
    var r = a.post("/key/regenerate", MASTER, "{\"key\":\"" + old + "\",\"grace_period\":\"1h\"}");
    assertThat(r.status()).as(r.text()).isEqualTo(200);
    assertThat(r.json().get("previous_key_valid_until").asText()).isNotBlank();
    assertThat(b.chat(old, "model-cheap").status()).isEqualTo(200);
    assertThat(b.chat(r.json().get("key").asText(), "model-cheap").status()).isEqualTo(200);
  }

  @Test
  void aKeyGeneratedOnOneInstanceWorksOnTheOtherAtOnce() {
    String key = a.key("{\"models\":[\"model-cheap\"]}");
    assertThat(b.chat(key, "model-cheap").status()).isEqualTo(200);
    assertThat(b.get("/key/info", key).json().at("/info/models/0").asText())
        .isEqualTo("model-cheap");
  }
}

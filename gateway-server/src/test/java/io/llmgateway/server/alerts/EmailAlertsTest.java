package io.llmgateway.server.alerts;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;
import io.llmgateway.bedrock.stub.StubResponse;
import io.llmgateway.core.admin.KeySpec;
import io.llmgateway.core.admin.UserSpec;
import io.llmgateway.core.budget.BudgetLimit;
import io.llmgateway.core.identity.Principal;
import io.llmgateway.core.money.Money;
import io.llmgateway.server.GatewayServer;
import io.llmgateway.server.support.GatewayStack;
import jakarta.mail.Message;
import jakarta.mail.internet.MimeMessage;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Budget alerts by email over SMTP against a real local SMTP server (GreenMail on 127.0.0.1), real
 * PostgreSQL and the Bedrock stub: a crossing is mailed once to the operators and once to the
 * opted-in user, with the payload's facts and the idempotency id in a header; an SMTP server that
 * refuses gets bounded retries, then the alert is listed failed.
 */
class EmailAlertsTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String OPS = "ops@gateway.test";
  private static final String USER_MAIL = "ada@example.test";

  private GreenMail smtp;

  @BeforeEach
  void startSmtp() {
    smtp = new GreenMail(new ServerSetup(0, "127.0.0.1", ServerSetup.PROTOCOL_SMTP).dynamicPort());
    smtp.start();
  }

  @AfterEach
  void stopSmtp() {
    smtp.stop();
  }

  private AlertSettings settings(Optional<String> user, Optional<String> password, int attempts) {
    SmtpSettings mail =
        new SmtpSettings(
            "127.0.0.1",
            smtp.getSmtp().getPort(),
            user,
            password,
            "alerts@gateway.test",
            false,
            List.of(OPS),
            true);
    return AlertSettings.builder()
        .thresholdsBp(List.of(5000))
        .retryFor(Duration.ofSeconds(20))
        .maxAttempts(attempts)
        .backoff(Duration.ofMillis(50), Duration.ofMillis(200))
        .poll(Duration.ofMillis(50))
        .claimLease(Duration.ofSeconds(3))
        .httpTimeout(Duration.ofSeconds(1))
        .smtp(mail)
        .build();
  }

  @Test
  void aCrossingIsMailedOnceToTheOperatorsAndOnceToTheOptedInUser() throws Exception {
    List<AutoCloseable> close = new ArrayList<>();
    try (GatewayStack stack = GatewayStack.start()) {
      GatewayServer s =
          AlertTestSupport.instance(stack, settings(Optional.empty(), Optional.empty(), 5), close);
      String userId = "mail-" + System.nanoTime();
      String key = userKey(stack, userId);
      spend(stack, s, key, 4); // ~$0.00112 of $0.002: crosses 50% once
      Jdbi db = Jdbi.create(stack.adapters.dataSource());
      awaitNoPending(db);

      List<String> userAlerts =
          db.withHandle(
              h ->
                  h.createQuery(
                          "SELECT scope_kind || ':' || scope_id || ':' || threshold_value FROM"
                              + " alert_outbox WHERE state = 'delivered'")
                      .mapTo(String.class)
                      .list());
      assertThat(userAlerts).contains("USER:" + userId + ":5000");
      long rows = userAlerts.size();
      MimeMessage[] got = smtp.getReceivedMessages();
      long toOps = Arrays.stream(got).filter(m -> to(m).equals(List.of(OPS))).count();
      List<MimeMessage> toUser =
          Arrays.stream(got).filter(m -> to(m).equals(List.of(USER_MAIL))).toList();
      assertThat(toOps).as("one operator mail per alert").isEqualTo(rows);
      assertThat(toUser).as("the user's own alert, mailed to the user once").hasSize(1);

      MimeMessage m = toUser.get(0);
      JsonNode listed = alertOf(stack, s, userId);
      String id = listed.path("idempotency_id").asText();
      assertThat(m.getHeader(AlertMail.ID_HEADER, null)).isEqualTo(id);
      assertThat(m.getMessageID()).isEqualTo("<" + id + "@llm-gateway.alerts>");
      assertThat(m.getSubject())
          .isEqualTo("Budget alert: user " + userId + " reached 50% of its budget (daily)");
      String body = ((String) m.getContent()).replace("\r\n", "\n");
      assertThat(body)
          .contains("Scope: user " + userId)
          .contains("Threshold: 50% of its budget")
          .contains("Limit: $0.002")
          .contains("Spend: $" + listed.path("spend").decimalValue().toPlainString())
          .contains("Resets at: " + listed.path("resets_at").asText())
          .contains("Alert id: " + id);
      assertThat(listed.path("delivered_channels").toString()).contains("email", "email_user");
    } finally {
      closeAll(close);
    }
  }

  @Test
  void anSmtpServerRefusingGetsBoundedRetriesThenTheAlertIsListedFailed() throws Exception {
    smtp.setUser("alerts@gateway.test", "alerts", "right-password");
    List<AutoCloseable> close = new ArrayList<>();
    try (GatewayStack stack = GatewayStack.start()) {
      GatewayServer s =
          AlertTestSupport.instance(
              stack, settings(Optional.of("alerts"), Optional.of("wrong-password"), 3), close);
      String userId = "mail-" + System.nanoTime();
      spend(stack, s, userKey(stack, userId), 4);
      awaitNoPending(Jdbi.create(stack.adapters.dataSource()));

      JsonNode a = alertOf(stack, s, userId);
      assertThat(a.path("state").asText()).isEqualTo("failed");
      assertThat(a.path("attempts").asInt()).isEqualTo(3);
      assertThat(a.path("last_error").asText()).startsWith("email");
      assertThat(a.path("last_error").asText()).doesNotContain("wrong-password", OPS);
      assertThat(smtp.getReceivedMessages()).as("the server refused every mail").isEmpty();
    } finally {
      closeAll(close);
    }
  }

  private static String userKey(GatewayStack stack, String userId) {
    stack.admin.createUser(
        Principal.MASTER,
        UserSpec.member(userId, "drafting").toBuilder()
            .email(USER_MAIL)
            .budgets(List.of(BudgetLimit.daily(Money.ofUsd("0.002"))))
            .build());
    return stack
        .admin
        .generateKey(
            Principal.MASTER, KeySpec.forUser(userId).toBuilder().teamId("drafting").build())
        .plaintext();
  }

  private static void spend(GatewayStack stack, GatewayServer s, String key, int n)
      throws Exception {
    for (int i = 0; i < n; i++) {
      stack.stub.enqueue(StubResponse.text("ok", 10, 2000));
    }
    for (int i = 0; i < n; i++) {
      HttpResponse<String> r =
          stack
              .http()
              .send(
                  HttpRequest.newBuilder(URI.create(s.baseUrl() + "/v1/chat/completions"))
                      .header("Authorization", "Bearer " + key)
                      .header("Content-Type", "application/json")
                      .POST(
                          HttpRequest.BodyPublishers.ofString(
                              "{\"model\":\"model-cheap\",\"max_tokens\":2000,"
                                  + "\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}"))
                      .build(),
                  HttpResponse.BodyHandlers.ofString());
      assertThat(r.statusCode()).isEqualTo(200);
    }
    s.gateway().flushSettlements(Duration.ofSeconds(5));
  }

  /** The user's (daily, 50%) alert as {@code GET /alert/list} shows it. */
  private static JsonNode alertOf(GatewayStack stack, GatewayServer s, String userId)
      throws Exception {
    HttpResponse<String> r =
        stack
            .http()
            .send(
                HttpRequest.newBuilder(URI.create(s.baseUrl() + "/alert/list"))
                    .header("Authorization", "Bearer " + GatewayStack.MASTER_KEY)
                    .build(),
                HttpResponse.BodyHandlers.ofString());
    assertThat(r.statusCode()).isEqualTo(200);
    for (JsonNode a : JSON.readTree(r.body()).path("data")) {
      if (a.path("scope_kind").asText().equals("user")
          && a.path("scope_id").asText().equals(userId)) {
        return a;
      }
    }
    throw new AssertionError("no alert for " + userId + ": " + r.body());
  }

  private static List<String> to(MimeMessage m) {
    try {
      return Arrays.stream(m.getRecipients(Message.RecipientType.TO))
          .map(Object::toString)
          .toList();
    } catch (jakarta.mail.MessagingException e) {
      throw new IllegalStateException(e);
    }
  }

  private static void awaitNoPending(Jdbi db) throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
    while (db.withHandle(
            h ->
                h.createQuery("SELECT count(*) FROM alert_outbox WHERE state = 'pending'")
                    .mapTo(Long.class)
                    .one())
        > 0) {
      assertThat(System.nanoTime()).as("alerts still pending").isLessThan(deadline);
      Thread.sleep(50);
    }
  }

  private static void closeAll(List<AutoCloseable> close) throws Exception {
    for (AutoCloseable c : close.reversed()) {
      c.close();
    }
  }
}

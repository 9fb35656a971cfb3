package io.llmgateway.server.alerts;

import io.llmgateway.postgres.PostgresAlerts;
import io.llmgateway.postgres.PostgresAlerts.Alert;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The deliverer: one thread per instance that claims due alerts from the outbox (any instance may
 * deliver any alert; {@code SKIP LOCKED} and the claim lease keep two from sending one at once),
 * posts them to every configured channel, and records the outcome. A channel that fails is retried
 * with a doubling pause until the retry time or attempt count runs out, then the alert is {@code
 * failed} with the last error, visible in {@code GET /alert/list}; channels that already took it
 * are not sent it again. A crash after a channel answered but before the outcome is written sends
 * it again after the claim lease: delivery is at least once, and the payload's idempotency id lets
 * a receiver drop the repeat. Started and stopped with the server. Thread-safe.
 */
public final class AlertDelivery implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(AlertDelivery.class);
  static final int BATCH = 16;

  /** How often an instance looks for budgets projected to run out (a scan of current counters). */
  static final Duration FORECAST_SCAN = Duration.ofSeconds(60);

  /** Not before a tenth of a period has passed: early on, one request projects anything. */
  static final int FORECAST_MIN_ELAPSED_BP = 1000;

  private final PostgresAlerts outbox;
  private final AlertSettings settings;
  private final HttpClient http;
  private final java.util.Optional<AlertMail> mail;
  private final Thread thread;
  private volatile boolean closed;

  public AlertDelivery(PostgresAlerts outbox, AlertSettings settings) {
    this.outbox = outbox;
    this.settings = settings;
    this.http = HttpClient.newBuilder().connectTimeout(settings.httpTimeout()).build();
    this.mail = settings.smtp().map(s -> new AlertMail(s, settings.httpTimeout()));
    this.thread = Thread.ofPlatform().name("alert-delivery").daemon().unstarted(this::run);
    thread.start();
  }

  private void run() {
    long nextScan = System.nanoTime();
    while (!closed) {
      int handled = 0;
      try {
        if (settings.forecast() && System.nanoTime() - nextScan >= 0) {
          nextScan = System.nanoTime() + FORECAST_SCAN.toNanos();
          outbox.recordForecasts(Instant.now(), FORECAST_MIN_ELAPSED_BP);
        }
        handled = deliverDue();
      } catch (RuntimeException e) {
        // the database is away: try again at the next poll
        log.warn("alert delivery: {}", e.getMessage());
      }
      if (handled < BATCH) {
        try {
          Thread.sleep(settings.poll());
        } catch (InterruptedException e) {
          return;
        }
      }
    }
  }

  /** Claims and delivers one batch; returns how many alerts it handled. */
  int deliverDue() {
    List<Alert> due = outbox.claim(BATCH, settings.claimLease());
    for (Alert a : due) {
      if (closed) {
        break; // the claim lease returns the rest
      }
      deliver(a);
    }
    return due.size();
  }

  private void deliver(Alert a) {
    List<String> done = new ArrayList<>(a.deliveredChannels());
    String error = null;
    if (settings.webhookUrl().isPresent() && !done.contains("webhook")) {
      // the wall clock, not the gateway's: receivers check the signed time against their own
      Instant now = Instant.now();
      byte[] body = AlertMessage.webhook(a, now);
      HttpRequest.Builder r = request(settings.webhookUrl().get(), body);
      settings
          .webhookSecret()
          .ifPresent(s -> r.header(WebhookSignature.HEADER, WebhookSignature.header(s, now, body)));
      r.header("Idempotency-Key", AlertMessage.idempotencyId(a));
      error = send("webhook", r.build(), done, error);
    }
    if (settings.slackUrl().isPresent() && !done.contains("slack")) {
      error =
          send(
              "slack",
              request(settings.slackUrl().get(), AlertMessage.slack(a)).build(),
              done,
              error);
    }
    if (mail.isPresent()) {
      error = email(a, done, error);
    }
    if (error == null) {
      outbox.delivered(a.id(), done);
      return;
    }
    Duration backoff = backoff(a.attempts());
    boolean failed =
        outbox.retryOrFail(
            a.id(), done, error, backoff, settings.retryFor(), settings.maxAttempts());
    if (failed) {
      log.warn(
          "alert {} failed after {} attempts: {}",
          AlertMessage.idempotencyId(a),
          a.attempts(),
          error);
    }
  }

  /**
   * The email channels: {@code email} to the operators, {@code email_user} to a user's own address
   * for a user's alert when opted in (separate messages: neither sees the other's address). A user
   * without an address is not a failure: there is nobody to mail.
   */
  private String email(Alert a, List<String> done, String error) {
    SmtpSettings smtp = settings.smtp().orElseThrow();
    if (!smtp.operators().isEmpty() && !done.contains("email")) {
      error = mail("email", a, smtp.operators(), done, error);
    }
    if (smtp.mailUsers() && a.scopeKind().equals("USER") && !done.contains("email_user")) {
      java.util.Optional<String> to = outbox.userEmail(a.scopeId()).filter(SmtpSettings::address);
      if (to.isPresent()) {
        error = mail("email_user", a, List.of(to.get()), done, error);
      }
    }
    return error;
  }

  private String mail(String channel, Alert a, List<String> to, List<String> done, String error) {
    try {
      mail.orElseThrow().send(a, to);
      done.add(channel);
      return error;
    } catch (jakarta.mail.MessagingException | RuntimeException e) {
      // the class only: a server's reply may quote addresses
      return channel + ": " + e.getClass().getSimpleName();
    }
  }

  private HttpRequest.Builder request(URI url, byte[] body) {
    return HttpRequest.newBuilder(url)
        .timeout(settings.httpTimeout())
        .header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofByteArray(body));
  }

  /** Sends one; returns the error to record (the earlier one if this succeeded). */
  private String send(String channel, HttpRequest request, List<String> done, String error) {
    try {
      HttpResponse<Void> r = http.send(request, HttpResponse.BodyHandlers.discarding());
      if (r.statusCode() / 100 == 2) {
        done.add(channel);
        return error;
      }
      // the status only: a receiver's body or the URL (a Slack URL is a secret) is never stored
      return channel + ": HTTP " + r.statusCode();
    } catch (java.io.IOException | RuntimeException e) {
      // a refused connection, a timeout, a URL the client rejects: retried, then failed, never
      // left claimed without an outcome
      return channel + ": " + e.getClass().getSimpleName();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return channel + ": interrupted";
    }
  }

  Duration backoff(int attempts) {
    Duration d = settings.firstBackoff();
    for (int i = 1; i < attempts && d.compareTo(settings.maxBackoff()) < 0; i++) {
      d = d.multipliedBy(2);
    }
    return d.compareTo(settings.maxBackoff()) > 0 ? settings.maxBackoff() : d;
  }

  @Override
  public void close() {
    closed = true;
    thread.interrupt();
    try {
      thread.join(settings.httpTimeout().toMillis() * 2 + 1_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}

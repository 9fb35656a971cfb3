package io.llmgateway.server.alerts;

import io.llmgateway.postgres.PostgresAlerts.Alert;
import jakarta.mail.Message;
import jakarta.mail.MessagingException;
import jakarta.mail.Session;
import jakarta.mail.Transport;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Properties;

/**
 * Sends an alert by email over SMTP (jakarta.mail, Eclipse Angus). One message per recipient group,
 * plain text, with the alert's idempotency id both as {@code X-Gateway-Alert-Id} and in a stable
 * {@code Message-ID}, so a retry after a crash is recognisably the same mail. Thread-safe.
 */
final class AlertMail {
  static final String ID_HEADER = "X-Gateway-Alert-Id";

  private final SmtpSettings smtp;
  private final Session session;

  AlertMail(SmtpSettings smtp, java.time.Duration timeout) {
    this.smtp = smtp;
    Properties p = new Properties();
    p.put("mail.smtp.host", smtp.host());
    p.put("mail.smtp.port", Integer.toString(smtp.port()));
    p.put("mail.smtp.connectiontimeout", Long.toString(timeout.toMillis()));
    p.put("mail.smtp.timeout", Long.toString(timeout.toMillis()));
    p.put("mail.smtp.writetimeout", Long.toString(timeout.toMillis()));
    // required, not merely enabled: a server (or a man in the middle) that drops STARTTLS must not
    // downgrade us to sending the password in the clear
    p.put("mail.smtp.starttls.enable", Boolean.toString(smtp.startTls()));
    p.put("mail.smtp.starttls.required", Boolean.toString(smtp.startTls()));
    p.put("mail.smtp.ssl.checkserveridentity", "true");
    p.put("mail.smtp.auth", Boolean.toString(smtp.username().isPresent()));
    this.session = Session.getInstance(p);
  }

  /** Sends {@code a} to {@code to}; throws on any refusal (the deliverer retries). */
  void send(Alert a, List<String> to) throws MessagingException {
    String id = AlertMessage.idempotencyId(a);
    MimeMessage m =
        new MimeMessage(session) {
          @Override
          protected void updateMessageID() throws MessagingException {
            setHeader("Message-ID", "<" + id + "@llm-gateway.alerts>");
          }
        };
    m.setFrom(new InternetAddress(smtp.from(), true));
    for (String r : to) {
      m.addRecipient(Message.RecipientType.TO, new InternetAddress(r, true));
    }
    m.setSubject(AlertMessage.subject(a), StandardCharsets.UTF_8.name());
    m.setText(AlertMessage.mailBody(a), StandardCharsets.UTF_8.name());
    m.setHeader(ID_HEADER, id);
    m.setSentDate(new java.util.Date());
    if (smtp.username().isPresent()) {
      Transport.send(m, smtp.username().get(), smtp.password().orElse(""));
    } else {
      Transport.send(m);
    }
  }
}

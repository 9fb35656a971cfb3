package io.llmgateway.server.alerts;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The optional email channel of budget alerts (docs/ALERTS.md), from {@code GATEWAY_ALERT_SMTP_*}.
 *
 * @param host {@code GATEWAY_ALERT_SMTP_HOST}
 * @param port {@code GATEWAY_ALERT_SMTP_PORT} (587)
 * @param username {@code GATEWAY_ALERT_SMTP_USERNAME}: with a password, SMTP AUTH
 * @param password {@code GATEWAY_ALERT_SMTP_PASSWORD}: never logged
 * @param from {@code GATEWAY_ALERT_SMTP_FROM}: the sender address (required)
 * @param startTls {@code GATEWAY_ALERT_SMTP_STARTTLS}: {@code true} (default) requires STARTTLS
 *     before credentials or mail are sent; {@code false} sends in the clear (a local relay only)
 * @param operators {@code GATEWAY_ALERT_EMAIL_TO}: operator recipients, comma-separated
 * @param mailUsers {@code GATEWAY_ALERT_EMAIL_USERS}: also mail a user's own alerts to the user's
 *     {@code user_email} (opt-in; default off)
 */
public record SmtpSettings(
    String host,
    int port,
    Optional<String> username,
    Optional<String> password,
    String from,
    boolean startTls,
    List<String> operators,
    boolean mailUsers) {

  public SmtpSettings {
    Objects.requireNonNull(host);
    Objects.requireNonNull(username);
    Objects.requireNonNull(password);
    Objects.requireNonNull(from);
    operators = List.copyOf(operators);
    if (port < 1 || port > 65535) {
      throw new IllegalArgumentException("GATEWAY_ALERT_SMTP_PORT must be 1 to 65535");
    }
    if (operators.isEmpty() && !mailUsers) {
      throw new IllegalArgumentException(
          "GATEWAY_ALERT_SMTP_HOST needs GATEWAY_ALERT_EMAIL_TO or GATEWAY_ALERT_EMAIL_USERS=true");
    }
  }

  /** Empty unless {@code GATEWAY_ALERT_SMTP_HOST} is set. */
  static Optional<SmtpSettings> fromEnv(Map<String, String> env) {
    Optional<String> host = get(env, "GATEWAY_ALERT_SMTP_HOST");
    if (host.isEmpty()) {
      return Optional.empty();
    }
    int port = 587;
    Optional<String> p = get(env, "GATEWAY_ALERT_SMTP_PORT");
    if (p.isPresent()) {
      try {
        port = Integer.parseInt(p.get());
      } catch (NumberFormatException e) {
        port = -1;
      }
    }
    String from =
        get(env, "GATEWAY_ALERT_SMTP_FROM")
            .filter(SmtpSettings::address)
            .orElseThrow(
                () ->
                    new IllegalArgumentException(
                        "GATEWAY_ALERT_SMTP_FROM must be an email address"));
    List<String> to = new ArrayList<>();
    for (String s : get(env, "GATEWAY_ALERT_EMAIL_TO").orElse("").split(",")) {
      if (!s.isBlank()) {
        if (!address(s.strip())) {
          throw new IllegalArgumentException(
              "GATEWAY_ALERT_EMAIL_TO must be comma-separated email addresses");
        }
        to.add(s.strip());
      }
    }
    return Optional.of(
        new SmtpSettings(
            host.get(),
            port,
            get(env, "GATEWAY_ALERT_SMTP_USERNAME"),
            get(env, "GATEWAY_ALERT_SMTP_PASSWORD"),
            from,
            bool(env, "GATEWAY_ALERT_SMTP_STARTTLS", true),
            to,
            bool(env, "GATEWAY_ALERT_EMAIL_USERS", false)));
  }

  /** A plain {@code local@domain} address: no display names, no header tricks. */
  static boolean address(String s) {
    return s.length() <= 254
        && s.matches("[^\\s@<>,;:\"()\\[\\]\\\\]+@[^\\s@<>,;:\"()\\[\\]\\\\]+");
  }

  private static boolean bool(Map<String, String> env, String name, boolean dflt) {
    Optional<String> v = get(env, name).map(s -> s.toLowerCase(Locale.ROOT));
    if (v.isEmpty()) {
      return dflt;
    }
    return switch (v.get()) {
      case "true", "on", "yes", "1" -> true;
      case "false", "off", "no", "0" -> false;
      default -> throw new IllegalArgumentException(name + " must be true or false");
    };
  }

  private static Optional<String> get(Map<String, String> env, String name) {
    return Optional.ofNullable(env.get(name)).map(String::strip).filter(v -> !v.isEmpty());
  }

  @Override
  public String toString() {
    return "SmtpSettings[host="
        + host
        + ", port="
        + port
        + ", auth="
        + username.isPresent()
        + ", startTls="
        + startTls
        + ", operators="
        + operators.size()
        + ", mailUsers="
        + mailUsers
        + "]";
  }
}

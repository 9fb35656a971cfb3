package io.llmgateway.server.alerts;

import io.llmgateway.postgres.PostgresAlerts;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Budget alert settings from the environment (docs/ALERTS.md). Thresholds set here become the
 * database's global default (every instance shares it); channels and retry bounds are this
 * instance's, for the alerts its deliverer claims.
 *
 * @param thresholdsBp {@code GATEWAY_ALERT_THRESHOLDS} in basis points; empty: keep the database's
 * @param webhookUrl {@code GATEWAY_ALERT_WEBHOOK_URL}
 * @param webhookSecret {@code GATEWAY_ALERT_WEBHOOK_SECRET}: HMAC-SHA256 key of the signature
 *     header
 * @param slackUrl {@code GATEWAY_ALERT_SLACK_URL}: a Slack incoming webhook
 * @param retryFor {@code GATEWAY_ALERT_RETRY_SECONDS}: retries end this long after the first
 *     attempt
 * @param maxAttempts {@code GATEWAY_ALERT_MAX_ATTEMPTS}
 * @param firstBackoff the pause after the first failure, doubling up to {@code maxBackoff}
 * @param poll how often the deliverer looks for due alerts ({@code GATEWAY_ALERT_POLL_MILLIS})
 * @param claimLease how long a claimed alert is this instance's before another may take it
 * @param smtp the optional email channel ({@code GATEWAY_ALERT_SMTP_*})
 * @param forecast {@code GATEWAY_ALERT_FORECAST}: also record "projected to exceed" alerts
 */
public record AlertSettings(
    Optional<List<Integer>> thresholdsBp,
    Optional<URI> webhookUrl,
    Optional<String> webhookSecret,
    Optional<URI> slackUrl,
    Duration retryFor,
    int maxAttempts,
    Duration firstBackoff,
    Duration maxBackoff,
    Duration poll,
    Duration claimLease,
    Duration httpTimeout,
    Optional<SmtpSettings> smtp,
    boolean forecast) {

  public AlertSettings {
    Objects.requireNonNull(smtp);
    Objects.requireNonNull(thresholdsBp);
    Objects.requireNonNull(webhookUrl);
    Objects.requireNonNull(webhookSecret);
    Objects.requireNonNull(slackUrl);
    if (maxAttempts < 1) {
      throw new IllegalArgumentException("GATEWAY_ALERT_MAX_ATTEMPTS must be at least 1");
    }
    if (claimLease.compareTo(httpTimeout.multipliedBy(3)) < 0) {
      // a claim must outlast the deliveries made under it, or another instance re-sends early
      throw new IllegalArgumentException("the alert claim lease must be at least 3 HTTP timeouts");
    }
  }

  /** Without email. */
  public AlertSettings(
      Optional<List<Integer>> thresholdsBp,
      Optional<URI> webhookUrl,
      Optional<String> webhookSecret,
      Optional<URI> slackUrl,
      Duration retryFor,
      int maxAttempts,
      Duration firstBackoff,
      Duration maxBackoff,
      Duration poll,
      Duration claimLease,
      Duration httpTimeout) {
    this(
        thresholdsBp,
        webhookUrl,
        webhookSecret,
        slackUrl,
        retryFor,
        maxAttempts,
        firstBackoff,
        maxBackoff,
        poll,
        claimLease,
        httpTimeout,
        Optional.empty(),
        false);
  }

  /** These settings with the email channel {@code smtp}. */
  public AlertSettings withSmtp(SmtpSettings smtp) {
    return new AlertSettings(
        thresholdsBp,
        webhookUrl,
        webhookSecret,
        slackUrl,
        retryFor,
        maxAttempts,
        firstBackoff,
        maxBackoff,
        poll,
        claimLease,
        httpTimeout,
        Optional.of(smtp),
        forecast);
  }

  /** These settings with "projected to exceed" alerts on or off. */
  public AlertSettings withForecast(boolean on) {
    return new AlertSettings(
        thresholdsBp,
        webhookUrl,
        webhookSecret,
        slackUrl,
        retryFor,
        maxAttempts,
        firstBackoff,
        maxBackoff,
        poll,
        claimLease,
        httpTimeout,
        smtp,
        on);
  }

  /** No channel, thresholds left as the database has them. */
  public static AlertSettings off() {
    return new AlertSettings(
        Optional.empty(),
        Optional.empty(),
        Optional.empty(),
        Optional.empty(),
        Duration.ofHours(1),
        20,
        Duration.ofSeconds(1),
        Duration.ofMinutes(5),
        Duration.ofSeconds(1),
        Duration.ofSeconds(60),
        Duration.ofSeconds(10));
  }

  public boolean anyChannel() {
    return webhookUrl.isPresent() || slackUrl.isPresent() || smtp.isPresent();
  }

  public static AlertSettings fromEnv(Map<String, String> env) {
    AlertSettings d = off();
    return new AlertSettings(
        get(env, "GATEWAY_ALERT_THRESHOLDS").map(AlertSettings::fractions),
        get(env, "GATEWAY_ALERT_WEBHOOK_URL").map(v -> url("GATEWAY_ALERT_WEBHOOK_URL", v)),
        get(env, "GATEWAY_ALERT_WEBHOOK_SECRET"),
        get(env, "GATEWAY_ALERT_SLACK_URL").map(v -> url("GATEWAY_ALERT_SLACK_URL", v)),
        get(env, "GATEWAY_ALERT_RETRY_SECONDS")
            .map(v -> Duration.ofSeconds(positive("GATEWAY_ALERT_RETRY_SECONDS", v)))
            .orElse(d.retryFor()),
        get(env, "GATEWAY_ALERT_MAX_ATTEMPTS")
            .map(v -> (int) positive("GATEWAY_ALERT_MAX_ATTEMPTS", v))
            .orElse(d.maxAttempts()),
        d.firstBackoff(),
        d.maxBackoff(),
        get(env, "GATEWAY_ALERT_POLL_MILLIS")
            .map(v -> Duration.ofMillis(positive("GATEWAY_ALERT_POLL_MILLIS", v)))
            .orElse(d.poll()),
        d.claimLease(),
        d.httpTimeout(),
        SmtpSettings.fromEnv(env),
        get(env, "GATEWAY_ALERT_FORECAST")
            .map(v -> flag("GATEWAY_ALERT_FORECAST", v))
            .orElse(false));
  }

  /**
   * {@code "0.5,0.8,1.0"} (or a JSON-ish list's items) as sorted distinct basis points; each in (0,
   * 1] with at most 4 decimals; "" is none.
   */
  public static List<Integer> fractions(String text) {
    List<String> items = new ArrayList<>();
    for (String s : text.split(",")) {
      if (!s.isBlank()) {
        items.add(s.strip());
      }
    }
    return fractions(items);
  }

  public static List<Integer> fractions(List<String> items) {
    return PostgresAlerts.fractionsBp(items);
  }

  private static Optional<String> get(Map<String, String> env, String name) {
    return Optional.ofNullable(env.get(name)).map(String::strip).filter(v -> !v.isEmpty());
  }

  private static URI url(String name, String value) {
    try {
      URI u = URI.create(value);
      if (!("https".equals(u.getScheme()) || "http".equals(u.getScheme())) || u.getHost() == null) {
        throw new IllegalArgumentException();
      }
      return u;
    } catch (IllegalArgumentException e) {
      // the value may carry a token (Slack's URL is a secret): never echo it
      throw new IllegalArgumentException(name + " must be an http(s) URL");
    }
  }

  private static boolean flag(String name, String value) {
    return switch (value.toLowerCase(java.util.Locale.ROOT)) {
      case "true", "on", "yes", "1" -> true;
      case "false", "off", "no", "0" -> false;
      default -> throw new IllegalArgumentException(name + " must be true or false");
    };
  }

  private static long positive(String name, String value) {
    try {
      long v = Long.parseLong(value);
      if (v > 0) {
        return v;
      }
    } catch (NumberFormatException e) {
      // below
    }
    throw new IllegalArgumentException(name + " must be a positive whole number");
  }

  @Override
  public String toString() {
    return "AlertSettings[thresholds="
        + thresholdsBp
        + ", webhook="
        + webhookUrl.isPresent()
        + ", signed="
        + webhookSecret.isPresent()
        + ", slack="
        + slackUrl.isPresent()
        + ", email="
        + smtp.isPresent()
        + ", forecast="
        + forecast
        + ", retryFor="
        + retryFor
        + "]";
  }
}

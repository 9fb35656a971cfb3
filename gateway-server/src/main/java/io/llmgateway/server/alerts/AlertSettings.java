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

  /** Settings built from {@link #off()}'s defaults: no channel, thresholds left to the database. */
  public static Builder builder() {
    return new Builder();
  }

  /** No channel, thresholds left as the database has them. */
  public static AlertSettings off() {
    return builder().build();
  }

  public boolean anyChannel() {
    return webhookUrl.isPresent() || slackUrl.isPresent() || smtp.isPresent();
  }

  public static AlertSettings fromEnv(Map<String, String> env) {
    Builder b = builder();
    get(env, "GATEWAY_ALERT_THRESHOLDS").map(AlertSettings::fractions).ifPresent(b::thresholdsBp);
    get(env, "GATEWAY_ALERT_WEBHOOK_URL")
        .map(v -> url("GATEWAY_ALERT_WEBHOOK_URL", v))
        .ifPresent(b::webhookUrl);
    get(env, "GATEWAY_ALERT_WEBHOOK_SECRET").ifPresent(b::webhookSecret);
    get(env, "GATEWAY_ALERT_SLACK_URL")
        .map(v -> url("GATEWAY_ALERT_SLACK_URL", v))
        .ifPresent(b::slackUrl);
    get(env, "GATEWAY_ALERT_RETRY_SECONDS")
        .map(v -> Duration.ofSeconds(positive("GATEWAY_ALERT_RETRY_SECONDS", v)))
        .ifPresent(b::retryFor);
    get(env, "GATEWAY_ALERT_MAX_ATTEMPTS")
        .map(v -> (int) positive("GATEWAY_ALERT_MAX_ATTEMPTS", v))
        .ifPresent(b::maxAttempts);
    get(env, "GATEWAY_ALERT_POLL_MILLIS")
        .map(v -> Duration.ofMillis(positive("GATEWAY_ALERT_POLL_MILLIS", v)))
        .ifPresent(b::poll);
    SmtpSettings.fromEnv(env).ifPresent(b::smtp);
    get(env, "GATEWAY_ALERT_FORECAST")
        .map(v -> flag("GATEWAY_ALERT_FORECAST", v))
        .ifPresent(b::forecast);
    return b.build();
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

  /**
   * Builds {@link AlertSettings}; unset fields keep {@link #off()}'s defaults (retries for 1 hour,
   * at most 20 attempts, backoff 1 s doubling up to 5 min, poll every second, a 60 s claim lease,
   * 10 s HTTP timeout). Not thread-safe.
   */
  public static final class Builder {
    private Optional<List<Integer>> thresholdsBp = Optional.empty();
    private Optional<URI> webhookUrl = Optional.empty();
    private Optional<String> webhookSecret = Optional.empty();
    private Optional<URI> slackUrl = Optional.empty();
    private Duration retryFor = Duration.ofHours(1);
    private int maxAttempts = 20;
    private Duration firstBackoff = Duration.ofSeconds(1);
    private Duration maxBackoff = Duration.ofMinutes(5);
    private Duration poll = Duration.ofSeconds(1);
    private Duration claimLease = Duration.ofSeconds(60);
    private Duration httpTimeout = Duration.ofSeconds(10);
    private Optional<SmtpSettings> smtp = Optional.empty();
    private boolean forecast;

    private Builder() {}

    public Builder thresholdsBp(List<Integer> value) {
      thresholdsBp = Optional.of(List.copyOf(value));
      return this;
    }

    public Builder webhookUrl(URI value) {
      webhookUrl = Optional.of(value);
      return this;
    }

    public Builder webhookSecret(String value) {
      webhookSecret = Optional.of(value);
      return this;
    }

    public Builder slackUrl(URI value) {
      slackUrl = Optional.of(value);
      return this;
    }

    public Builder retryFor(Duration value) {
      retryFor = Objects.requireNonNull(value);
      return this;
    }

    public Builder maxAttempts(int value) {
      maxAttempts = value;
      return this;
    }

    /** The pause after the first failure and the most it doubles up to. */
    public Builder backoff(Duration first, Duration max) {
      firstBackoff = Objects.requireNonNull(first);
      maxBackoff = Objects.requireNonNull(max);
      return this;
    }

    public Builder poll(Duration value) {
      poll = Objects.requireNonNull(value);
      return this;
    }

    public Builder claimLease(Duration value) {
      claimLease = Objects.requireNonNull(value);
      return this;
    }

    public Builder httpTimeout(Duration value) {
      httpTimeout = Objects.requireNonNull(value);
      return this;
    }

    /** The email channel. */
    public Builder smtp(SmtpSettings value) {
      smtp = Optional.of(value);
      return this;
    }

    /** Also record "projected to exceed" alerts. */
    public Builder forecast(boolean value) {
      forecast = value;
      return this;
    }

    public AlertSettings build() {
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
          forecast);
    }
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

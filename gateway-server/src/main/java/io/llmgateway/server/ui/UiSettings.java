package io.llmgateway.server.ui;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * How the admin UI at {@code /ui} behaves: who may sign in (one operator account, its password as a
 * bcrypt hash; empty: the UI is off and says how to turn it on), when cookies are {@code Secure},
 * how long sessions live, how sign-in failures are throttled and which proxies' {@code
 * X-Forwarded-For} is believed. Immutable and thread-safe; {@link #toString()} never shows the
 * hash. Built with {@link #builder()}.
 *
 * @param admin the operator account, or empty when the UI is disabled
 * @param cookies when the session cookie carries {@code Secure} (and the {@code __Host-} prefix)
 * @param idleTimeout a session unused this long ends
 * @param maxAge a session ends this long after sign-in, however active
 * @param throttle the sign-in limits (per client address as the server resolves it: {@code
 *     GATEWAY_TRUSTED_PROXIES}, {@code ClientAddress})
 * @param oidc single sign-on with an OpenID Connect provider, or empty; the UI is on when this or
 *     {@code admin} (the break-glass account) is set
 */
public record UiSettings(
    Optional<Admin> admin,
    CookieSecurity cookies,
    Duration idleTimeout,
    Duration maxAge,
    Throttle throttle,
    Optional<OidcSettings> oidc) {

  /** When cookies are marked {@code Secure}. */
  public enum CookieSecurity {
    /** When the request came over TLS ({@code X-Forwarded-Proto: https} from the ALB, or https). */
    AUTO,
    ALWAYS,
    NEVER
  }

  /** The operator account: a user name and a bcrypt hash of the password. */
  public record Admin(String username, String passwordHash) {
    public Admin {
      if (username == null || username.isBlank() || username.length() > 256) {
        throw new IllegalArgumentException("UI user name must be 1 to 256 characters");
      }
      if (!Passwords.isBcrypt(passwordHash)) {
        throw new IllegalArgumentException("UI password hash must be a bcrypt hash");
      }
    }

    @Override
    public String toString() {
      return "Admin[" + username + ", hash redacted]";
    }
  }

  /**
   * Sign-in limits within {@code window}. An address is refused (429) after {@code
   * perNameAndAddress} failures for one user name or {@code perAddress} failures for any: that only
   * stops the address that failed. A user name is never locked: after {@code slowAfter} failures
   * from anywhere, each attempt for it waits a delay that doubles per further failure up to {@code
   * maxDelay}, so the real operator still gets in while an attacker spread over many addresses is
   * slowed down.
   */
  public record Throttle(
      int perNameAndAddress, int perAddress, int slowAfter, Duration maxDelay, Duration window) {
    public static final Throttle DEFAULT =
        new Throttle(5, 20, 10, Duration.ofSeconds(8), Duration.ofMinutes(15));

    public Throttle {
      if (perNameAndAddress < 1 || perAddress < perNameAndAddress || slowAfter < 0) {
        throw new IllegalArgumentException(
            "perNameAndAddress must be positive and at most perAddress; slowAfter not negative");
      }
      positive("maxDelay", maxDelay);
      positive("window", window);
    }
  }

  public UiSettings {
    Objects.requireNonNull(admin, "admin");
    Objects.requireNonNull(cookies, "cookies");
    Objects.requireNonNull(throttle, "throttle");
    Objects.requireNonNull(oidc, "oidc");
    positive("idleTimeout", idleTimeout);
    positive("maxAge", maxAge);
  }

  /** 30 minutes idle, 8 hours at most, {@link Throttle#DEFAULT}, no trusted proxies. */
  public static UiSettings of(Admin admin) {
    return builder().admin(admin).build();
  }

  /** True when anyone can sign in: a break-glass account or single sign-on is configured. */
  public boolean enabled() {
    return admin.isPresent() || oidc.isPresent();
  }

  /** The UI answers only with a page saying how to configure it. */
  public static UiSettings disabled() {
    return builder().build();
  }

  public static Builder builder() {
    return new Builder();
  }

  public Builder toBuilder() {
    Builder b = new Builder();
    b.admin = admin;
    b.cookies = cookies;
    b.idleTimeout = idleTimeout;
    b.maxAge = maxAge;
    b.throttle = throttle;
    b.oidc = oidc;
    return b;
  }

  /** Defaults: no account (UI off), AUTO cookies, 30 min idle, 8 h max, default throttle. */
  public static final class Builder {
    private Optional<Admin> admin = Optional.empty();
    private CookieSecurity cookies = CookieSecurity.AUTO;
    private Duration idleTimeout = Duration.ofMinutes(30);
    private Duration maxAge = Duration.ofHours(8);
    private Throttle throttle = Throttle.DEFAULT;
    private Optional<OidcSettings> oidc = Optional.empty();

    private Builder() {}

    public Builder admin(Admin value) {
      admin = Optional.of(value);
      return this;
    }

    public Builder cookies(CookieSecurity value) {
      cookies = value;
      return this;
    }

    public Builder idleTimeout(Duration value) {
      idleTimeout = value;
      return this;
    }

    public Builder maxAge(Duration value) {
      maxAge = value;
      return this;
    }

    public Builder throttle(Throttle value) {
      throttle = value;
      return this;
    }

    public Builder oidc(OidcSettings value) {
      oidc = Optional.of(value);
      return this;
    }

    public UiSettings build() {
      return new UiSettings(admin, cookies, idleTimeout, maxAge, throttle, oidc);
    }
  }

  private static void positive(String name, Duration d) {
    if (d == null || d.isZero() || d.isNegative()) {
      throw new IllegalArgumentException(name + " must be positive");
    }
  }
}

package io.llmgateway.server.boot;

import io.llmgateway.server.ServerConfig;
import io.llmgateway.server.ui.Passwords;
import io.llmgateway.server.ui.UiSettings;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Reads the admin UI's settings from the environment and refuses unsafe ones at startup: {@code
 * GATEWAY_UI_ADMIN_USER} and {@code GATEWAY_UI_ADMIN_PASSWORD_HASH} (bcrypt) come together or not
 * at all; the hash must not be the hash of the master key (the master key is not a password) nor of
 * a well-known default such as LiteLLM's {@code admin123}; {@code GATEWAY_UI_COOKIE_SECURE} is
 * {@code auto}, {@code always} or {@code never}; {@code GATEWAY_TRUSTED_PROXIES} lists the CIDRs
 * whose {@code X-Forwarded-For} is believed for sign-in throttling (none by default). Without an
 * account the UI is off (demo mode generates one, see {@link Bootstrap}). Stateless.
 */
public final class UiEnv {
  /** Passwords that must never protect an admin UI (LiteLLM's README default among them). */
  static final List<String> KNOWN_DEFAULTS =
      List.of("admin123", "admin", "password", "changeme", "sk-1234", "litellm");

  private UiEnv() {}

  public static UiSettings fromEnv(Map<String, String> env, ServerConfig config) {
    Optional<String> user = get(env, "GATEWAY_UI_ADMIN_USER");
    Optional<String> hash = get(env, "GATEWAY_UI_ADMIN_PASSWORD_HASH");
    UiSettings.CookieSecurity cookies =
        switch (get(env, "GATEWAY_UI_COOKIE_SECURE").orElse("auto").toLowerCase(Locale.ROOT)) {
          case "auto" -> UiSettings.CookieSecurity.AUTO;
          case "always", "true" -> UiSettings.CookieSecurity.ALWAYS;
          case "never", "false" -> UiSettings.CookieSecurity.NEVER;
          default ->
              throw new ConfigError("GATEWAY_UI_COOKIE_SECURE must be auto, always or never");
        };
    UiSettings.Builder b = UiSettings.builder().cookies(cookies);
    // sso: single sign-on settings (GATEWAY_OIDC_*); the UI is on with these alone.
    OidcEnv.fromEnv(env).ifPresent(b::oidc);
    if (user.isEmpty() && hash.isEmpty()) {
      return b.build();
    }
    if (user.isEmpty() || hash.isEmpty()) {
      throw new ConfigError(
          "set both GATEWAY_UI_ADMIN_USER and GATEWAY_UI_ADMIN_PASSWORD_HASH for the admin UI, or"
              + " neither (UI off)");
    }
    return b.admin(admin(user.get(), hash.get(), config)).build();
  }

  /** Validates an operator account; see the class comment for what is refused. */
  static UiSettings.Admin admin(String user, String hash, ServerConfig config) {
    if (!Passwords.isBcrypt(hash)) {
      throw new ConfigError(
          "GATEWAY_UI_ADMIN_PASSWORD_HASH must be a bcrypt hash ($2a$/$2b$/$2y$...), e.g. from"
              + " 'bin/gateway hash-password' or"
              + " Terraform's random_password.bcrypt_hash");
    }
    if (config.masterKey().isPresent()
        && Passwords.matches(config.masterKey().get().value().toCharArray(), hash)) {
      throw new ConfigError(
          "GATEWAY_UI_ADMIN_PASSWORD_HASH is the hash of the master key: the master key is not a"
              + " UI password; choose a separate password");
    }
    for (String known : KNOWN_DEFAULTS) {
      if (Passwords.matches(known.toCharArray(), hash)) {
        throw new ConfigError(
            "GATEWAY_UI_ADMIN_PASSWORD_HASH is the hash of a well-known default password; choose"
                + " a real one");
      }
    }
    try {
      return new UiSettings.Admin(user, hash);
    } catch (IllegalArgumentException e) {
      throw new ConfigError("GATEWAY_UI_ADMIN_USER: " + e.getMessage());
    }
  }

  private static Optional<String> get(Map<String, String> env, String name) {
    String v = env.get(name);
    return v == null || v.isBlank() ? Optional.empty() : Optional.of(v.trim());
  }
}

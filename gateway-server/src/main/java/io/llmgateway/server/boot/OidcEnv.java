package io.llmgateway.server.boot;

import io.llmgateway.server.ServerConfig;
import io.llmgateway.server.ui.OidcSettings;
import io.llmgateway.server.ui.RoleMapping;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * Reads single sign-on's settings from the environment ({@code GATEWAY_OIDC_*}, see docs/ui/sso.md)
 * and refuses half-set or wrong ones at startup with a message naming the variable: issuer, client
 * id and secret come together or not at all; the redirect URI is given or derived from {@code
 * GATEWAY_PUBLIC_URL}; the role mapping parses and a group has one role. Stateless.
 */
public final class OidcEnv {
  static final List<String> NAMES =
      List.of(
          "GATEWAY_OIDC_ISSUER",
          "GATEWAY_OIDC_CLIENT_ID",
          "GATEWAY_OIDC_CLIENT_SECRET",
          "GATEWAY_OIDC_REDIRECT_URI",
          "GATEWAY_OIDC_SCOPES",
          "GATEWAY_OIDC_GROUPS_CLAIM",
          "GATEWAY_OIDC_DISPLAY_NAME",
          "GATEWAY_OIDC_CLIENT_AUTH",
          "GATEWAY_OIDC_EMAIL_VERIFIED",
          "GATEWAY_OIDC_ADMIN_GROUPS",
          "GATEWAY_OIDC_VIEWER_GROUPS",
          "GATEWAY_OIDC_TEAM_ADMIN_GROUPS");

  private OidcEnv() {}

  /** The settings, or empty when no {@code GATEWAY_OIDC_*} variable is set (SSO off). */
  public static Optional<OidcSettings> fromEnv(Map<String, String> env) {
    List<String> set = NAMES.stream().filter(n -> get(env, n).isPresent()).toList();
    if (set.isEmpty()) {
      return Optional.empty();
    }
    List<String> missing = new ArrayList<>();
    for (String required :
        List.of("GATEWAY_OIDC_ISSUER", "GATEWAY_OIDC_CLIENT_ID", "GATEWAY_OIDC_CLIENT_SECRET")) {
      if (get(env, required).isEmpty()) {
        missing.add(required);
      }
    }
    Optional<String> redirect =
        get(env, "GATEWAY_OIDC_REDIRECT_URI")
            .or(
                () ->
                    get(env, "GATEWAY_PUBLIC_URL")
                        .map(u -> u.replaceAll("/+$", "") + OidcSettings.CALLBACK_PATH));
    if (redirect.isEmpty()) {
      missing.add("GATEWAY_OIDC_REDIRECT_URI (or GATEWAY_PUBLIC_URL)");
    }
    if (!missing.isEmpty()) {
      throw new ConfigError(
          "single sign-on is half configured ("
              + String.join(", ", set)
              + " set): also set "
              + String.join(", ", missing)
              + ", or unset every GATEWAY_OIDC_* variable (see docs/ui/sso.md)");
    }
    RoleMapping roles = roles(env);
    try {
      return Optional.of(
          new OidcSettings(
              uri("GATEWAY_OIDC_ISSUER", get(env, "GATEWAY_OIDC_ISSUER").get()),
              get(env, "GATEWAY_OIDC_CLIENT_ID").get(),
              new ServerConfig.Secret(get(env, "GATEWAY_OIDC_CLIENT_SECRET").get()),
              uri("GATEWAY_OIDC_REDIRECT_URI", redirect.get()),
              List.of(get(env, "GATEWAY_OIDC_SCOPES").orElse("openid email profile").split("\\s+")),
              get(env, "GATEWAY_OIDC_GROUPS_CLAIM").orElse("groups"),
              get(env, "GATEWAY_OIDC_DISPLAY_NAME").orElse("single sign-on"),
              clientAuth(env),
              emailTrust(env),
              roles,
              Duration.ofSeconds(5)));
    } catch (IllegalArgumentException e) {
      throw new ConfigError("GATEWAY_OIDC_*: " + e.getMessage());
    }
  }

  static RoleMapping roles(Map<String, String> env) {
    Set<String> admins = RoleMapping.parseList(get(env, "GATEWAY_OIDC_ADMIN_GROUPS").orElse(""));
    Set<String> viewers = RoleMapping.parseList(get(env, "GATEWAY_OIDC_VIEWER_GROUPS").orElse(""));
    Map<String, Set<String>> teams;
    try {
      teams = RoleMapping.parseTeamGroups(get(env, "GATEWAY_OIDC_TEAM_ADMIN_GROUPS").orElse(""));
    } catch (IllegalArgumentException e) {
      throw new ConfigError(
          "GATEWAY_OIDC_TEAM_ADMIN_GROUPS: "
              + e.getMessage()
              + " (format: group=team-id[,team-id];group2=team-id)");
    }
    // A group with two roles is a typo or a misunderstanding: say so rather than pick one.
    Set<String> twice = new TreeSet<>(admins);
    twice.retainAll(viewers);
    Set<String> teamTwice = new TreeSet<>(teams.keySet());
    teamTwice.retainAll(union(admins, viewers));
    twice.addAll(teamTwice);
    if (!twice.isEmpty()) {
      throw new ConfigError(
          "GATEWAY_OIDC_*_GROUPS: group(s) "
              + twice
              + " are mapped to more than one role; give each group one role");
    }
    return new RoleMapping(admins, viewers, teams);
  }

  private static Set<String> union(Set<String> a, Set<String> b) {
    Set<String> out = new TreeSet<>(a);
    out.addAll(b);
    return out;
  }

  private static OidcSettings.ClientAuth clientAuth(Map<String, String> env) {
    return switch (get(env, "GATEWAY_OIDC_CLIENT_AUTH")
        .orElse("client_secret_basic")
        .toLowerCase(Locale.ROOT)) {
      case "client_secret_basic" -> OidcSettings.ClientAuth.CLIENT_SECRET_BASIC;
      case "client_secret_post" -> OidcSettings.ClientAuth.CLIENT_SECRET_POST;
      default ->
          throw new ConfigError(
              "GATEWAY_OIDC_CLIENT_AUTH must be client_secret_basic or client_secret_post");
    };
  }

  private static OidcSettings.EmailTrust emailTrust(Map<String, String> env) {
    return switch (get(env, "GATEWAY_OIDC_EMAIL_VERIFIED")
        .orElse("if_claimed")
        .toLowerCase(Locale.ROOT)) {
      case "if_claimed" -> OidcSettings.EmailTrust.IF_CLAIMED;
      case "required" -> OidcSettings.EmailTrust.REQUIRED;
      default ->
          throw new ConfigError("GATEWAY_OIDC_EMAIL_VERIFIED must be if_claimed or required");
    };
  }

  private static URI uri(String name, String value) {
    try {
      return new URI(value);
    } catch (URISyntaxException e) {
      throw new ConfigError(name + " is not a URL: " + e.getReason());
    }
  }

  private static Optional<String> get(Map<String, String> env, String name) {
    String v = env.get(name);
    return v == null || v.isBlank() ? Optional.empty() : Optional.of(v.trim());
  }
}

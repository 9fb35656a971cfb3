package io.llmgateway.server.boot;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.llmgateway.core.identity.Grant;
import io.llmgateway.server.ui.OidcSettings;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Single sign-on's environment: complete settings parse; half-set or wrong ones stop startup. */
class OidcEnvTest {
  private static Map<String, String> env(String... kv) {
    Map<String, String> m = new HashMap<>();
    m.put("GATEWAY_OIDC_ISSUER", "https://corp.okta.com/oauth2/default");
    m.put("GATEWAY_OIDC_CLIENT_ID", "0oa1gateway");
    m.put("GATEWAY_OIDC_CLIENT_SECRET", "s3cret-value");
    m.put("GATEWAY_OIDC_REDIRECT_URI", "https://gateway.corp.example/ui/oidc/callback");
    for (int i = 0; i < kv.length; i += 2) {
      if (kv[i + 1] == null) {
        m.remove(kv[i]);
      } else {
        m.put(kv[i], kv[i + 1]);
      }
    }
    return m;
  }

  @Test
  void noOidcVariableMeansSingleSignOnIsOff() {
    assertThat(OidcEnv.fromEnv(Map.of("GATEWAY_UI_ADMIN_USER", "ops"))).isEmpty();
  }

  @Test
  void aCompleteConfigurationParsesWithDefaultsAndTheRoleMapping() {
    OidcSettings s =
        OidcEnv.fromEnv(
                env(
                    "GATEWAY_OIDC_ADMIN_GROUPS", "gw-admins, platform",
                    "GATEWAY_OIDC_VIEWER_GROUPS", "auditors",
                    "GATEWAY_OIDC_TEAM_ADMIN_GROUPS", "eng-leads=team-eng,team-infra; ml=team-ml"))
            .orElseThrow();

    assertThat(s.scopes()).containsExactly("openid", "email", "profile");
    assertThat(s.groupsClaim()).isEqualTo("groups");
    assertThat(s.clientAuth()).isEqualTo(OidcSettings.ClientAuth.CLIENT_SECRET_BASIC);
    assertThat(s.toString()).doesNotContain("s3cret-value");
    assertThat(s.roles().grantFor(List.of("platform"))).hasValue(new Grant.ProxyAdmin());
    assertThat(s.roles().grantFor(List.of("eng-leads", "ml")))
        .hasValue(new Grant.TeamAdmin(Set.of("team-eng", "team-infra", "team-ml")));
    assertThat(s.roles().grantFor(List.of("auditors"))).hasValue(new Grant.Viewer());
    assertThat(s.roles().grantFor(List.of("sales"))).isEmpty();
  }

  @Test
  void theRedirectUriCanBeDerivedFromThePublicUrl() {
    OidcSettings s =
        OidcEnv.fromEnv(
                env(
                    "GATEWAY_OIDC_REDIRECT_URI",
                    null,
                    "GATEWAY_PUBLIC_URL",
                    "https://gateway.corp.example/"))
            .orElseThrow();

    assertThat(s.redirectUri()).hasToString("https://gateway.corp.example/ui/oidc/callback");
  }

  @Test
  void halfSetConfigurationIsRefusedNamingWhatIsMissing() {
    assertThatThrownBy(() -> OidcEnv.fromEnv(env("GATEWAY_OIDC_CLIENT_SECRET", null)))
        .isInstanceOf(ConfigError.class)
        .hasMessageContaining("half configured")
        .hasMessageContaining("GATEWAY_OIDC_CLIENT_SECRET");
    assertThatThrownBy(() -> OidcEnv.fromEnv(Map.of("GATEWAY_OIDC_ADMIN_GROUPS", "gw-admins")))
        .isInstanceOf(ConfigError.class)
        .hasMessageContaining("GATEWAY_OIDC_ISSUER");
  }

  @Test
  void wrongValuesAreRefusedWithTheVariablesName() {
    assertThatThrownBy(
            () -> OidcEnv.fromEnv(env("GATEWAY_OIDC_TEAM_ADMIN_GROUPS", "eng-leads:team-eng")))
        .isInstanceOf(ConfigError.class)
        .hasMessageContaining("GATEWAY_OIDC_TEAM_ADMIN_GROUPS")
        .hasMessageContaining("group=team-id");
    assertThatThrownBy(
            () ->
                OidcEnv.fromEnv(
                    env(
                        "GATEWAY_OIDC_ADMIN_GROUPS", "ops",
                        "GATEWAY_OIDC_VIEWER_GROUPS", "ops")))
        .isInstanceOf(ConfigError.class)
        .hasMessageContaining("more than one role");
    assertThatThrownBy(() -> OidcEnv.fromEnv(env("GATEWAY_OIDC_ISSUER", "http://idp.corp.example")))
        .isInstanceOf(ConfigError.class)
        .hasMessageContaining("https");
    assertThatThrownBy(
            () ->
                OidcEnv.fromEnv(
                    env("GATEWAY_OIDC_REDIRECT_URI", "https://gateway.corp.example/callback")))
        .isInstanceOf(ConfigError.class)
        .hasMessageContaining("/ui/oidc/callback");
    assertThatThrownBy(() -> OidcEnv.fromEnv(env("GATEWAY_OIDC_SCOPES", "email profile")))
        .isInstanceOf(ConfigError.class)
        .hasMessageContaining("openid");
    assertThatThrownBy(() -> OidcEnv.fromEnv(env("GATEWAY_OIDC_CLIENT_AUTH", "private_key_jwt")))
        .isInstanceOf(ConfigError.class)
        .hasMessageContaining("GATEWAY_OIDC_CLIENT_AUTH");
  }
}

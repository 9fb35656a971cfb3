package io.llmgateway.server.boot;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.llmgateway.server.ServerConfig;
import io.llmgateway.server.ui.Passwords;
import io.llmgateway.server.ui.UiSettings;
import java.util.Map;
import org.junit.jupiter.api.Test;

class UiEnvTest {
  private static final String MASTER = "sk-master-key-for-ui-env-test-0123";
  private static final ServerConfig CONFIG =
      ServerConfig.forTests().toBuilder().masterKey(MASTER).build();

  private static String hash(String password) {
    return Passwords.hash(password.toCharArray(), 4);
  }

  @Test
  void theUiIsOffWithoutAnAccount() {
    UiSettings s = UiEnv.fromEnv(Map.of(), CONFIG);

    assertThat(s.admin()).isEmpty();
  }

  @Test
  void acceptsAUserWithABcryptHash() {
    UiSettings s =
        UiEnv.fromEnv(
            Map.of(
                "GATEWAY_UI_ADMIN_USER", "ops",
                "GATEWAY_UI_ADMIN_PASSWORD_HASH", hash("a long random passphrase"),
                "GATEWAY_UI_COOKIE_SECURE", "always"),
            CONFIG);

    assertThat(s.admin()).hasValueSatisfying(a -> assertThat(a.username()).isEqualTo("ops"));
    assertThat(s.cookies()).isEqualTo(UiSettings.CookieSecurity.ALWAYS);
    assertThat(s.toString()).doesNotContain("$2");
  }

  @Test
  void refusesHalfAnAccount() {
    assertThatThrownBy(() -> UiEnv.fromEnv(Map.of("GATEWAY_UI_ADMIN_USER", "ops"), CONFIG))
        .isInstanceOf(ConfigError.class)
        .hasMessageContaining("set both");
  }

  @Test
  void refusesAPlainPasswordInThePlaceOfAHash() {
    assertThatThrownBy(
            () ->
                UiEnv.fromEnv(
                    Map.of(
                        "GATEWAY_UI_ADMIN_USER", "ops",
                        "GATEWAY_UI_ADMIN_PASSWORD_HASH", "admin123"),
                    CONFIG))
        .isInstanceOf(ConfigError.class)
        .hasMessageContaining("must be a bcrypt hash")
        .hasMessageNotContaining("admin123");
  }

  @Test
  void refusesTheMasterKeyAsThePassword() {
    assertThatThrownBy(
            () ->
                UiEnv.fromEnv(
                    Map.of(
                        "GATEWAY_UI_ADMIN_USER",
                        "ops",
                        "GATEWAY_UI_ADMIN_PASSWORD_HASH",
                        hash(MASTER)),
                    CONFIG))
        .isInstanceOf(ConfigError.class)
        .hasMessageContaining("master key is not a UI password");
  }

  @Test
  void refusesWellKnownDefaultPasswordsSuchAsLiteLlmsAdmin123() {
    assertThatThrownBy(
            () ->
                UiEnv.fromEnv(
                    Map.of(
                        "GATEWAY_UI_ADMIN_USER",
                        "admin",
                        "GATEWAY_UI_ADMIN_PASSWORD_HASH",
                        hash("admin123")),
                    CONFIG))
        .isInstanceOf(ConfigError.class)
        .hasMessageContaining("well-known default");
  }

  @Test
  void refusesAnUnknownCookieMode() {
    assertThatThrownBy(() -> UiEnv.fromEnv(Map.of("GATEWAY_UI_COOKIE_SECURE", "sometimes"), CONFIG))
        .isInstanceOf(ConfigError.class);
  }
}

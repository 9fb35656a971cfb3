package io.llmgateway.bedrock;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class BedrockSettingsTest {
  private static final URI ENDPOINT = URI.create("http://127.0.0.1:1/");

  /** Every field set, each to a value no other field has, so a swap in build() shows. */
  private static BedrockSettings everyField() {
    return BedrockSettings.builder()
        .endpoint(ENDPOINT)
        .connectTimeout(Duration.ofSeconds(1))
        .firstByteTimeout(Duration.ofSeconds(2))
        .streamIdleTimeout(Duration.ofSeconds(3))
        .callTimeout(Duration.ofSeconds(4))
        .probeTimeout(Duration.ofSeconds(5))
        .healthCacheTtl(Duration.ofSeconds(6))
        .staticCredentials("AKID", "wJalr-the-secret")
        .maxConnections(7)
        .build();
  }

  @Test
  void eachSetterFillsTheFieldOfItsOwnName() {
    BedrockSettings s = everyField();

    assertThat(s.endpoint()).contains(ENDPOINT);
    assertThat(s.connectTimeout()).isEqualTo(Duration.ofSeconds(1));
    assertThat(s.firstByteTimeout()).isEqualTo(Duration.ofSeconds(2));
    assertThat(s.streamIdleTimeout()).isEqualTo(Duration.ofSeconds(3));
    assertThat(s.callTimeout()).isEqualTo(Duration.ofSeconds(4));
    assertThat(s.probeTimeout()).isEqualTo(Duration.ofSeconds(5));
    assertThat(s.healthCacheTtl()).isEqualTo(Duration.ofSeconds(6));
    assertThat(s.staticCredentials())
        .contains(new BedrockSettings.StaticCredentials("AKID", "wJalr-the-secret"));
    assertThat(s.maxConnections()).isEqualTo(7);
  }

  @Test
  void theBuilderStartsFromTheDefaultsAndToBuilderFromTheSettings() {
    assertThat(BedrockSettings.builder().build()).isEqualTo(BedrockSettings.defaults());
    assertThat(everyField().toBuilder().build()).isEqualTo(everyField());

    BedrockSettings changed = everyField().toBuilder().callTimeout(Duration.ofMinutes(9)).build();
    assertThat(changed.callTimeout()).isEqualTo(Duration.ofMinutes(9));
    assertThat(changed.toBuilder().callTimeout(Duration.ofSeconds(4)).build())
        .isEqualTo(everyField());
  }

  @Test
  void buildChecksTheValuesAsTheConstructorDoes() {
    assertThatThrownBy(() -> BedrockSettings.builder().callTimeout(Duration.ZERO).build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("callTimeout");
    assertThatThrownBy(() -> BedrockSettings.builder().maxConnections(-1).build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("maxConnections");
    assertThatThrownBy(
            () -> BedrockSettings.builder().healthCacheTtl(Duration.ofSeconds(-1)).build())
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> BedrockSettings.builder().staticCredentials("AKID", " "))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> BedrockSettings.builder().endpoint(null))
        .isInstanceOf(NullPointerException.class);
  }

  @Test
  void theSecretIsNeverShown() {
    assertThat(everyField().toString()).doesNotContain("wJalr-the-secret").contains("AKID");
  }
}

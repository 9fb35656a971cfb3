package io.llmgateway.server.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class ClientAddressTest {
  private static final List<ClientAddress.Cidr> ALB = ClientAddress.parseList("10.0.0.0/16");

  @Test
  void aClientThatIsNotATrustedProxyIsItsSocketAddressWhateverItClaims() {
    assertThat(ClientAddress.resolve("203.0.113.5", "198.51.100.1", ALB)).isEqualTo("203.0.113.5");
    assertThat(ClientAddress.resolve("203.0.113.5", "198.51.100.1", List.of()))
        .isEqualTo("203.0.113.5");
  }

  @Test
  void behindTheProxyTheEntryItAppendedIsTheClientNotWhatTheClientSent() {
    // The client forged "1.2.3.4"; the ALB (10.0.1.9) appended the real peer 198.51.100.7.
    assertThat(ClientAddress.resolve("10.0.1.9", "1.2.3.4, 198.51.100.7", ALB))
        .isEqualTo("198.51.100.7");
    // Two trusted hops: walk past both.
    assertThat(ClientAddress.resolve("10.0.1.9", "1.2.3.4, 198.51.100.7, 10.0.2.2", ALB))
        .isEqualTo("198.51.100.7");
    assertThat(ClientAddress.resolve("10.0.1.9", null, ALB)).isEqualTo("10.0.1.9");
  }

  @Test
  void cidrsMatchByPrefixForBothFamiliesAndHostNamesAreNeverResolved() {
    ClientAddress.Cidr v6 = ClientAddress.Cidr.parse("fd00::/8");
    assertThat(v6.contains(ClientAddress.literal("fd12::1").orElseThrow())).isTrue();
    assertThat(v6.contains(ClientAddress.literal("fe80::1").orElseThrow())).isFalse();
    assertThat(v6.contains(ClientAddress.literal("10.0.0.1").orElseThrow())).isFalse();
    assertThat(ClientAddress.literal("example.com")).isEmpty();
    assertThat(ClientAddress.literal("999.1.1.1")).isEmpty();
    assertThatThrownBy(() -> ClientAddress.parseList("10.0.0.0/33"))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> ClientAddress.parseList("alb.internal"))
        .isInstanceOf(IllegalArgumentException.class);
  }
}

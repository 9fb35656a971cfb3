package io.llmgateway.server.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Forwarded headers count only when the socket peer is a configured proxy. */
class ClientAddressTest {
  final ClientAddress alb = new ClientAddress(List.of("10.0.0.0/16", "2600:1f18::/32"));

  @Test
  void aDirectCallerIsItsSocketPeerWhateverItsHeadersSay() {
    assertThat(alb.resolve("198.51.100.9", List.of("203.0.113.1"))).isEqualTo("198.51.100.9");
    assertThat(new ClientAddress(List.of()).resolve("10.0.1.2", List.of("203.0.113.1")))
        .isEqualTo("10.0.1.2");
  }

  @Test
  void behindTheProxyTheRightMostUntrustedHopIsTheClient() {
    // The client wrote "1.2.3.4" itself; the ALB appended the address it saw.
    assertThat(alb.resolve("10.0.3.4", List.of("1.2.3.4", "203.0.113.7"))).isEqualTo("203.0.113.7");
    assertThat(alb.resolve("10.0.3.4", List.of("203.0.113.7", "10.0.9.9")))
        .isEqualTo("203.0.113.7");
    assertThat(alb.resolve("2600:1f18:1:2::5", List.of("2001:db8::1"))).isEqualTo("2001:db8::1");
    assertThat(alb.resolve("10.0.3.4", List.of())).isEqualTo("10.0.3.4");
  }

  @Test
  void aForwardedValueThatIsNoAddressIsNotBelieved() {
    assertThat(alb.resolve("10.0.3.4", List.of("evil.example.com"))).isEqualTo("10.0.3.4");
    assertThat(alb.resolve("10.0.3.4", List.of("unknown"))).isEqualTo("10.0.3.4");
  }

  @Test
  void prefixesAreHonouredToTheBit() {
    ClientAddress narrow = new ClientAddress(List.of("192.168.1.128/25"));
    assertThat(narrow.resolve("192.168.1.200", List.of("203.0.113.7"))).isEqualTo("203.0.113.7");
    assertThat(narrow.resolve("192.168.1.100", List.of("203.0.113.7"))).isEqualTo("192.168.1.100");
  }

  @Test
  void refusesHostNamesAndBadPrefixesWithoutResolvingThem() {
    assertThatThrownBy(() -> new ClientAddress(List.of("alb.internal")))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new ClientAddress(List.of("10.0.0.0/33")))
        .isInstanceOf(IllegalArgumentException.class);
  }
}

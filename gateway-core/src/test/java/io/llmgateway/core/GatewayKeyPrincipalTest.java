package io.llmgateway.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.llmgateway.core.error.AuthenticationException;
import io.llmgateway.core.identity.KeyHash;
import io.llmgateway.core.identity.Principal;
import io.llmgateway.core.identity.RateLimits;
import io.llmgateway.core.testing.TestWorld;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * {@link Gateway#keyPrincipal} (the admin UI playground's way to act as a picked key) loads the
 * same principal as {@link Gateway#authenticate} and refuses exactly the keys it refuses: an
 * operator cannot spend through a blocked or expired key by picking it instead of pasting it.
 */
class GatewayKeyPrincipalTest {
  private final TestWorld world = new TestWorld();
  private final Gateway gateway = world.gateway();

  private String idOf(String plaintext) {
    return world.stores.keys().findByHash(KeyHash.of(plaintext)).orElseThrow().id();
  }

  @Test
  void anActiveKeysPrincipalByIdIsTheOneItsValueAuthenticatesAs() {
    String key = world.userWithKey("a@example.com", "drafting");

    Principal.Keyed byId = gateway.keyPrincipal(idOf(key));

    assertThat(byId).isEqualTo(gateway.authenticate(key));
    assertThat(byId.team()).isPresent();
    assertThat(byId.user()).isPresent();
  }

  @Test
  void aBlockedExpiredOrUnknownKeyIsRefusedByIdAsByValue() {
    world.userWithKey("a@example.com", "drafting");
    String blocked =
        world.keyFor("a@example.com", "drafting", RateLimits.NONE, true, Optional.empty());
    String expired =
        world.keyFor(
            "a@example.com",
            "drafting",
            RateLimits.NONE,
            false,
            Optional.of(world.clock.instant().minusSeconds(1)));

    assertThatThrownBy(() -> gateway.keyPrincipal(idOf(blocked)))
        .isInstanceOf(AuthenticationException.class)
        .hasMessageContaining("blocked");
    assertThatThrownBy(() -> gateway.keyPrincipal(idOf(expired)))
        .isInstanceOf(AuthenticationException.class)
        .hasMessageContaining("expired");
    assertThatThrownBy(() -> gateway.keyPrincipal("key_nope"))
        .isInstanceOf(AuthenticationException.class);
  }
}

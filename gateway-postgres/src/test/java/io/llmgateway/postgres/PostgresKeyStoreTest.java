package io.llmgateway.postgres;

import static io.llmgateway.postgres.TestData.NOW;
import static io.llmgateway.postgres.TestData.id;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.llmgateway.core.PageRequest;
import io.llmgateway.core.error.ConflictException;
import io.llmgateway.core.error.NotFoundException;
import io.llmgateway.core.identity.ApiKeys;
import io.llmgateway.core.identity.KeyHash;
import io.llmgateway.core.identity.KeyQuery;
import io.llmgateway.core.identity.Principal;
import io.llmgateway.core.identity.VirtualKey;
import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class PostgresKeyStoreTest extends PostgresTestBase {

  @Test
  void findsThePrincipalWithUserAndTeamInOneLookup() {
    var team = TestData.team(id("team"));
    stores.teams().insert(team);
    var user = TestData.user(id("user"), Optional.of(team.id()));
    stores.users().insert(user);
    String plain = ApiKeys.generate();
    VirtualKey key = TestData.key(id("key"), plain, Optional.of(user.id()), Optional.empty());
    stores.keys().insert(key);

    Principal.Keyed p = stores.keys().findPrincipal(KeyHash.of(plain), NOW).orElseThrow();

    assertThat(p.key()).isEqualTo(key);
    assertThat(p.user()).contains(user);
    assertThat(p.team()).contains(team); // the user's team, as the key names none
    assertThat(key.displayPrefix()).startsWith("sk-...").hasSize(10);
  }

  @Test
  void aKeysOwnTeamWinsOverItsUsersTeam() {
    var t1 = TestData.team(id("team"));
    var t2 = TestData.team(id("team"));
    stores.teams().insert(t1);
    stores.teams().insert(t2);
    var user = TestData.user(id("user"), Optional.of(t1.id()));
    stores.users().insert(user);
    String plain = ApiKeys.generate();
    stores
        .keys()
        .insert(TestData.key(id("key"), plain, Optional.of(user.id()), Optional.of(t2.id())));
    assertThat(stores.keys().findPrincipal(KeyHash.of(plain), NOW).orElseThrow().team())
        .contains(t2);
  }

  @Test
  void aKeyWithoutOwnerHasNoUserOrTeam() {
    String plain = ApiKeys.generate();
    stores.keys().insert(TestData.key(id("key"), plain, Optional.empty(), Optional.empty()));
    Principal.Keyed p = stores.keys().findPrincipal(KeyHash.of(plain), NOW).orElseThrow();
    assertThat(p.user()).isEmpty();
    assertThat(p.team()).isEmpty();
  }

  @Test
  void anUnknownHashFindsNothing() {
    assertThat(stores.keys().findPrincipal(KeyHash.of(ApiKeys.generate()), NOW)).isEmpty();
  }

  @Test
  void aRotatedKeysPreviousHashWorksOnlyDuringItsGracePeriod() {
    String oldPlain = ApiKeys.generate();
    String newPlain = ApiKeys.generate();
    VirtualKey k = TestData.key(id("key"), oldPlain, Optional.empty(), Optional.empty());
    stores.keys().insert(k);
    Instant graceUntil = NOW.plusSeconds(3600);
    VirtualKey rotated =
        new VirtualKey(
            k.id(),
            KeyHash.of(newPlain),
            ApiKeys.displayPrefix(newPlain),
            k.alias(),
            k.userId(),
            k.teamId(),
            k.role(),
            k.models(),
            k.budgets(),
            k.rateLimits(),
            k.blocked(),
            k.expiresAt(),
            Optional.of(k.hash()),
            Optional.of(graceUntil),
            k.metadata(),
            k.createdAt(),
            NOW,
            Optional.empty());
    stores.keys().update(rotated);

    assertThat(stores.keys().findPrincipal(KeyHash.of(newPlain), NOW)).isPresent();
    assertThat(stores.keys().findPrincipal(KeyHash.of(oldPlain), NOW).orElseThrow().key())
        .isEqualTo(rotated);
    assertThat(stores.keys().findPrincipal(KeyHash.of(oldPlain), graceUntil)).isEmpty();
    assertThat(stores.keys().findByHash(KeyHash.of(oldPlain))).isEmpty();
  }

  @Test
  void findsByIdHashAndAlias() {
    String plain = ApiKeys.generate();
    VirtualKey k = TestData.key(id("key"), plain, Optional.empty(), Optional.empty());
    stores.keys().insert(k);
    assertThat(stores.keys().findById(k.id())).contains(k);
    assertThat(stores.keys().findByHash(KeyHash.of(plain))).contains(k);
    assertThat(stores.keys().findByAlias(k.alias().orElseThrow())).contains(k);
  }

  @Test
  void refusesADuplicateAliasOrHashWithoutEchoingTheHash() {
    String plain = ApiKeys.generate();
    VirtualKey k = TestData.key(id("key"), plain, Optional.empty(), Optional.empty());
    stores.keys().insert(k);
    VirtualKey sameAlias =
        TestData.key(
            k.id().replace("key", "kez"), ApiKeys.generate(), Optional.empty(), Optional.empty());
    VirtualKey sameAliasForReal =
        new VirtualKey(
            id("key"),
            sameAlias.hash(),
            sameAlias.displayPrefix(),
            k.alias(),
            Optional.empty(),
            Optional.empty(),
            k.role(),
            k.models(),
            k.budgets(),
            k.rateLimits(),
            false,
            Optional.empty(),
            Optional.empty(),
            Optional.empty(),
            k.metadata(),
            NOW,
            NOW,
            Optional.empty());
    VirtualKey sameHash = TestData.key(id("key"), plain, Optional.empty(), Optional.empty());
    assertThatThrownBy(() -> stores.keys().insert(sameAliasForReal))
        .isInstanceOf(ConflictException.class)
        .hasMessageContaining("alias");
    assertThatThrownBy(() -> stores.keys().insert(sameHash))
        .isInstanceOf(ConflictException.class)
        .hasMessageNotContaining(k.hash().hex());
  }

  @Test
  void blockedAndExpiryRoundTrip() {
    String plain = ApiKeys.generate();
    VirtualKey k = TestData.key(id("key"), plain, Optional.empty(), Optional.empty());
    stores.keys().insert(k);
    VirtualKey blocked =
        new VirtualKey(
            k.id(),
            k.hash(),
            k.displayPrefix(),
            Optional.empty(),
            k.userId(),
            k.teamId(),
            k.role(),
            k.models(),
            k.budgets(),
            k.rateLimits(),
            true,
            Optional.of(NOW.plusSeconds(60)),
            Optional.empty(),
            Optional.empty(),
            k.metadata(),
            k.createdAt(),
            NOW,
            Optional.empty());
    stores.keys().update(blocked);
    assertThat(stores.keys().findById(k.id())).contains(blocked);
  }

  @Test
  void updatingAMissingKeyIsNotFoundAndDeleteReportsWhetherItExisted() {
    VirtualKey k = TestData.key(id("key"), ApiKeys.generate(), Optional.empty(), Optional.empty());
    assertThatThrownBy(() -> stores.keys().update(k)).isInstanceOf(NotFoundException.class);
    stores.keys().insert(k);
    assertThat(stores.keys().delete(k.id())).isTrue();
    assertThat(stores.keys().delete(k.id())).isFalse();
  }

  @Test
  void listsKeysFilteredByUserAndTeam() {
    var team = TestData.team(id("team"));
    stores.teams().insert(team);
    var user = TestData.user(id("user"), Optional.of(team.id()));
    stores.users().insert(user);
    VirtualKey a =
        TestData.key(id("key"), ApiKeys.generate(), Optional.of(user.id()), Optional.of(team.id()));
    VirtualKey b =
        TestData.key(id("key"), ApiKeys.generate(), Optional.of(user.id()), Optional.empty());
    stores.keys().insert(a);
    stores.keys().insert(b);
    var byUser =
        stores.keys().list(KeyQuery.builder(PageRequest.first(10)).user(user.id()).build());
    var byTeam =
        stores.keys().list(KeyQuery.builder(PageRequest.first(10)).team(team.id()).build());
    assertThat(byUser.items()).containsExactlyInAnyOrder(a, b);
    assertThat(byTeam.items()).containsExactly(a);
    assertThat(byTeam.total()).isEqualTo(1);
  }
}

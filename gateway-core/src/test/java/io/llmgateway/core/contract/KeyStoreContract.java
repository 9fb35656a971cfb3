package io.llmgateway.core.contract;

import static io.llmgateway.core.testing.Fixtures.T0;
import static io.llmgateway.core.testing.Fixtures.key;
import static io.llmgateway.core.testing.Fixtures.team;
import static io.llmgateway.core.testing.Fixtures.user;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.llmgateway.core.PageRequest;
import io.llmgateway.core.Sort;
import io.llmgateway.core.Stores;
import io.llmgateway.core.budget.BudgetLimit;
import io.llmgateway.core.error.ConflictException;
import io.llmgateway.core.error.NotFoundException;
import io.llmgateway.core.identity.KeyHash;
import io.llmgateway.core.identity.KeyQuery;
import io.llmgateway.core.identity.KeyRole;
import io.llmgateway.core.identity.KeyStatus;
import io.llmgateway.core.identity.KeyStore;
import io.llmgateway.core.identity.Principal;
import io.llmgateway.core.identity.VirtualKey;
import io.llmgateway.core.money.Money;
import io.llmgateway.core.testing.Fixtures;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** What every {@link KeyStore} must do. Subclass it with a factory for fresh, empty stores. */
public abstract class KeyStoreContract {

  /** Fresh, empty stores for each test. */
  protected abstract Stores newStores();

  protected Stores stores;
  protected KeyStore keys;

  @BeforeEach
  void setUpStores() {
    stores = newStores();
    keys = stores.keys();
    stores.teams().insert(team("t1").models("model-cheap").build());
    stores.teams().insert(team("t2").build());
    stores.users().insert(user("u1").team("t1").build());
    stores.users().insert(user("u2").team("t2").build());
  }

  @Test
  void findsAnInsertedKeyByIdHashAndAlias() {
    var b = key("k1").alias("ci").user("u1").team("t1");
    VirtualKey k = b.build();
    keys.insert(k);

    assertThat(keys.findById("k1")).contains(k);
    assertThat(keys.findByHash(KeyHash.of(b.plaintext()))).contains(k);
    assertThat(keys.findByAlias("ci")).contains(k);
    assertThat(keys.findById("nope")).isEmpty();
    assertThat(keys.findByHash(KeyHash.of("sk-unknown"))).isEmpty();
    assertThat(keys.findByAlias("nope")).isEmpty();
  }

  @Test
  void roundTripsEveryFieldOfAKey() {
    VirtualKey k =
        key("k1")
            .alias("full")
            .user("u1")
            .team("t1")
            .role(KeyRole.TEAM_ADMIN)
            .models("model-cheap", "model-smart")
            .budget(BudgetLimit.daily(Money.ofUsd("0.017")))
            .budget(BudgetLimit.monthly(Money.ofUsd("0.5")))
            .rateLimits(Fixtures.rateLimits(10, 5000, 2))
            .blocked(true)
            .expiresAt(T0.plus(Duration.ofDays(30)))
            .previous("sk-old-value", T0.plusSeconds(3600))
            .metadata(Map.of("owner", "platform", "purpose", "ci"))
            .build();
    keys.insert(k);

    assertThat(keys.findById("k1")).contains(k);
  }

  @Test
  void refusesASecondKeyWithTheSameAlias() {
    keys.insert(key("k1").alias("same").build());

    assertThatThrownBy(() -> keys.insert(key("k2").alias("same").build()))
        .isInstanceOf(ConflictException.class);
    assertThat(keys.findById("k2")).isEmpty();
  }

  @Test
  void refusesASecondKeyWithTheSameHash() {
    keys.insert(key("k1").plaintext("sk-shared").build());

    assertThatThrownBy(() -> keys.insert(key("k2").plaintext("sk-shared").build()))
        .isInstanceOf(ConflictException.class);
  }

  @Test
  void refusesASecondKeyWithTheSameId() {
    keys.insert(key("k1").build());

    assertThatThrownBy(() -> keys.insert(key("k1").plaintext("sk-other").build()))
        .isInstanceOf(ConflictException.class);
  }

  @Test
  void updateReplacesTheKeyWithTheSameId() {
    keys.insert(key("k1").user("u1").build());
    VirtualKey changed = key("k1").plaintext("sk-rotated").user("u1").blocked(true).build();

    keys.update(changed);

    assertThat(keys.findById("k1")).contains(changed);
    assertThat(keys.findByHash(KeyHash.of("sk-test-k1"))).isEmpty();
  }

  @Test
  void updateOfAnUnknownKeyIsNotFound() {
    assertThatThrownBy(() -> keys.update(key("ghost").build()))
        .isInstanceOf(NotFoundException.class);
  }

  @Test
  void updateRefusesAnAliasTakenByAnotherKey() {
    keys.insert(key("k1").alias("a").build());
    keys.insert(key("k2").alias("b").build());

    assertThatThrownBy(() -> keys.update(key("k2").alias("a").build()))
        .isInstanceOf(ConflictException.class);
  }

  @Test
  void deleteRemovesTheKeyAndSaysWhetherThereWasOne() {
    keys.insert(key("k1").build());

    assertThat(keys.delete("k1")).isTrue();
    assertThat(keys.findById("k1")).isEmpty();
    assertThat(keys.delete("k1")).isFalse();
  }

  @Test
  void findPrincipalReturnsTheKeyWithItsUserAndTeam() {
    keys.insert(key("k1").user("u1").team("t1").build());

    Principal.Keyed p = keys.findPrincipal(KeyHash.of("sk-test-k1"), T0).orElseThrow();

    assertThat(p.key().id()).isEqualTo("k1");
    assertThat(p.user().map(u -> u.id())).contains("u1");
    assertThat(p.team().map(t -> t.id())).contains("t1");
    assertThat(p.team().get().models()).containsExactly("model-cheap");
  }

  @Test
  void findPrincipalUsesTheUsersTeamWhenTheKeyHasNone() {
    keys.insert(key("k1").user("u2").build());

    Principal.Keyed p = keys.findPrincipal(KeyHash.of("sk-test-k1"), T0).orElseThrow();

    assertThat(p.team().map(t -> t.id())).contains("t2");
  }

  @Test
  void findPrincipalOfAKeyWithoutOwnerHasNoUserAndNoTeam() {
    keys.insert(key("k1").build());

    Principal.Keyed p = keys.findPrincipal(KeyHash.of("sk-test-k1"), T0).orElseThrow();

    assertThat(p.user()).isEmpty();
    assertThat(p.team()).isEmpty();
  }

  @Test
  void findPrincipalReturnsBlockedAndExpiredKeysSoTheCallerCanSayWhy() {
    keys.insert(key("k1").blocked(true).build());
    keys.insert(key("k2").expiresAt(T0.minusSeconds(1)).build());

    assertThat(keys.findPrincipal(KeyHash.of("sk-test-k1"), T0).orElseThrow().key().statusAt(T0))
        .isEqualTo(KeyStatus.BLOCKED);
    assertThat(keys.findPrincipal(KeyHash.of("sk-test-k2"), T0).orElseThrow().key().statusAt(T0))
        .isEqualTo(KeyStatus.EXPIRED);
  }

  @Test
  void findPrincipalOfAnUnknownHashIsEmpty() {
    keys.insert(key("k1").build());

    assertThat(keys.findPrincipal(KeyHash.of("sk-nobody"), T0)).isEmpty();
  }

  @Test
  void findPrincipalAcceptsThePreviousHashOnlyBeforeGraceUntil() {
    var until = T0.plusSeconds(600);
    keys.insert(key("k1").plaintext("sk-new").previous("sk-old", until).build());

    assertThat(keys.findPrincipal(KeyHash.of("sk-old"), T0)).isPresent();
    assertThat(keys.findPrincipal(KeyHash.of("sk-old"), until.minusSeconds(1))).isPresent();
    assertThat(keys.findPrincipal(KeyHash.of("sk-old"), until)).isEmpty();
    assertThat(keys.findPrincipal(KeyHash.of("sk-new"), until.plusSeconds(1))).isPresent();
  }

  @Test
  void findByHashDoesNotMatchThePreviousHash() {
    keys.insert(key("k1").plaintext("sk-new").previous("sk-old", T0.plusSeconds(600)).build());

    assertThat(keys.findByHash(KeyHash.of("sk-old"))).isEmpty();
  }

  @Test
  void listFiltersByUserTeamAndAlias() {
    keys.insert(key("k1").user("u1").team("t1").alias("a1").build());
    keys.insert(key("k2").user("u1").team("t1").build());
    keys.insert(key("k3").user("u2").team("t2").build());
    PageRequest all = PageRequest.first(100);

    assertThat(ids(keys.list(KeyQuery.builder(all).user("u1").build()).items()))
        .containsExactlyInAnyOrder("k1", "k2");
    assertThat(ids(keys.list(KeyQuery.builder(all).team("t2").build()).items()))
        .containsExactly("k3");
    assertThat(ids(keys.list(KeyQuery.builder(all).alias("a1").build()).items()))
        .containsExactly("k1");
    assertThat(keys.list(KeyQuery.all(all)).total()).isEqualTo(3);
  }

  @Test
  void listPagesThroughEveryKeyExactlyOnce() {
    for (int i = 0; i < 7; i++) {
      keys.insert(key("k" + i).at(T0.plusSeconds(i)).build());
    }
    Set<String> seen = new HashSet<>();
    for (int page = 1; page <= 3; page++) {
      var p = keys.list(KeyQuery.all(new PageRequest(page, 3)));
      assertThat(p.total()).isEqualTo(7);
      assertThat(p.items()).hasSize(page < 3 ? 3 : 1);
      p.items().forEach(k -> assertThat(seen.add(k.id())).isTrue());
    }
    assertThat(seen).hasSize(7);
    assertThat(keys.list(KeyQuery.all(new PageRequest(4, 3))).items()).isEmpty();
  }

  private static java.util.List<String> ids(java.util.List<VirtualKey> list) {
    return list.stream().map(VirtualKey::id).toList();
  }

  private List<String> ids(KeyQuery.Builder q) {
    return keys.list(q.build()).items().stream().map(VirtualKey::id).toList();
  }

  private static KeyQuery.Builder query() {
    return KeyQuery.builder(PageRequest.first(50));
  }

  @Test
  void searchMatchesIdAliasPrefixOrUserCaseInsensitivelyWithWildcardsAsText() {
    keys.insert(key("key-a").alias("Build_Bot 100%").user("u1").plaintext("sk-zzzzQ9x1").build());
    keys.insert(key("key-b").alias("BuildXBot 1000").user("u2").build());
    keys.insert(key("key-c").user("u1").plaintext("sk-yyyyWXYZ").build());

    assertThat(ids(query().search(Optional.of("build")))).containsExactly("key-a", "key-b");
    assertThat(ids(query().search(Optional.of("d_b")))).containsExactly("key-a");
    assertThat(ids(query().search(Optional.of("100%")))).containsExactly("key-a");
    assertThat(ids(query().search(Optional.of("wxyz")))).containsExactly("key-c");
    assertThat(ids(query().search(Optional.of("KEY-B")))).containsExactly("key-b");
    assertThat(ids(query().search(Optional.of("u1")).team(Optional.empty())))
        .containsExactly("key-a", "key-c");
    assertThat(keys.list(query().search(Optional.of("build")).build()).total()).isEqualTo(2);
  }

  @Test
  void sortsByAliasExpiryStatusAndSpendWithAbsentValuesLast() {
    keys.insert(key("k1").alias("beta").expiresAt(T0.plusSeconds(60)).build());
    keys.insert(key("k2").alias("alpha").blocked(true).build());
    keys.insert(key("k3").expiresAt(T0.plusSeconds(30)).build());
    SpendRows.spent(stores, "r1", "k3", "u1", 700, T0.plusSeconds(5));
    SpendRows.spent(stores, "r2", "k1", "u1", 200, T0.plusSeconds(6));

    assertThat(ids(query().sort(Sort.asc(KeyQuery.By.ALIAS)))).containsExactly("k2", "k1", "k3");
    assertThat(ids(query().sort(Sort.desc(KeyQuery.By.ALIAS)))).containsExactly("k1", "k2", "k3");
    assertThat(ids(query().sort(Sort.asc(KeyQuery.By.EXPIRES)))).containsExactly("k3", "k1", "k2");
    assertThat(ids(query().sort(Sort.desc(KeyQuery.By.STATUS)))).containsExactly("k2", "k1", "k3");
    assertThat(ids(query().sort(Sort.desc(KeyQuery.By.SPEND)).spendSince(T0)))
        .containsExactly("k3", "k1", "k2");
  }
}

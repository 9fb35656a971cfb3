package io.llmgateway.postgres;

import static io.llmgateway.postgres.TestData.id;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.llmgateway.core.PageRequest;
import io.llmgateway.core.budget.BudgetLimit;
import io.llmgateway.core.error.ConflictException;
import io.llmgateway.core.error.NotFoundException;
import io.llmgateway.core.identity.RateLimits;
import io.llmgateway.core.identity.Team;
import io.llmgateway.core.money.Money;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

class PostgresTeamStoreTest extends PostgresTestBase {

  @Test
  void storesAndFindsATeamByIdAndAlias() {
    Team t = TestData.team(id("team"));
    stores.teams().insert(t);
    assertThat(stores.teams().findById(t.id())).contains(t);
    assertThat(stores.teams().findByAlias(t.alias())).contains(t);
    assertThat(stores.teams().findById("missing")).isEmpty();
  }

  @Test
  void refusesADuplicateIdOrAlias() {
    Team t = TestData.team(id("team"));
    stores.teams().insert(t);
    Team sameAlias =
        new Team(
            id("team"),
            t.alias(),
            Optional.empty(),
            List.of(),
            List.of(),
            List.of(),
            RateLimits.NONE,
            false,
            Map.of(),
            t.createdAt(),
            t.updatedAt(),
            Optional.empty());
    assertThatThrownBy(() -> stores.teams().insert(t)).isInstanceOf(ConflictException.class);
    assertThatThrownBy(() -> stores.teams().insert(sameAlias))
        .isInstanceOf(ConflictException.class)
        .hasMessageContaining(t.alias());
    assertThat(stores.teams().findById(sameAlias.id())).isEmpty();
  }

  @Test
  void updateReplacesEverythingIncludingBudgetsAndLimits() {
    Team t = TestData.team(id("team"));
    stores.teams().insert(t);
    Team changed =
        new Team(
            t.id(),
            "renamed-" + t.id(),
            Optional.empty(),
            List.of(),
            List.of(BudgetLimit.monthly(Money.ofUsd("5"))),
            List.of(),
            new RateLimits(OptionalLong.of(10), OptionalLong.of(1000), OptionalLong.empty()),
            true,
            Map.of("k", "v"),
            t.createdAt(),
            t.updatedAt().plusSeconds(5),
            Optional.empty());
    stores.teams().update(changed);
    assertThat(stores.teams().findById(t.id())).contains(changed);
  }

  @Test
  void updatingAMissingTeamIsNotFound() {
    assertThatThrownBy(() -> stores.teams().update(TestData.team(id("ghost"))))
        .isInstanceOf(NotFoundException.class);
  }

  @Test
  void deleteRefusesWhileUsersOrKeysReferenceTheTeam() {
    Team t = TestData.team(id("team"));
    stores.teams().insert(t);
    var u = TestData.user(id("user"), Optional.of(t.id()));
    stores.users().insert(u);
    assertThatThrownBy(() -> stores.teams().delete(t.id())).isInstanceOf(ConflictException.class);

    stores.users().update(TestData.user(u.id(), Optional.empty()));
    var k = TestData.key(id("key"), "sk-" + id("plain"), Optional.empty(), Optional.of(t.id()));
    stores.keys().insert(k);
    assertThatThrownBy(() -> stores.teams().delete(t.id())).isInstanceOf(ConflictException.class);

    stores.keys().delete(k.id());
    assertThat(stores.teams().delete(t.id())).isTrue();
    assertThat(stores.teams().delete(t.id())).isFalse();
    assertThat(stores.teams().findById(t.id())).isEmpty();
  }

  @Test
  void listsTeamsPageByPageWithTheTotal() {
    for (int i = 0; i < 5; i++) {
      stores.teams().insert(TestData.team(id("list")));
    }
    var first = stores.teams().list(new PageRequest(1, 2));
    var third = stores.teams().list(new PageRequest(3, 2));
    assertThat(first.total()).isGreaterThanOrEqualTo(5);
    assertThat(first.items()).hasSize(2);
    assertThat(third.items()).isNotEmpty();
    assertThat(first.items()).doesNotContainAnyElementsOf(third.items());
  }
}

package io.llmgateway.core.contract;

import static io.llmgateway.core.testing.Fixtures.key;
import static io.llmgateway.core.testing.Fixtures.team;
import static io.llmgateway.core.testing.Fixtures.user;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.llmgateway.core.PageRequest;
import io.llmgateway.core.Stores;
import io.llmgateway.core.budget.BudgetLimit;
import io.llmgateway.core.error.ConflictException;
import io.llmgateway.core.error.NotFoundException;
import io.llmgateway.core.identity.Team;
import io.llmgateway.core.identity.TeamStore;
import io.llmgateway.core.money.Money;
import io.llmgateway.core.testing.Fixtures;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** What every {@link TeamStore} must do. Subclass it with a factory for fresh, empty stores. */
public abstract class TeamStoreContract {

  /** Fresh, empty stores for each test. */
  protected abstract Stores newStores();

  protected Stores stores;
  protected TeamStore teams;

  @BeforeEach
  void setUpStores() {
    stores = newStores();
    teams = stores.teams();
  }

  @Test
  void findsAnInsertedTeamByIdAndAlias() {
    Team t = team("coding").alias("Coding tier").build();
    teams.insert(t);

    assertThat(teams.findById("coding")).contains(t);
    assertThat(teams.findByAlias("Coding tier")).contains(t);
    assertThat(teams.findById("nope")).isEmpty();
    assertThat(teams.findByAlias("nope")).isEmpty();
  }

  @Test
  void roundTripsEveryFieldOfATeam() {
    Team t =
        team("drafting")
            .alias("Drafting")
            .tier("drafting")
            .models("model-cheap", "model-fast")
            .teamBudget(BudgetLimit.monthly(Money.ofUsd("100")))
            .memberBudget(BudgetLimit.daily(Money.ofUsd("0.017")))
            .memberBudget(BudgetLimit.monthly(Money.ofUsd("0.50")))
            .rateLimits(Fixtures.rateLimits(60, 100_000, 4))
            .blocked(true)
            .metadata(Map.of("cost_center", "cc-42"))
            .build();
    teams.insert(t);

    assertThat(teams.findById("drafting")).contains(t);
  }

  @Test
  void refusesATeamWhoseIdIsTaken() {
    teams.insert(team("t1").build());

    assertThatThrownBy(() -> teams.insert(team("t1").alias("other").build()))
        .isInstanceOf(ConflictException.class);
  }

  @Test
  void refusesATeamWhoseAliasIsTaken() {
    teams.insert(team("t1").alias("same").build());

    assertThatThrownBy(() -> teams.insert(team("t2").alias("same").build()))
        .isInstanceOf(ConflictException.class);
    assertThat(teams.findById("t2")).isEmpty();
  }

  @Test
  void updateReplacesTheTeamWithTheSameId() {
    teams.insert(team("t1").build());
    Team changed = team("t1").alias("renamed").models("model-smart").build();

    teams.update(changed);

    assertThat(teams.findById("t1")).contains(changed);
    assertThat(teams.findByAlias("t1")).isEmpty();
  }

  @Test
  void updateOfAnUnknownTeamIsNotFound() {
    assertThatThrownBy(() -> teams.update(team("ghost").build()))
        .isInstanceOf(NotFoundException.class);
  }

  @Test
  void updateRefusesAnAliasTakenByAnotherTeam() {
    teams.insert(team("t1").build());
    teams.insert(team("t2").build());

    assertThatThrownBy(() -> teams.update(team("t2").alias("t1").build()))
        .isInstanceOf(ConflictException.class);
  }

  @Test
  void deleteRemovesAnUnusedTeamAndSaysWhetherThereWasOne() {
    teams.insert(team("t1").build());

    assertThat(teams.delete("t1")).isTrue();
    assertThat(teams.findById("t1")).isEmpty();
    assertThat(teams.delete("t1")).isFalse();
  }

  @Test
  void deleteIsRefusedWhileAUserBelongsToTheTeam() {
    teams.insert(team("t1").build());
    stores.users().insert(user("u1").team("t1").build());

    assertThatThrownBy(() -> teams.delete("t1")).isInstanceOf(ConflictException.class);
    assertThat(teams.findById("t1")).isPresent();
  }

  @Test
  void deleteIsRefusedWhileAKeyBelongsToTheTeam() {
    teams.insert(team("t1").build());
    stores.keys().insert(key("k1").team("t1").build());

    assertThatThrownBy(() -> teams.delete("t1")).isInstanceOf(ConflictException.class);
    assertThat(teams.findById("t1")).isPresent();
  }

  @Test
  void listPagesThroughEveryTeamExactlyOnce() {
    for (int i = 0; i < 5; i++) {
      teams.insert(team("team-" + i).build());
    }
    Set<String> seen = new HashSet<>();
    for (int page = 1; page <= 3; page++) {
      var p = teams.list(new PageRequest(page, 2));
      assertThat(p.total()).isEqualTo(5);
      p.items().forEach(t -> assertThat(seen.add(t.id())).isTrue());
    }
    assertThat(seen).hasSize(5);
  }
}

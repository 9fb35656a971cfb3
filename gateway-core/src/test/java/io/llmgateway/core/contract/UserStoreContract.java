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
import io.llmgateway.core.identity.User;
import io.llmgateway.core.identity.UserQuery;
import io.llmgateway.core.identity.UserRole;
import io.llmgateway.core.identity.UserStore;
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

/** What every {@link UserStore} must do. Subclass it with a factory for fresh, empty stores. */
public abstract class UserStoreContract {

  /** Fresh, empty stores for each test. */
  protected abstract Stores newStores();

  protected Stores stores;
  protected UserStore users;

  @BeforeEach
  void setUpStores() {
    stores = newStores();
    users = stores.users();
    stores.teams().insert(team("t1").build());
    stores.teams().insert(team("t2").build());
  }

  @Test
  void findsAnInsertedUserByIdAndEmail() {
    User u = user("alice").email("alice@example.com").team("t1").build();
    users.insert(u);

    assertThat(users.findById("alice")).contains(u);
    assertThat(users.findByEmail("alice@example.com")).contains(u);
    assertThat(users.findById("bob")).isEmpty();
    assertThat(users.findByEmail("bob@example.com")).isEmpty();
  }

  @Test
  void roundTripsEveryFieldOfAUser() {
    User u =
        user("alice")
            .email("alice@example.com")
            .alias("Alice")
            .team("t1")
            .role(UserRole.PROXY_ADMIN)
            .models("model-cheap")
            .budget(BudgetLimit.daily(Money.ofUsd("0.02")))
            .rateLimits(Fixtures.rateLimits(5, 1000, 1))
            .metadata(Map.of("department", "legal"))
            .build();
    users.insert(u);

    assertThat(users.findById("alice")).contains(u);
  }

  @Test
  void refusesAUserWhoseIdIsTaken() {
    users.insert(user("alice").build());

    assertThatThrownBy(() -> users.insert(user("alice").build()))
        .isInstanceOf(ConflictException.class);
  }

  @Test
  void refusesAUserWhoseEmailIsTaken() {
    users.insert(user("alice").email("a@example.com").build());

    assertThatThrownBy(() -> users.insert(user("alice2").email("a@example.com").build()))
        .isInstanceOf(ConflictException.class);
    assertThat(users.findById("alice2")).isEmpty();
  }

  @Test
  void usersWithoutEmailDoNotCollide() {
    users.insert(user("a").build());
    users.insert(user("b").build());

    assertThat(users.list(UserQuery.all(PageRequest.first(10))).total()).isEqualTo(2);
  }

  @Test
  void updateReplacesTheUserWithTheSameId() {
    users.insert(user("alice").team("t1").build());
    User moved = user("alice").team("t2").email("new@example.com").build();

    users.update(moved);

    assertThat(users.findById("alice")).contains(moved);
  }

  @Test
  void updateOfAnUnknownUserIsNotFound() {
    assertThatThrownBy(() -> users.update(user("ghost").build()))
        .isInstanceOf(NotFoundException.class);
  }

  @Test
  void updateRefusesAnEmailTakenByAnotherUser() {
    users.insert(user("a").email("a@example.com").build());
    users.insert(user("b").email("b@example.com").build());

    assertThatThrownBy(() -> users.update(user("b").email("a@example.com").build()))
        .isInstanceOf(ConflictException.class);
  }

  @Test
  void deleteRemovesAUserWithoutKeysAndSaysWhetherThereWasOne() {
    users.insert(user("alice").build());

    assertThat(users.delete("alice")).isTrue();
    assertThat(users.findById("alice")).isEmpty();
    assertThat(users.delete("alice")).isFalse();
  }

  @Test
  void deleteIsRefusedWhileTheUserOwnsAKey() {
    users.insert(user("alice").build());
    stores.keys().insert(key("k1").user("alice").build());

    assertThatThrownBy(() -> users.delete("alice")).isInstanceOf(ConflictException.class);
    assertThat(users.findById("alice")).isPresent();
  }

  @Test
  void listFiltersByTeam() {
    users.insert(user("a").team("t1").build());
    users.insert(user("b").team("t1").build());
    users.insert(user("c").team("t2").build());
    users.insert(user("d").build());

    var inT1 = users.list(UserQuery.builder(PageRequest.first(10)).team("t1").build());

    assertThat(inT1.items()).extracting(User::id).containsExactlyInAnyOrder("a", "b");
    assertThat(inT1.total()).isEqualTo(2);
  }

  @Test
  void listPagesThroughEveryUserExactlyOnce() {
    for (int i = 0; i < 5; i++) {
      users.insert(user("user-" + i).build());
    }
    Set<String> seen = new HashSet<>();
    for (int page = 1; page <= 3; page++) {
      var p = users.list(UserQuery.all(new PageRequest(page, 2)));
      assertThat(p.total()).isEqualTo(5);
      p.items().forEach(u -> assertThat(seen.add(u.id())).isTrue());
    }
    assertThat(seen).hasSize(5);
  }

  private List<String> ids(UserQuery.Builder q) {
    return users.list(q.build()).items().stream().map(User::id).toList();
  }

  private static UserQuery.Builder query() {
    return UserQuery.builder(PageRequest.first(50));
  }

  @Test
  void searchMatchesIdEmailOrAliasCaseInsensitively() {
    users.insert(user("alice").email("alice@example.com").build());
    users.insert(user("u-2").email("Bob.Smith@Example.com").build());
    users.insert(user("u-3").alias("Carol SMITH").team("t1").build());
    users.insert(user("dave").build());

    assertThat(ids(query().search(Optional.of("smith")))).containsExactly("u-2", "u-3");
    assertThat(ids(query().search(Optional.of("ALICE")))).containsExactly("alice");
    assertThat(ids(query().search(Optional.of("  example.COM ")))).containsExactly("alice", "u-2");
    assertThat(ids(query().search(Optional.of("smith")).team(Optional.of("t1"))))
        .containsExactly("u-3");
    var page = users.list(query().search(Optional.of("smith")).build());
    assertThat(page.total()).isEqualTo(2);
  }

  @Test
  void searchTreatsLikeWildcardsAsPlainCharacters() {
    users.insert(user("a").email("100%_sure@example.com").build());
    users.insert(user("b").email("100xxsure@example.com").build());
    users.insert(user("c").email("under_score@example.com").build());
    users.insert(user("d").email("underXscore@example.com").build());
    users.insert(user("e").email("back\\slash@example.com").build());
    users.insert(user("f").email("wow!x@example.com").build());

    assertThat(ids(query().search(Optional.of("100%_")))).containsExactly("a");
    assertThat(ids(query().search(Optional.of("%")))).containsExactly("a");
    assertThat(ids(query().search(Optional.of("r_s")))).containsExactly("c");
    assertThat(ids(query().search(Optional.of("k\\s")))).containsExactly("e");
    assertThat(ids(query().search(Optional.of("w!x")))).containsExactly("f");
    assertThat(ids(query().search(Optional.of("!%")))).isEmpty();
  }

  @Test
  void sortsByEachAllowedFieldInBothDirectionsWithAbsentValuesLastAndIdsBreakingTies() {
    users.insert(user("u1").email("b@example.com").team("t2").build());
    users.insert(user("u2").email("a@example.com").role(UserRole.PROXY_ADMIN).build());
    users.insert(user("u3").team("t1").build());
    users.insert(user("u4").email("c@example.com").team("t1").build());

    assertThat(ids(query().sort(Sort.asc(UserQuery.By.EMAIL))))
        .containsExactly("u2", "u1", "u4", "u3");
    assertThat(ids(query().sort(Sort.desc(UserQuery.By.EMAIL))))
        .containsExactly("u4", "u1", "u2", "u3");
    assertThat(ids(query().sort(Sort.asc(UserQuery.By.TEAM))))
        .containsExactly("u3", "u4", "u1", "u2");
    assertThat(ids(query().sort(Sort.desc(UserQuery.By.TEAM))))
        .containsExactly("u1", "u3", "u4", "u2");
    assertThat(ids(query().sort(Sort.desc(UserQuery.By.ROLE))))
        .containsExactly("u2", "u1", "u3", "u4");
    assertThat(ids(query().sort(Sort.desc(UserQuery.By.ID))))
        .containsExactly("u4", "u3", "u2", "u1");
  }

  @Test
  void sortsBySpendSinceTheGivenInstantAndPagesStably() {
    for (String id : List.of("u1", "u2", "u3", "u4", "u5")) {
      users.insert(user(id).build());
    }
    SpendRows.spent(stores, "r1", "k", "u2", 500, T0.plusSeconds(10));
    SpendRows.spent(stores, "r2", "k", "u4", 300, T0.plusSeconds(20));
    SpendRows.spent(stores, "r3", "k", "u4", 300, T0.plusSeconds(30));
    // Before the period: counts for an all-time order, not for this one.
    SpendRows.spent(stores, "r4", "k", "u5", 9_000, T0.minus(Duration.ofDays(40)));

    var bySpend = query().sort(Sort.desc(UserQuery.By.SPEND)).spendSince(T0);
    assertThat(ids(bySpend)).containsExactly("u4", "u2", "u1", "u3", "u5");
    assertThat(ids(query().sort(Sort.asc(UserQuery.By.SPEND)).spendSince(T0)))
        .containsExactly("u1", "u3", "u5", "u2", "u4");
    assertThat(ids(query().sort(Sort.desc(UserQuery.By.SPEND)))).startsWith("u5", "u4", "u2");

    List<String> paged = new java.util.ArrayList<>();
    for (int page = 1; page <= 3; page++) {
      var q =
          UserQuery.builder(new PageRequest(page, 2))
              .sort(Sort.desc(UserQuery.By.SPEND))
              .spendSince(T0);
      paged.addAll(users.list(q.build()).items().stream().map(User::id).toList());
    }
    assertThat(paged).containsExactly("u4", "u2", "u1", "u3", "u5");
  }
}

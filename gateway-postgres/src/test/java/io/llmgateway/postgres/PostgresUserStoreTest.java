package io.llmgateway.postgres;

import static io.llmgateway.postgres.TestData.id;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.llmgateway.core.PageRequest;
import io.llmgateway.core.error.ConflictException;
import io.llmgateway.core.error.NotFoundException;
import io.llmgateway.core.identity.User;
import io.llmgateway.core.identity.UserQuery;
import io.llmgateway.core.identity.UserRole;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class PostgresUserStoreTest extends PostgresTestBase {

  @Test
  void storesAUserWithTeamMembershipAndBudgets() {
    var team = TestData.team(id("team"));
    stores.teams().insert(team);
    User u = TestData.user(id("user"), Optional.of(team.id()));
    stores.users().insert(u);
    assertThat(stores.users().findById(u.id())).contains(u);
    assertThat(stores.users().findByEmail(u.email().orElseThrow())).contains(u);
  }

  @Test
  void refusesADuplicateIdOrEmail() {
    User u = TestData.user(id("user"), Optional.empty());
    stores.users().insert(u);
    User sameEmail =
        new User(
            id("other"),
            u.email(),
            Optional.empty(),
            Optional.empty(),
            UserRole.INTERNAL_USER,
            List.of(),
            List.of(),
            u.rateLimits(),
            Map.of(),
            u.createdAt(),
            u.updatedAt(),
            Optional.empty());
    assertThatThrownBy(() -> stores.users().insert(u)).isInstanceOf(ConflictException.class);
    assertThatThrownBy(() -> stores.users().insert(sameEmail))
        .isInstanceOf(ConflictException.class)
        .hasMessageContaining("email");
    assertThat(stores.users().findById(sameEmail.id())).isEmpty();
  }

  @Test
  void joiningAMissingTeamIsAConflictAndStoresNothing() {
    User u = TestData.user(id("user"), Optional.of("no-such-team"));
    assertThatThrownBy(() -> stores.users().insert(u)).isInstanceOf(ConflictException.class);
    assertThat(stores.users().findById(u.id())).isEmpty();
  }

  @Test
  void updateMovesAUserBetweenTeams() {
    var a = TestData.team(id("team"));
    var b = TestData.team(id("team"));
    stores.teams().insert(a);
    stores.teams().insert(b);
    User u = TestData.user(id("user"), Optional.of(a.id()));
    stores.users().insert(u);
    User moved = TestData.user(u.id(), Optional.of(b.id()));
    stores.users().update(moved);
    assertThat(stores.users().findById(u.id())).contains(moved);
    assertThat(
            stores
                .users()
                .list(UserQuery.builder(PageRequest.first(10)).team(b.id()).build())
                .items())
        .containsExactly(moved);
    assertThat(
            stores
                .users()
                .list(UserQuery.builder(PageRequest.first(10)).team(a.id()).build())
                .total())
        .isZero();
  }

  @Test
  void updatingAMissingUserIsNotFound() {
    assertThatThrownBy(() -> stores.users().update(TestData.user(id("ghost"), Optional.empty())))
        .isInstanceOf(NotFoundException.class);
  }

  @Test
  void deleteRefusesWhileKeysReferenceTheUser() {
    User u = TestData.user(id("user"), Optional.empty());
    stores.users().insert(u);
    var k = TestData.key(id("key"), "sk-" + id("p"), Optional.of(u.id()), Optional.empty());
    stores.keys().insert(k);
    assertThatThrownBy(() -> stores.users().delete(u.id())).isInstanceOf(ConflictException.class);
    stores.keys().delete(k.id());
    assertThat(stores.users().delete(u.id())).isTrue();
    assertThat(stores.users().delete(u.id())).isFalse();
  }
}

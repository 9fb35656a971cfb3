package io.llmgateway.core.contract;

import static io.llmgateway.core.testing.Fixtures.T0;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.llmgateway.core.error.ConflictException;
import io.llmgateway.core.error.NotFoundException;
import io.llmgateway.core.identity.Grant;
import io.llmgateway.core.identity.Operator;
import io.llmgateway.core.identity.OperatorStore;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** What every {@link OperatorStore} must do. Subclass it with a factory for fresh, empty stores. */
public abstract class OperatorStoreContract {

  protected abstract OperatorStore newStore();

  protected OperatorStore store;

  @BeforeEach
  void setUpStore() {
    store = newStore();
  }

  private static Operator operator(String name, Grant grant) {
    return new Operator(name, grant, T0, T0);
  }

  @Test
  void keepsEveryOperatorRoleAndListsThemByName() {
    store.insert(operator("viewer@example.com", new Grant.Viewer()));
    store.insert(operator("Admin@Example.com", new Grant.ProxyAdmin()));
    store.insert(operator("lead", new Grant.TeamAdmin(Set.of("coding", "drafting"))));

    assertThat(store.list())
        .extracting(Operator::name)
        .containsExactly("admin@example.com", "lead", "viewer@example.com");
    assertThat(store.find("admin@example.com"))
        .map(Operator::grant)
        .hasValue(new Grant.ProxyAdmin());
    assertThat(store.find("lead"))
        .map(Operator::grant)
        .hasValue(new Grant.TeamAdmin(Set.of("drafting", "coding")));
    assertThat(store.find("nobody")).isEmpty();
  }

  @Test
  void refusesASecondOperatorOfTheSameName() {
    store.insert(operator("alice@example.com", new Grant.Viewer()));

    assertThatThrownBy(() -> store.insert(operator("ALICE@example.com", new Grant.ProxyAdmin())))
        .isInstanceOf(ConflictException.class);
    assertThat(store.find("alice@example.com")).map(Operator::grant).hasValue(new Grant.Viewer());
  }

  @Test
  void updatesTheGrantOfAnExistingOperatorOnly() {
    store.insert(operator("alice@example.com", new Grant.Viewer()));

    store.update(
        new Operator(
            "alice@example.com", new Grant.TeamAdmin(Set.of("coding")), T0, T0.plusSeconds(5)));

    Operator read = store.find("alice@example.com").orElseThrow();
    assertThat(read.grant()).isEqualTo(new Grant.TeamAdmin(Set.of("coding")));
    assertThat(read.updatedAt()).isEqualTo(T0.plusSeconds(5));
    assertThatThrownBy(() -> store.update(operator("bob@example.com", new Grant.Viewer())))
        .isInstanceOf(NotFoundException.class);
    assertThat(store.find("bob@example.com")).isEmpty();
  }

  @Test
  void deletesAnOperator() {
    store.insert(operator("alice@example.com", new Grant.Viewer()));

    assertThat(store.delete("alice@example.com")).isTrue();
    assertThat(store.delete("alice@example.com")).isFalse();
    assertThat(store.list()).isEmpty();
  }
}

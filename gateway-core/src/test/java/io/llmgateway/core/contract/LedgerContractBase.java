package io.llmgateway.core.contract;

import static io.llmgateway.core.testing.Fixtures.T0;
import static io.llmgateway.core.testing.Fixtures.key;
import static io.llmgateway.core.testing.Fixtures.spend;
import static io.llmgateway.core.testing.Fixtures.team;
import static io.llmgateway.core.testing.Fixtures.user;

import io.llmgateway.core.Stores;
import io.llmgateway.core.budget.BudgetLedger;
import io.llmgateway.core.budget.BudgetLine;
import io.llmgateway.core.budget.BudgetScope;
import io.llmgateway.core.budget.CounterBalance;
import io.llmgateway.core.budget.ReservationRequest;
import io.llmgateway.core.money.Money;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;

/**
 * What the {@link BudgetLedger} contracts share: fresh stores with team t1, user u1 and key k1 for
 * each test, a user and a team scope, and a reservation request of u1's key that expires at {@link
 * #DEADLINE}. Subclass a contract, not this class.
 */
public abstract class LedgerContractBase {

  /** Fresh, empty stores for each test. */
  protected abstract Stores newStores();

  protected Stores stores;
  protected BudgetLedger ledger;

  protected static final BudgetScope USER = BudgetScope.user("u1");
  protected static final BudgetScope TEAM = BudgetScope.team("t1");
  protected static final Instant DEADLINE = T0.plus(Duration.ofMinutes(5));

  @BeforeEach
  void setUpStores() {
    stores = newStores();
    ledger = stores.ledger();
    stores.teams().insert(team("t1").build());
    stores.users().insert(user("u1").team("t1").build());
    stores.keys().insert(key("k1").user("u1").team("t1").build());
  }

  protected static ReservationRequest request(String id, long nanos, BudgetLine... lines) {
    return new ReservationRequest(
        id,
        List.of(lines),
        Money.ofNanos(nanos),
        T0,
        DEADLINE,
        spend(id, "k1").user("u1").team("t1").pending());
  }

  protected CounterBalance balance(BudgetLine line) {
    return ledger.balances(List.of(line.counter())).get(line.counter());
  }
}

package io.llmgateway.cli.admin;

import io.llmgateway.core.Page;
import io.llmgateway.core.PageRequest;
import io.llmgateway.core.budget.CounterBalance;
import io.llmgateway.core.budget.CounterKey;
import io.llmgateway.core.catalog.Deployment;
import io.llmgateway.core.catalog.LogicalModel;
import io.llmgateway.core.identity.KeyQuery;
import io.llmgateway.core.identity.Team;
import io.llmgateway.core.identity.User;
import io.llmgateway.core.identity.UserQuery;
import io.llmgateway.core.identity.VirtualKey;
import io.llmgateway.core.spend.SpendGroup;
import io.llmgateway.core.spend.SpendTotal;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The admin operations the CLI uses, acting as the proxy admin. Every change goes through the
 * core's admin service (role checks, audit, cache invalidation); this interface only narrows it to
 * what the commands need. Implementations are thread-safe.
 */
public interface Admin {

  Page<Team> teams(PageRequest page);

  Optional<Team> team(String teamId);

  Team createTeam(Team team);

  Team updateTeam(Team team);

  Page<User> users(UserQuery query);

  Optional<User> user(String userId);

  User createUser(User user);

  Page<VirtualKey> keys(KeyQuery query);

  /** A key by id, or by alias when no id matches. */
  Optional<VirtualKey> key(String idOrAlias);

  /** Issues a new key for a user (LLM API role), returning its plaintext once. */
  IssuedKey issueKey(String userId, Optional<String> teamId, Optional<String> alias);

  VirtualKey setBlocked(String keyId, boolean blocked);

  /** Deletes a key: it stops working at once. */
  void revoke(String keyId);

  /** Gives a key a new secret (same id, alias and limits); the old secret stops working. */
  IssuedKey rotate(String keyId);

  List<LogicalModel> models();

  /** Inserts or replaces a deployment by id. */
  void upsertDeployment(Deployment deployment);

  List<SpendTotal> spendReport(SpendGroup group, Instant from, Instant to);

  Map<CounterKey, CounterBalance> balances(Collection<CounterKey> counters);
}

package io.llmgateway.postgres;

import static io.llmgateway.core.testing.Fixtures.key;
import static io.llmgateway.core.testing.Fixtures.team;
import static io.llmgateway.core.testing.Fixtures.user;
import static org.assertj.core.api.Assertions.assertThat;

import io.llmgateway.core.PageRequest;
import io.llmgateway.core.Sort;
import io.llmgateway.core.identity.KeyQuery;
import io.llmgateway.core.identity.User;
import io.llmgateway.core.identity.UserQuery;
import io.llmgateway.core.identity.VirtualKey;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * Keys and users listed by their spend since a time read it as the spend reports do (issue 21): the
 * daily rollups for whole days, spend_log for the partial first day and for the rows the rollup job
 * has not reached. Before, each owner's spend was summed from spend_log, every row of the period;
 * with the spend log emptied (as retention drops old months) the last check fails.
 */
class SpendListOrderTest extends PostgresTestBase {
  private static final Instant T0 = Instant.parse("2036-05-01T00:00:00Z");

  @Test
  void listsBySpendReadTheRollupsThePartialDayAndTheTail() throws SQLException {
    SpendLogMaintenance job = adapters.spendLogMaintenance(Optional.empty());
    job.ensurePartitions(T0);
    stores.teams().insert(team("t1").build());
    for (String n : List.of("1", "2", "3")) {
      stores.users().insert(user("u" + n).team("t1").build());
      stores.keys().insert(key("k" + n).user("u" + n).team("t1").build());
    }
    try (Connection c = adapters.dataSource().getConnection();
        Statement s = c.createStatement()) {
      spend(s, "1", 500, "2036-05-03T06:00:00Z");
      spend(s, "2", 300, "2036-05-03T18:00:00Z");
      spend(s, "3", 100, "2036-05-03T20:00:00Z");
      spend(s, "3", 50, "2036-05-05T10:00:00Z");
      job.rollUp();
      // From noon: k1's row that morning is outside, on a day the rollups hold whole.
      Instant noon = Instant.parse("2036-05-03T12:00:00Z");
      assertOrder(noon, "2", "3", "1");

      // Not rolled up yet: read from the tail.
      spend(s, "3", 1000, "2036-05-06T01:00:00Z");
      assertOrder(noon, "3", "2", "1");

      // Rolled up, and the spend log emptied: whole days come from the rollups alone.
      job.rollUp();
      s.execute("TRUNCATE spend_log");
      assertOrder(Instant.parse("2036-05-03T00:00:00Z"), "3", "1", "2");
    }
  }

  private void assertOrder(Instant since, String... owners) {
    List<String> keys =
        stores
            .keys()
            .list(
                KeyQuery.builder(PageRequest.first(50))
                    .sort(Sort.desc(KeyQuery.By.SPEND))
                    .spendSince(since)
                    .build())
            .items()
            .stream()
            .map(VirtualKey::id)
            .toList();
    List<String> users =
        stores
            .users()
            .list(
                UserQuery.builder(PageRequest.first(50))
                    .sort(Sort.desc(UserQuery.By.SPEND))
                    .spendSince(since)
                    .build())
            .items()
            .stream()
            .map(User::id)
            .toList();
    assertThat(keys).as("keys by spend since " + since).containsExactly(prefixed("k", owners));
    assertThat(users).as("users by spend since " + since).containsExactly(prefixed("u", owners));
  }

  private static String[] prefixed(String prefix, String... owners) {
    return Arrays.stream(owners).map(o -> prefix + o).toArray(String[]::new);
  }

  private static void spend(Statement s, String owner, long cost, String at) throws SQLException {
    s.execute(
        "INSERT INTO spend_log (request_id, key_id, user_id, team_id, model, cost_nanos, status,"
            + " latency_ms, started_at, ended_at) VALUES ('r-"
            + owner
            + "-"
            + at
            + "', 'k"
            + owner
            + "', 'u"
            + owner
            + "', 't1', 'm', "
            + cost
            + ", 'SUCCESS', 5, '"
            + at
            + "', '"
            + at
            + "')");
  }
}

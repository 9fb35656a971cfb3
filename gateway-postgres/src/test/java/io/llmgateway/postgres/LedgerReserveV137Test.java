package io.llmgateway.postgres;

import static io.llmgateway.postgres.SpendSql.one;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.postgresql.util.PSQLException;

/**
 * V137's ledger_reserve, which works out the refused line only when a line did not move, against
 * V128's, installed beside it in the same database as ledger_reserve_v128 (its text from its
 * migration). Each call goes to both, each side on its own copy of the counters: the same outcome
 * (admitted, or the same SQLSTATE, message and DETAIL, that is the same refused line as given and
 * the same balance), and the same counters and reservations after.
 */
class LedgerReserveV137Test extends PostgresTestBase {
  private static final String[] KINDS = {"TEAM", "USER", "KEY"};
  private static final String[] SCOPES = {"x", "y", "z"};
  private static final String[] WINDOWS = {"DAILY", "MONTHLY"};

  @BeforeAll
  void installV128() throws IOException, SQLException {
    String v128;
    try (InputStream in =
        getClass().getResourceAsStream("/db/migration/V128__ledger_reserve_set_based.sql")) {
      v128 = new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
    int from = v128.indexOf("CREATE OR REPLACE FUNCTION ledger_reserve(");
    int to = v128.indexOf("\n$$;", from) + 4;
    String copy =
        v128.substring(from, to)
            .replace("FUNCTION ledger_reserve(", "FUNCTION ledger_reserve_v128(");
    try (Connection c = adapters.dataSource().getConnection();
        Statement s = c.createStatement()) {
      s.execute(copy);
    }
  }

  /**
   * Random reserves straight through SQL: one to four lines in any order (a counter named twice
   * fails on reservation_lines before the counters, on both), limits from 0, amounts from 0 and
   * above a line's limit, counters that already hold money or do not exist yet.
   */
  @Test
  void randomReservesDecideAsV128Decided() throws SQLException {
    Random random = new Random(137);
    try (Connection c = adapters.dataSource().getConnection();
        Statement s = c.createStatement()) {
      for (int trial = 0; trial < 60; trial++) {
        String run = "r" + trial + "-";
        for (String kind : KINDS) {
          for (String scope : SCOPES) {
            if (random.nextInt(2) == 0) {
              long committed = random.nextInt(1_500);
              long reserved = random.nextInt(1_500);
              for (String side : List.of("a", "b")) {
                s.execute(
                    ("INSERT INTO budget_counters (scope_kind, scope_id, time_window, period,"
                            + " committed_nanos, reserved_nanos, limit_nanos, resets_at) VALUES"
                            + " ('%s', '%s', 'DAILY', 'p-DAILY', %d, %d, 5000, now())")
                        .formatted(kind, side + run + scope, committed, reserved));
              }
            }
          }
        }
        for (int call = 0; call < 8; call++) {
          int n = 1 + random.nextInt(4);
          List<String[]> lines = new ArrayList<>();
          for (int i = 0; i < n; i++) {
            String window = WINDOWS[random.nextInt(2)];
            lines.add(
                new String[] {
                  KINDS[random.nextInt(3)],
                  SCOPES[random.nextInt(3)],
                  window,
                  "p-" + window,
                  Integer.toString(random.nextInt(3_000))
                });
          }
          long amount = random.nextInt(4) == 0 ? 0 : random.nextInt(1_500);
          String id = run + call;
          String old = call(s, "ledger_reserve_v128", "a", id, amount, lines);
          String now = call(s, "ledger_reserve", "b", id, amount, lines);
          assertThat(now).as("trial %d call %d", trial, call).isEqualTo(old);
        }
        assertThat(rows(s, "b" + run)).as("trial %d", trial).isEqualTo(rows(s, "a" + run));
      }
    }
  }

  /**
   * A refusal rolled back to a savepoint takes what it noted with it: the next reserve in the same
   * transaction, whose team line has room this time, names its user line (amount above the limit),
   * not the team line the first one refused.
   */
  @Test
  void aRefusalRolledBackToASavepointLeavesNoNote() throws SQLException {
    for (String side : List.of("a", "b")) {
      String fn = side.equals("a") ? "ledger_reserve_v128" : "ledger_reserve";
      try (Connection c = adapters.dataSource().getConnection();
          Statement s = c.createStatement()) {
        s.execute(
            "INSERT INTO budget_counters (scope_kind, scope_id, time_window, period,"
                + " committed_nanos, reserved_nanos, limit_nanos, resets_at) VALUES ('TEAM', '"
                + side
                + "note-t', 'DAILY', 'p-DAILY', 0, 500, 5000, now())");
        c.setAutoCommit(false);
        try {
          var savepoint = c.setSavepoint();
          List<String[]> first =
              List.of(
                  new String[] {"TEAM", "t", "DAILY", "p-DAILY", "600"},
                  new String[] {"USER", "u", "MONTHLY", "p-MONTHLY", "5000"});
          assertThat(call(s, fn, side, "note-1", 200, first))
              .as(fn)
              .isEqualTo("GWB01 budget_refused 1:0:500");
          c.rollback(savepoint);
          List<String[]> next =
              List.of(
                  new String[] {"TEAM", "t", "DAILY", "p-DAILY", "1000"},
                  new String[] {"USER", "u", "MONTHLY", "p-MONTHLY", "100"});
          assertThat(call(s, fn, side, "note-2", 200, next))
              .as(fn)
              .isEqualTo("GWB01 budget_refused 2:0:0");
        } finally {
          c.rollback();
          c.setAutoCommit(true);
        }
      }
    }
  }

  /** "admitted", or the error's SQLSTATE, message and DETAIL; scope ids get {@code side + id}. */
  private static String call(
      Statement s, String fn, String side, String id, long amount, List<String[]> lines)
      throws SQLException {
    String prefix = side + id.substring(0, id.lastIndexOf('-') + 1);
    String sql =
        "SELECT %s('%s', %d, now(), now() + interval '60 s', '{}', %s, %s, %s, %s, %s, %s)"
            .formatted(
                fn,
                side + id,
                amount,
                array(lines, 0, "", "text"),
                array(lines, 1, prefix, "text"),
                array(lines, 2, "", "text"),
                array(lines, 3, "", "text"),
                array(lines, 4, "", "bigint"),
                "ARRAY[" + "now(),".repeat(lines.size() - 1) + "now()]");
    try {
      s.execute(sql);
      return "admitted";
    } catch (PSQLException e) {
      var m = e.getServerErrorMessage();
      return (e.getSQLState() + " " + m.getMessage() + " " + m.getDetail()).replace(prefix, "");
    }
  }

  private static String array(List<String[]> lines, int column, String prefix, String type) {
    List<String> values = new ArrayList<>();
    for (String[] l : lines) {
      values.add(type.equals("text") ? "'" + prefix + l[column] + "'" : l[column]);
    }
    return "ARRAY[" + String.join(",", values) + "]::" + type + "[]";
  }

  /** The side's counters and reservations (with their lines), its prefix taken out. */
  private static String rows(Statement s, String prefix) throws SQLException {
    StringBuilder b = new StringBuilder();
    try (ResultSet rs =
        s.executeQuery(
            ("SELECT scope_kind || ' ' || substr(scope_id, %d) || ' ' || time_window || ' '"
                    + " || period || ' ' || committed_nanos || ' ' || reserved_nanos || ' ' ||"
                    + " limit_nanos FROM budget_counters WHERE scope_id LIKE '%s%%' ORDER BY 1")
                .formatted(prefix.length() + 1, prefix))) {
      while (rs.next()) {
        b.append(rs.getString(1)).append('\n');
      }
    }
    b.append(
        one(
            s,
            ("SELECT string_agg(substr(r.id, %d) || ' ' || r.amount_nanos || ' ' || (SELECT"
                    + " string_agg(l.scope_kind || substr(l.scope_id, %d), ',' ORDER BY"
                    + " l.scope_kind, l.scope_id) FROM reservation_lines l WHERE l.reservation_id"
                    + " = r.id), ';' ORDER BY r.id) FROM reservations r WHERE r.id LIKE '%s%%'")
                .formatted(prefix.length() + 1, prefix.length() + 1, prefix)));
    return b.toString();
  }
}

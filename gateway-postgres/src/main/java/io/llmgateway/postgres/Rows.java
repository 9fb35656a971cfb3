package io.llmgateway.postgres;

import io.llmgateway.core.budget.BudgetIncrease;
import io.llmgateway.core.budget.BudgetLimit;
import io.llmgateway.core.budget.BudgetWindow;
import io.llmgateway.core.identity.RateLimits;
import io.llmgateway.core.money.Money;
import java.sql.Array;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.statement.SqlStatement;

/**
 * Column helpers shared by the identity stores: timestamps, text arrays, rate-limit columns and the
 * budgets table. Stateless.
 */
final class Rows {
  private Rows() {}

  static Instant instant(ResultSet rs, String column) throws SQLException {
    OffsetDateTime t = rs.getObject(column, OffsetDateTime.class);
    return t == null ? null : t.toInstant();
  }

  static Optional<Instant> optionalInstant(ResultSet rs, String column) throws SQLException {
    return Optional.ofNullable(instant(rs, column));
  }

  static Optional<String> optionalString(ResultSet rs, String column) throws SQLException {
    return Optional.ofNullable(rs.getString(column));
  }

  static List<String> strings(ResultSet rs, String column) throws SQLException {
    Array array = rs.getArray(column);
    if (array == null) {
      return List.of();
    }
    return List.of((String[]) array.getArray());
  }

  static OptionalLong optionalLong(ResultSet rs, String column) throws SQLException {
    long v = rs.getLong(column);
    return rs.wasNull() ? OptionalLong.empty() : OptionalLong.of(v);
  }

  static RateLimits rateLimits(ResultSet rs, String p) throws SQLException {
    return new RateLimits(
        optionalLong(rs, p + "rpm"),
        optionalLong(rs, p + "tpm"),
        optionalLong(rs, p + "max_parallel"));
  }

  static <S extends SqlStatement<S>> S bindRateLimits(S statement, RateLimits limits) {
    return statement
        .bindByType("rpm", boxed(limits.rpm()), Long.class)
        .bindByType("tpm", boxed(limits.tpm()), Long.class)
        .bindByType("max_parallel", boxed(limits.maxParallel()), Long.class);
  }

  private static Long boxed(OptionalLong v) {
    return v.isPresent() ? v.getAsLong() : null;
  }

  /** A SQL expression listing an owner's budgets as {@code WINDOW:nanos} strings. */
  static String budgetsColumn(String ownerKind, String idExpression, String alias) {
    return "ARRAY(SELECT b.time_window || ':' || b.limit_nanos FROM budgets b WHERE b.owner_kind = '"
        + ownerKind
        + "' AND b.owner_id = "
        + idExpression
        + " ORDER BY b.time_window) AS "
        + alias;
  }

  static List<BudgetLimit> budgets(ResultSet rs, String column) throws SQLException {
    List<BudgetLimit> limits = new ArrayList<>();
    for (String entry : strings(rs, column)) {
      int colon = entry.indexOf(':');
      limits.add(
          new BudgetLimit(
              BudgetWindow.valueOf(entry.substring(0, colon)),
              Money.ofNanos(Long.parseLong(entry.substring(colon + 1)))));
    }
    return limits;
  }

  /** Replaces an owner's budgets with {@code limits}, inside the caller's transaction. */
  static void replaceBudgets(Handle h, String ownerKind, String ownerId, List<BudgetLimit> limits) {
    deleteBudgets(h, ownerKind, ownerId);
    for (BudgetLimit l : limits) {
      h.createUpdate(
              "INSERT INTO budgets (owner_kind, owner_id, time_window, limit_nanos)"
                  + " VALUES (:kind, :id, :window, :limit)")
          .bind("kind", ownerKind)
          .bind("id", ownerId)
          .bind("window", l.window().name())
          .bind("limit", l.limit().nanos())
          .execute();
    }
  }

  /** A row's temporary budget increase (V118), from its two columns under {@code prefix}. */
  static Optional<BudgetIncrease> increase(ResultSet rs, String prefix) throws SQLException {
    long amount = rs.getLong(prefix + "temp_budget_increase_nanos");
    if (rs.wasNull()) {
      return Optional.empty();
    }
    return Optional.of(
        new BudgetIncrease(Money.ofNanos(amount), instant(rs, prefix + "temp_budget_expiry")));
  }

  /**
   * Writes an owner's temporary increase (or its absence) into {@code table}'s row, inside the
   * caller's transaction, next to its budgets.
   */
  static void writeIncrease(
      Handle h, String table, String ownerId, Optional<BudgetIncrease> increase) {
    h.createUpdate(
            "UPDATE "
                + table
                + " SET temp_budget_increase_nanos = :amount, temp_budget_expiry = :expiry"
                + " WHERE id = :id")
        .bindByType("amount", increase.map(i -> i.amount().nanos()).orElse(null), Long.class)
        .bindByType("expiry", increase.map(BudgetIncrease::expiresAt).orElse(null), Instant.class)
        .bind("id", ownerId)
        .execute();
  }

  static void deleteBudgets(Handle h, String ownerKind, String ownerId) {
    h.createUpdate("DELETE FROM budgets WHERE owner_kind = :kind AND owner_id = :id")
        .bind("kind", ownerKind)
        .bind("id", ownerId)
        .execute();
  }

  /** {@code t.id AS p_id, t.alias AS p_alias, ...}: a table's columns under a prefix. */
  static String columns(String table, String prefix, String... names) {
    StringBuilder sb = new StringBuilder();
    for (String n : names) {
      if (!sb.isEmpty()) {
        sb.append(", ");
      }
      sb.append(table).append('.').append(n).append(" AS ").append(prefix).append(n);
    }
    return sb.toString();
  }

  static String[] array(List<String> values) {
    return values.toArray(new String[0]);
  }
}

package io.llmgateway.postgres;

import io.llmgateway.core.Page;
import io.llmgateway.core.error.ConflictException;
import io.llmgateway.core.error.NotFoundException;
import io.llmgateway.core.identity.User;
import io.llmgateway.core.identity.UserQuery;
import io.llmgateway.core.identity.UserRole;
import io.llmgateway.core.identity.UserStore;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.statement.SqlStatement;
import org.jdbi.v3.core.statement.StatementContext;

/**
 * Users in PostgreSQL; team membership lives in {@code team_members} (one team per user). Thread-
 * safe.
 */
final class PostgresUserStore implements UserStore {
  static final String SELECT =
      "SELECT "
          + columns("u", "m", "")
          + " FROM users u LEFT JOIN team_members m ON m.user_id = u.id ";

  /**
   * The select list for a user aliased {@code table} joined to its membership {@code member}, every
   * column under {@code prefix}.
   */
  static String columns(String table, String member, String prefix) {
    return Rows.columns(
            table,
            prefix,
            "id",
            "email",
            "alias",
            "role",
            "models",
            "rpm",
            "tpm",
            "max_parallel",
            "metadata",
            "created_at",
            "updated_at",
            "temp_budget_increase_nanos",
            "temp_budget_expiry")
        + ", "
        + member
        + ".team_id AS "
        + prefix
        + "team_id, "
        + Rows.budgetsColumn("user", table + ".id", prefix + "user_budgets");
  }

  private final Db db;

  PostgresUserStore(Db db) {
    this.db = db;
  }

  @Override
  public Optional<User> findById(String userId) {
    return db.with(
        h ->
            h.createQuery(SELECT + "WHERE u.id = :id")
                .bind("id", userId)
                .map(PostgresUserStore::map)
                .findOne());
  }

  @Override
  public Optional<User> findByEmail(String email) {
    return db.with(
        h ->
            h.createQuery(SELECT + "WHERE u.email = :email")
                .bind("email", email)
                .map(PostgresUserStore::map)
                .findOne());
  }

  @Override
  public void insert(User user) {
    db.tx(
        h -> {
          bind(
                  h.createUpdate(
                      "INSERT INTO users (id, email, alias, role, models, rpm, tpm, max_parallel,"
                          + " metadata, created_at, updated_at) VALUES (:id, :email, :alias, :role,"
                          + " :models, :rpm, :tpm, :max_parallel, CAST(:metadata AS jsonb),"
                          + " :created_at, :updated_at)"),
                  user)
              .execute();
          writeMembershipAndBudgets(h, user);
          return null;
        },
        constraint -> conflict(user, constraint));
  }

  @Override
  public void update(User user) {
    db.tx(
        h -> {
          int n =
              bind(
                      h.createUpdate(
                          "UPDATE users SET email = :email, alias = :alias, role = :role, models ="
                              + " :models, rpm = :rpm, tpm = :tpm, max_parallel = :max_parallel,"
                              + " metadata = CAST(:metadata AS jsonb), updated_at = :updated_at"
                              + " WHERE id = :id"),
                      user)
                  .execute();
          if (n == 0) {
            throw new NotFoundException("user '" + user.id() + "' does not exist");
          }
          writeMembershipAndBudgets(h, user);
          return null;
        },
        constraint -> conflict(user, constraint));
  }

  private static String conflict(User user, String constraint) {
    if (constraint.contains("team")) {
      return "team '" + user.teamId().orElse("") + "' does not exist";
    }
    if (constraint.contains("email")) {
      return "email is already used by another user";
    }
    return "user '" + user.id() + "' already exists";
  }

  @Override
  public boolean delete(String userId) {
    return db.tx(
        h -> {
          long keys =
              h.createQuery("SELECT count(*) FROM virtual_keys WHERE user_id = :id")
                  .bind("id", userId)
                  .mapTo(Long.class)
                  .one();
          if (keys > 0) {
            throw new ConflictException(
                "user '" + userId + "' still owns " + keys + " key(s); delete them first");
          }
          Rows.deleteBudgets(h, "user", userId);
          return h.createUpdate("DELETE FROM users WHERE id = :id").bind("id", userId).execute()
              > 0;
        },
        constraint -> "user '" + userId + "' still owns keys; delete them first");
  }

  @Override
  public Page<User> list(UserQuery query) {
    List<String> conditions = new ArrayList<>();
    query.teamId().ifPresent(t -> conditions.add("m.team_id = :team"));
    query
        .search()
        .ifPresent(
            t -> conditions.add(ListSql.searchCondition(List.of("u.id", "u.email", "u.alias"))));
    String where = conditions.isEmpty() ? "" : "WHERE " + String.join(" AND ", conditions) + " ";
    boolean bySpend = query.sort().field() == UserQuery.By.SPEND;
    String order =
        ListSql.orderBy(orderColumn(query.sort().field()), query.sort().descending(), "u.id");
    return ListSql.listing(
        db,
        bySpend,
        query.spendSince(),
        SpendRollups.Column.USER,
        "u.id",
        (h, spend) -> {
          var count =
              h.createQuery(
                  "SELECT count(*) FROM users u LEFT JOIN team_members m ON m.user_id = u.id "
                      + where);
          var select =
              h.createQuery(SELECT + spend.sql() + where + order + "LIMIT :limit OFFSET :offset");
          for (var s : List.of(count, select)) {
            query.teamId().ifPresent(t -> s.bind("team", t));
            query.search().ifPresent(t -> s.bind(ListSql.SEARCH, ListSql.containsPattern(t)));
          }
          spend.bind(select);
          long total = count.mapTo(Long.class).one();
          List<User> items =
              select
                  .bind("limit", query.page().size())
                  .bind("offset", query.page().offset())
                  .map(PostgresUserStore::map)
                  .list();
          return new Page<>(items, total, query.page());
        });
  }

  /** The allow-list: each sort field's column; nothing else can reach the ORDER BY. */
  private static String orderColumn(UserQuery.By by) {
    return switch (by) {
      case ID -> ListSql.text("u.id");
      case EMAIL -> ListSql.text("u.email");
      case ALIAS -> ListSql.text("u.alias");
      case TEAM -> ListSql.text("m.team_id");
      case ROLE -> ListSql.text("u.role");
      case CREATED -> "u.created_at";
      case SPEND -> ListSql.SPEND;
    };
  }

  private static <S extends SqlStatement<S>> S bind(S s, User u) {
    return Rows.bindRateLimits(s, u.rateLimits())
        .bind("id", u.id())
        .bind("email", u.email().orElse(null))
        .bind("alias", u.alias().orElse(null))
        .bind("role", u.role().name())
        .bind("models", Rows.array(u.models()))
        .bind("metadata", Json.write(u.metadata()))
        .bind("created_at", u.createdAt())
        .bind("updated_at", u.updatedAt());
  }

  private static void writeMembershipAndBudgets(Handle h, User u) {
    if (u.teamId().isPresent()) {
      h.createUpdate(
              "INSERT INTO team_members (user_id, team_id, joined_at) VALUES (:user, :team, :at)"
                  + " ON CONFLICT (user_id) DO UPDATE SET team_id = EXCLUDED.team_id, joined_at ="
                  + " CASE WHEN team_members.team_id = EXCLUDED.team_id THEN team_members.joined_at"
                  + " ELSE EXCLUDED.joined_at END")
          .bind("user", u.id())
          .bind("team", u.teamId().get())
          .bind("at", u.updatedAt())
          .execute();
    } else {
      h.createUpdate("DELETE FROM team_members WHERE user_id = :user")
          .bind("user", u.id())
          .execute();
    }
    Rows.replaceBudgets(h, "user", u.id(), u.budgets());
    Rows.writeIncrease(h, "users", u.id(), u.budgetIncrease());
  }

  static User map(ResultSet rs, StatementContext ctx) throws SQLException {
    return map(rs, "");
  }

  static User map(ResultSet rs, String p) throws SQLException {
    return new User(
        rs.getString(p + "id"),
        Rows.optionalString(rs, p + "email"),
        Rows.optionalString(rs, p + "alias"),
        Rows.optionalString(rs, p + "team_id"),
        UserRole.valueOf(rs.getString(p + "role")),
        Rows.strings(rs, p + "models"),
        Rows.budgets(rs, p + "user_budgets"),
        Rows.rateLimits(rs, p),
        Json.read(rs.getString(p + "metadata")),
        Rows.instant(rs, p + "created_at"),
        Rows.instant(rs, p + "updated_at"),
        Rows.increase(rs, p));
  }
}

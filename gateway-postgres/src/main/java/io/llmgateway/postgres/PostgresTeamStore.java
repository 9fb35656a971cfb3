package io.llmgateway.postgres;

import io.llmgateway.core.Page;
import io.llmgateway.core.PageRequest;
import io.llmgateway.core.error.ConflictException;
import io.llmgateway.core.error.NotFoundException;
import io.llmgateway.core.identity.Team;
import io.llmgateway.core.identity.TeamStore;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.Optional;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.statement.SqlStatement;
import org.jdbi.v3.core.statement.StatementContext;

/** Teams, with their team-wide and per-member budgets, in PostgreSQL. Thread-safe. */
final class PostgresTeamStore implements TeamStore {
  static final String SELECT = "SELECT " + columns("t", "") + " FROM teams t ";

  /** The select list for a team aliased {@code table}, every column under {@code prefix}. */
  static String columns(String table, String prefix) {
    return Rows.columns(
            table,
            prefix,
            "id",
            "alias",
            "tier",
            "models",
            "rpm",
            "tpm",
            "max_parallel",
            "blocked",
            "metadata",
            "created_at",
            "updated_at",
            "temp_budget_increase_nanos",
            "temp_budget_expiry")
        + ", "
        + Rows.budgetsColumn("team", table + ".id", prefix + "team_budgets")
        + ", "
        + Rows.budgetsColumn("team_member", table + ".id", prefix + "member_budgets");
  }

  private final Db db;

  PostgresTeamStore(Db db) {
    this.db = db;
  }

  @Override
  public Optional<Team> findById(String teamId) {
    return db.with(
        h ->
            h.createQuery(SELECT + "WHERE t.id = :id")
                .bind("id", teamId)
                .map(PostgresTeamStore::map)
                .findOne());
  }

  @Override
  public Optional<Team> findByAlias(String alias) {
    return db.with(
        h ->
            h.createQuery(SELECT + "WHERE t.alias = :alias")
                .bind("alias", alias)
                .map(PostgresTeamStore::map)
                .findOne());
  }

  @Override
  public void insert(Team team) {
    db.tx(
        h -> {
          bind(
                  h.createUpdate(
                      "INSERT INTO teams (id, alias, tier, models, rpm, tpm, max_parallel, blocked,"
                          + " metadata, created_at, updated_at) VALUES (:id, :alias, :tier,"
                          + " :models, :rpm, :tpm, :max_parallel, :blocked, CAST(:metadata AS"
                          + " jsonb), :created_at, :updated_at)"),
                  team)
              .execute();
          writeBudgets(h, team);
          return null;
        },
        constraint -> "team id or alias '" + team.alias() + "' is already taken");
  }

  @Override
  public void update(Team team) {
    db.tx(
        h -> {
          int n =
              bind(
                      h.createUpdate(
                          "UPDATE teams SET alias = :alias, tier = :tier, models = :models, rpm ="
                              + " :rpm, tpm = :tpm, max_parallel = :max_parallel, blocked ="
                              + " :blocked, metadata = CAST(:metadata AS jsonb), updated_at ="
                              + " :updated_at WHERE id = :id"),
                      team)
                  .execute();
          if (n == 0) {
            throw new NotFoundException("team '" + team.id() + "' does not exist");
          }
          writeBudgets(h, team);
          return null;
        },
        constraint -> "team alias '" + team.alias() + "' is already taken");
  }

  @Override
  public boolean delete(String teamId) {
    return db.tx(
        h -> {
          Integer refs =
              h.createQuery(
                      "SELECT (SELECT count(*) FROM team_members WHERE team_id = :id)"
                          + " + (SELECT count(*) FROM virtual_keys WHERE team_id = :id)")
                  .bind("id", teamId)
                  .mapTo(Integer.class)
                  .one();
          if (refs > 0) {
            throw new ConflictException(
                "team '" + teamId + "' still has users or keys; remove them first");
          }
          Rows.deleteBudgets(h, "team", teamId);
          Rows.deleteBudgets(h, "team_member", teamId);
          return h.createUpdate("DELETE FROM teams WHERE id = :id").bind("id", teamId).execute()
              > 0;
        },
        // a member or key added concurrently trips the foreign key instead
        constraint -> "team '" + teamId + "' still has users or keys; remove them first");
  }

  @Override
  public Page<Team> list(PageRequest page) {
    return db.with(
        h -> {
          long total = h.createQuery("SELECT count(*) FROM teams").mapTo(Long.class).one();
          List<Team> items =
              h.createQuery(SELECT + "ORDER BY t.alias, t.id LIMIT :limit OFFSET :offset")
                  .bind("limit", page.size())
                  .bind("offset", page.offset())
                  .map(PostgresTeamStore::map)
                  .list();
          return new Page<>(items, total, page);
        });
  }

  private static <S extends SqlStatement<S>> S bind(S s, Team t) {
    return Rows.bindRateLimits(s, t.rateLimits())
        .bind("id", t.id())
        .bind("alias", t.alias())
        .bind("tier", t.tier().orElse(null))
        .bind("models", Rows.array(t.models()))
        .bind("blocked", t.blocked())
        .bind("metadata", Json.write(t.metadata()))
        .bind("created_at", t.createdAt())
        .bind("updated_at", t.updatedAt());
  }

  private static void writeBudgets(Handle h, Team t) {
    Rows.replaceBudgets(h, "team", t.id(), t.teamBudgets());
    Rows.replaceBudgets(h, "team_member", t.id(), t.memberBudgets());
    Rows.writeIncrease(h, "teams", t.id(), t.budgetIncrease());
  }

  static Team map(ResultSet rs, StatementContext ctx) throws SQLException {
    return map(rs, "");
  }

  static Team map(ResultSet rs, String p) throws SQLException {
    return new Team(
        rs.getString(p + "id"),
        rs.getString(p + "alias"),
        Rows.optionalString(rs, p + "tier"),
        Rows.strings(rs, p + "models"),
        Rows.budgets(rs, p + "team_budgets"),
        Rows.budgets(rs, p + "member_budgets"),
        Rows.rateLimits(rs, p),
        rs.getBoolean(p + "blocked"),
        Json.read(rs.getString(p + "metadata")),
        Rows.instant(rs, p + "created_at"),
        Rows.instant(rs, p + "updated_at"),
        Rows.increase(rs, p));
  }
}

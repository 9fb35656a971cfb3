package io.llmgateway.postgres;

import io.llmgateway.core.error.NotFoundException;
import io.llmgateway.core.identity.Grant;
import io.llmgateway.core.identity.Operator;
import io.llmgateway.core.identity.OperatorStore;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/** The admin UI's named operators in PostgreSQL (table of migration V114). Thread-safe. */
final class PostgresOperatorStore implements OperatorStore {
  private static final String SELECT =
      "SELECT name, grant_role, grant_teams, created_at, updated_at FROM ui_operators";

  private final Db db;

  PostgresOperatorStore(Db db) {
    this.db = db;
  }

  @Override
  public List<Operator> list() {
    return db.with(h -> h.createQuery(SELECT + " ORDER BY name").map((rs, c) -> map(rs)).list());
  }

  @Override
  public Optional<Operator> find(String name) {
    return db.with(
        h ->
            h.createQuery(SELECT + " WHERE name = :name")
                .bind("name", name)
                .map((rs, c) -> map(rs))
                .findOne());
  }

  @Override
  public void insert(Operator o) {
    db.tx(
        h ->
            h.createUpdate(
                    "INSERT INTO ui_operators (name, grant_role, grant_teams, created_at,"
                        + " updated_at) VALUES (:name, :role, :teams, :created, :updated)")
                .bind("name", o.name())
                .bind("role", o.grant().role())
                .bind("teams", teams(o.grant()))
                .bind("created", o.createdAt())
                .bind("updated", o.updatedAt())
                .execute(),
        constraint -> "operator '" + o.name() + "' already exists");
  }

  @Override
  public void update(Operator o) {
    int n =
        db.with(
            h ->
                h.createUpdate(
                        "UPDATE ui_operators SET grant_role = :role, grant_teams = :teams,"
                            + " updated_at = :updated WHERE name = :name")
                    .bind("name", o.name())
                    .bind("role", o.grant().role())
                    .bind("teams", teams(o.grant()))
                    .bind("updated", o.updatedAt())
                    .execute());
    if (n == 0) {
      throw new NotFoundException("operator '" + o.name() + "' does not exist");
    }
  }

  @Override
  public boolean delete(String name) {
    return db.with(
            h ->
                h.createUpdate("DELETE FROM ui_operators WHERE name = :name")
                    .bind("name", name)
                    .execute())
        > 0;
  }

  private static String[] teams(Grant grant) {
    return grant instanceof Grant.TeamAdmin t ? t.teamIds().toArray(String[]::new) : new String[0];
  }

  private static Operator map(ResultSet rs) throws SQLException {
    String role = rs.getString("grant_role");
    Grant grant =
        switch (role) {
          case "proxy_admin" -> new Grant.ProxyAdmin();
          case "viewer" -> new Grant.Viewer();
          case "team_admin" ->
              new Grant.TeamAdmin(Set.of((String[]) rs.getArray("grant_teams").getArray()));
          default -> throw new IllegalStateException("unknown operator role " + role);
        };
    return new Operator(
        rs.getString("name"),
        grant,
        Rows.instant(rs, "created_at"),
        Rows.instant(rs, "updated_at"));
  }
}

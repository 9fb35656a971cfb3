package io.llmgateway.postgres;

import io.llmgateway.core.Page;
import io.llmgateway.core.error.NotFoundException;
import io.llmgateway.core.identity.KeyHash;
import io.llmgateway.core.identity.KeyQuery;
import io.llmgateway.core.identity.KeyRole;
import io.llmgateway.core.identity.KeyStore;
import io.llmgateway.core.identity.Principal;
import io.llmgateway.core.identity.VirtualKey;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.jdbi.v3.core.statement.SqlStatement;
import org.jdbi.v3.core.statement.StatementContext;

/** Virtual keys (hashes only) in PostgreSQL. Thread-safe. */
final class PostgresKeyStore implements KeyStore {
  private static final String KEY_COLUMNS =
      Rows.columns(
              "k",
              "",
              "id",
              "key_hash",
              "display_prefix",
              "alias",
              "user_id",
              "team_id",
              "role",
              "status",
              "models",
              "rpm",
              "tpm",
              "max_parallel",
              "expires_at",
              "previous_hash",
              "grace_until",
              "metadata",
              "created_at",
              "updated_at",
              "temp_budget_increase_nanos",
              "temp_budget_expiry")
          + ", "
          + Rows.budgetsColumn("key", "k.id", "key_budgets");

  private static final String SELECT = "SELECT " + KEY_COLUMNS + " FROM virtual_keys k ";

  /**
   * Authentication's one query: the key (by current hash, or previous hash inside its grace
   * period), its user, and its team (the key's own team, else the user's team). The hash lookups
   * use the unique index on key_hash and the partial index on previous_hash.
   */
  private static final String PRINCIPAL =
      "SELECT "
          + KEY_COLUMNS
          + ", u.id IS NOT NULL AS has_user, "
          + PostgresUserStore.columns("u", "m", "u_")
          + ", t.id IS NOT NULL AS has_team, "
          + PostgresTeamStore.columns("t", "t_")
          + " FROM virtual_keys k"
          + " LEFT JOIN users u ON u.id = k.user_id"
          + " LEFT JOIN team_members m ON m.user_id = u.id"
          + " LEFT JOIN teams t ON t.id = coalesce(k.team_id, m.team_id)"
          + " WHERE k.key_hash = :hash"
          + " OR (k.previous_hash = :hash AND k.grace_until > :now)"
          + " ORDER BY (k.key_hash = :hash) DESC LIMIT 1";

  private final Db db;

  PostgresKeyStore(Db db) {
    this.db = db;
  }

  @Override
  public Optional<Principal.Keyed> findPrincipal(KeyHash hash, Instant now) {
    return db.with(
        h ->
            h.createQuery(PRINCIPAL)
                .bind("hash", hash.hex())
                .bind("now", now)
                .map(
                    (rs, ctx) ->
                        new Principal.Keyed(
                            map(rs, ctx),
                            rs.getBoolean("has_user")
                                ? Optional.of(PostgresUserStore.map(rs, "u_"))
                                : Optional.empty(),
                            rs.getBoolean("has_team")
                                ? Optional.of(PostgresTeamStore.map(rs, "t_"))
                                : Optional.empty()))
                .findOne());
  }

  @Override
  public Optional<VirtualKey> findById(String keyId) {
    return findOne("k.id = :v", keyId);
  }

  @Override
  public Optional<VirtualKey> findByHash(KeyHash hash) {
    return findOne("k.key_hash = :v", hash.hex());
  }

  @Override
  public Optional<VirtualKey> findByAlias(String alias) {
    return findOne("k.alias = :v", alias);
  }

  private Optional<VirtualKey> findOne(String condition, String value) {
    return db.with(
        h ->
            h.createQuery(SELECT + "WHERE " + condition)
                .bind("v", value)
                .map(PostgresKeyStore::map)
                .findOne());
  }

  @Override
  public void insert(VirtualKey key) {
    db.tx(
        h -> {
          bind(
                  h.createUpdate(
                      "INSERT INTO virtual_keys (id, key_hash, display_prefix, alias, user_id,"
                          + " team_id, role, status, models, rpm, tpm, max_parallel, expires_at,"
                          + " previous_hash, grace_until, metadata, created_at, updated_at) VALUES"
                          + " (:id, :key_hash, :display_prefix, :alias, :user_id, :team_id, :role,"
                          + " :status, :models, :rpm, :tpm, :max_parallel, :expires_at,"
                          + " :previous_hash, :grace_until, CAST(:metadata AS jsonb), :created_at,"
                          + " :updated_at)"),
                  key)
              .execute();
          Rows.replaceBudgets(h, "key", key.id(), key.budgets());
          Rows.writeIncrease(h, "virtual_keys", key.id(), key.budgetIncrease());
          return null;
        },
        constraint -> conflict(key, constraint));
  }

  @Override
  public void update(VirtualKey key) {
    db.tx(
        h -> {
          int n =
              bind(
                      h.createUpdate(
                          "UPDATE virtual_keys SET key_hash = :key_hash, display_prefix ="
                              + " :display_prefix, alias = :alias, user_id = :user_id, team_id ="
                              + " :team_id, role = :role, status = :status, models = :models, rpm"
                              + " = :rpm, tpm = :tpm, max_parallel = :max_parallel, expires_at ="
                              + " :expires_at, previous_hash = :previous_hash, grace_until ="
                              + " :grace_until, metadata = CAST(:metadata AS jsonb), updated_at ="
                              + " :updated_at WHERE id = :id"),
                      key)
                  .execute();
          if (n == 0) {
            throw new NotFoundException("key '" + key.id() + "' does not exist");
          }
          Rows.replaceBudgets(h, "key", key.id(), key.budgets());
          Rows.writeIncrease(h, "virtual_keys", key.id(), key.budgetIncrease());
          return null;
        },
        constraint -> conflict(key, constraint));
  }

  private static String conflict(VirtualKey key, String constraint) {
    if (constraint.contains("alias")) {
      return "key alias '" + key.alias().orElse("") + "' is already taken";
    }
    if (constraint.contains("user")) {
      return "user '" + key.userId().orElse("") + "' does not exist";
    }
    if (constraint.contains("team")) {
      return "team '" + key.teamId().orElse("") + "' does not exist";
    }
    // Never echo a hash (house rule: no hashes in messages).
    return "key already exists";
  }

  @Override
  public boolean delete(String keyId) {
    return db.tx(
        h -> {
          Rows.deleteBudgets(h, "key", keyId);
          return h.createUpdate("DELETE FROM virtual_keys WHERE id = :id")
                  .bind("id", keyId)
                  .execute()
              > 0;
        });
  }

  @Override
  public Page<VirtualKey> list(KeyQuery query) {
    List<String> conditions = new ArrayList<>();
    query.userId().ifPresent(v -> conditions.add("k.user_id = :user"));
    query.teamId().ifPresent(v -> conditions.add("k.team_id = :team"));
    query.alias().ifPresent(v -> conditions.add("k.alias = :alias"));
    query
        .search()
        .ifPresent(
            v ->
                conditions.add(
                    ListSql.searchCondition(
                        List.of("k.id", "k.alias", "k.display_prefix", "k.user_id"))));
    String where = conditions.isEmpty() ? "" : "WHERE " + String.join(" AND ", conditions) + " ";
    boolean bySpend = query.sort().field() == KeyQuery.By.SPEND;
    String order =
        ListSql.orderBy(orderColumn(query.sort().field()), query.sort().descending(), "k.id");
    return ListSql.listing(
        db,
        bySpend,
        query.spendSince(),
        SpendRollups.Column.KEY,
        "k.id",
        (h, spend) -> {
          var count = h.createQuery("SELECT count(*) FROM virtual_keys k " + where);
          var select = h.createQuery(SELECT + spend.sql() + where + order + "LIMIT :l OFFSET :o");
          for (var s : List.of(count, select)) {
            query.userId().ifPresent(v -> s.bind("user", v));
            query.teamId().ifPresent(v -> s.bind("team", v));
            query.alias().ifPresent(v -> s.bind("alias", v));
            query.search().ifPresent(v -> s.bind(ListSql.SEARCH, ListSql.containsPattern(v)));
          }
          spend.bind(select);
          long total = count.mapTo(Long.class).one();
          List<VirtualKey> items =
              select
                  .bind("l", query.page().size())
                  .bind("o", query.page().offset())
                  .map(PostgresKeyStore::map)
                  .list();
          return new Page<>(items, total, query.page());
        });
  }

  /** The allow-list: each sort field's column; nothing else can reach the ORDER BY. */
  private static String orderColumn(KeyQuery.By by) {
    return switch (by) {
      // Created, then id: the order keys were always listed in.
      case CREATED -> "k.created_at";
      case ALIAS -> ListSql.text("k.alias");
      case USER -> ListSql.text("k.user_id");
      case TEAM -> ListSql.text("k.team_id");
      case STATUS -> ListSql.text("k.status");
      case EXPIRES -> "k.expires_at";
      case SPEND -> ListSql.SPEND;
    };
  }

  private static <S extends SqlStatement<S>> S bind(S s, VirtualKey k) {
    return Rows.bindRateLimits(s, k.rateLimits())
        .bind("id", k.id())
        .bind("key_hash", k.hash().hex())
        .bind("display_prefix", k.displayPrefix())
        .bind("alias", k.alias().orElse(null))
        .bind("user_id", k.userId().orElse(null))
        .bind("team_id", k.teamId().orElse(null))
        .bind("role", k.role().name())
        .bind("status", k.blocked() ? "blocked" : "active")
        .bind("models", Rows.array(k.models()))
        .bindByType("expires_at", k.expiresAt().orElse(null), Instant.class)
        .bind("previous_hash", k.previousHash().map(KeyHash::hex).orElse(null))
        .bindByType("grace_until", k.graceUntil().orElse(null), Instant.class)
        .bind("metadata", Json.write(k.metadata()))
        .bind("created_at", k.createdAt())
        .bind("updated_at", k.updatedAt());
  }

  static VirtualKey map(ResultSet rs, StatementContext ctx) throws SQLException {
    return new VirtualKey(
        rs.getString("id"),
        new KeyHash(rs.getString("key_hash")),
        rs.getString("display_prefix"),
        Rows.optionalString(rs, "alias"),
        Rows.optionalString(rs, "user_id"),
        Rows.optionalString(rs, "team_id"),
        KeyRole.valueOf(rs.getString("role")),
        Rows.strings(rs, "models"),
        Rows.budgets(rs, "key_budgets"),
        Rows.rateLimits(rs, ""),
        "blocked".equals(rs.getString("status")),
        Rows.optionalInstant(rs, "expires_at"),
        Rows.optionalString(rs, "previous_hash").map(KeyHash::new),
        Rows.optionalInstant(rs, "grace_until"),
        Json.read(rs.getString("metadata")),
        Rows.instant(rs, "created_at"),
        Rows.instant(rs, "updated_at"),
        Rows.increase(rs, ""));
  }
}

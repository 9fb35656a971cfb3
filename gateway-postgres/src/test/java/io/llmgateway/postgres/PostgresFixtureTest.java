package io.llmgateway.postgres;

import static org.assertj.core.api.Assertions.assertThat;

import io.llmgateway.postgres.testing.PostgresFixture;
import java.util.List;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.Test;

/**
 * The copied databases most tests run on ({@link PostgresFixture#migratedDatabase}) are what
 * running the migrations gives, and each is a database of its own.
 */
class PostgresFixtureTest {
  /** Every object of the public schema with its definition, and the applied migrations. */
  private static final String SCHEMA =
      """
      SELECT 'rel ' || c.relname || ' ' || c.relkind::text || ' '
             || coalesce((SELECT string_agg(a.attname || ':' || format_type(a.atttypid, a.atttypmod)
                                              || ':' || a.attnotnull, ',' ORDER BY a.attnum)
                            FROM pg_attribute a WHERE a.attrelid = c.oid AND a.attnum > 0
                             AND NOT a.attisdropped), '')
        FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
       WHERE n.nspname = 'public'
      UNION ALL
      SELECT 'fn ' || p.proname || '(' || pg_get_function_identity_arguments(p.oid) || ') '
             || md5(pg_get_functiondef(p.oid))
        FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace
       WHERE n.nspname = 'public' AND p.prokind IN ('f', 'p')
      UNION ALL
      SELECT 'idx ' || indexname || ' ' || indexdef FROM pg_indexes WHERE schemaname = 'public'
      UNION ALL
      SELECT 'con ' || conname || ' ' || pg_get_constraintdef(oid)
        FROM pg_constraint WHERE connamespace = 'public'::regnamespace
      UNION ALL
      SELECT 'trg ' || tgname || ' ' || pg_get_triggerdef(oid) FROM pg_trigger WHERE NOT tgisinternal
      UNION ALL
      SELECT 'mig ' || version || ' ' || checksum || ' ' || success
        FROM flyway_schema_history
      ORDER BY 1
      """;

  @Test
  void aCopiedDatabaseHasTheSchemaTheMigrationsGive() {
    DatabaseConfig migrated = PostgresFixture.freshDatabase(1);
    PostgresAdapters.migrate(migrated);
    DatabaseConfig copied = PostgresFixture.migratedDatabase();

    List<String> expected = schema(migrated);
    assertThat(expected).anyMatch(s -> s.startsWith("fn ledger_reserve("));
    assertThat(expected).anyMatch(s -> s.startsWith("mig "));
    assertThat(schema(copied)).isEqualTo(expected);

    // Nothing left to do there: the copy is at the build's last migration.
    try (PostgresAdapters adapters = PostgresAdapters.start(copied)) {
      assertThat(adapters.pendingMigrations()).isEmpty();
    }
  }

  @Test
  void copiesAreDatabasesOfTheirOwnAndCommitAsynchronouslyAsFreshOnesDo() {
    DatabaseConfig one = PostgresFixture.migratedDatabase(1);
    DatabaseConfig two = PostgresFixture.migratedDatabase(1);
    assertThat(one.jdbcUrl()).isNotEqualTo(two.jdbcUrl());

    jdbi(one).useHandle(h -> h.execute("CREATE TABLE only_in_one (x int)"));
    assertThat(tables(one)).contains("only_in_one");
    assertThat(tables(two)).doesNotContain("only_in_one");
    String commit =
        jdbi(two)
            .withHandle(h -> h.createQuery("SHOW synchronous_commit").mapTo(String.class).one());
    assertThat(commit).isEqualTo("off");
  }

  private static List<String> schema(DatabaseConfig db) {
    return jdbi(db).withHandle(h -> h.createQuery(SCHEMA).mapTo(String.class).list());
  }

  private static List<String> tables(DatabaseConfig db) {
    return jdbi(db)
        .withHandle(
            h ->
                h.createQuery("SELECT tablename FROM pg_tables WHERE schemaname = 'public'")
                    .mapTo(String.class)
                    .list());
  }

  private static Jdbi jdbi(DatabaseConfig db) {
    return Jdbi.create(db.jdbcUrl(), db.username(), db.password());
  }
}

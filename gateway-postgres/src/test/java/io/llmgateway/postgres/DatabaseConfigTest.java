package io.llmgateway.postgres;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class DatabaseConfigTest {

  @Test
  void parsesTheLibpqFormAsRdsAndLiteLlmUsersHaveIt() {
    DatabaseConfig c =
        DatabaseConfig.fromUrl(
            "postgresql://gw:s%40cret@db.example.internal:5432/gateway?sslmode=require", 5);
    assertThat(c.jdbcUrl())
        .isEqualTo("jdbc:postgresql://db.example.internal:5432/gateway?sslmode=require");
    assertThat(c.username()).isEqualTo("gw");
    assertThat(c.password()).isEqualTo("s@cret");
    assertThat(c.poolSize()).isEqualTo(5);
  }

  @Test
  void acceptsThePostgresSchemeAndNoPort() {
    DatabaseConfig c = DatabaseConfig.fromUrl("postgres://u:p@localhost/db", 3);
    assertThat(c.jdbcUrl()).isEqualTo("jdbc:postgresql://localhost/db");
    assertThat(c.username()).isEqualTo("u");
  }

  @Test
  void takesCredentialsOutOfAJdbcUrl() {
    DatabaseConfig c =
        DatabaseConfig.fromUrl("jdbc:postgresql://h:5433/db?user=alice&password=pw&ssl=true", 7);
    assertThat(c.jdbcUrl()).isEqualTo("jdbc:postgresql://h:5433/db?ssl=true");
    assertThat(c.username()).isEqualTo("alice");
    assertThat(c.password()).isEqualTo("pw");
  }

  @Test
  void neverPrintsThePassword() {
    DatabaseConfig c = DatabaseConfig.fromUrl("postgresql://gw:topsecret@h/db", 5);
    assertThat(c.toString()).doesNotContain("topsecret").contains("****");
  }

  @Test
  void refusesOtherSchemesWithoutEchoingTheUrl() {
    assertThatThrownBy(() -> DatabaseConfig.fromUrl("mysql://u:topsecret@h/db", 5))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageNotContaining("topsecret");
    assertThatThrownBy(() -> DatabaseConfig.fromUrl("postgresql://u:top secret@h/db", 5))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageNotContaining("secret");
    assertThatThrownBy(() -> DatabaseConfig.fromUrl("postgresql://h/db", 0))
        .isInstanceOf(IllegalArgumentException.class);
  }
}

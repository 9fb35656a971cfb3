package io.llmgateway.server.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/**
 * RDS: private, encrypted, TLS-only PostgreSQL 16 with backups and teardown behaviour as variables
 * (which environment = "prod" turns on: {@link DeployDefaultsPolicyTest}).
 */
class DatabasePolicyTest {

  private static final TerraformTree TF = TerraformTree.load();

  private static TerraformTree.Located instance() {
    assertThat(TF.resources("aws_db_instance")).hasSize(1);
    return TF.resources("aws_db_instance").getFirst();
  }

  @Test
  void databaseIsNotPubliclyAccessible() {
    assertThat(instance().attr("publicly_accessible")).isEqualTo("false");
  }

  @Test
  void storageIsEncrypted() {
    assertThat(instance().attr("storage_encrypted")).isEqualTo("true");
  }

  @Test
  void connectionsMustUseTls() {
    var parameterGroup = TF.resources("aws_db_parameter_group").getFirst();
    assertThat(instance().attr("parameter_group_name"))
        .isEqualTo("aws_db_parameter_group." + parameterGroup.block().label(1) + ".name");
    assertThat(parameterGroup.body().blocks("parameter"))
        .anySatisfy(
            p -> {
              assertThat(p.body().attribute("name")).contains("\"rds.force_ssl\"");
              assertThat(p.body().attribute("value")).contains("\"1\"");
            });
    assertThat(TF.module("modules/secrets").local("database_url").orElseThrow())
        .contains("sslmode=require");
  }

  @Test
  void engineIsPostgresql16() {
    assertThat(instance().attr("engine")).isEqualTo("\"postgres\"");
    assertThat(instance().attr("engine_version")).isEqualTo("var.engine_version");
    assertThat(
            TF.module("environments/dev")
                .variable("db_engine_version")
                .orElseThrow()
                .body()
                .attribute("default"))
        .contains("\"16\"");
  }

  @Test
  void backupsDeletionProtectionAndFinalSnapshotAreVariables() {
    var db = instance();
    assertThat(db.attr("backup_retention_period")).isEqualTo("var.backup_retention_period");
    assertThat(db.attr("deletion_protection")).isEqualTo("var.deletion_protection");
    assertThat(db.attr("skip_final_snapshot")).isEqualTo("var.skip_final_snapshot");
    assertThat(db.attr("final_snapshot_identifier")).contains("var.skip_final_snapshot ? null");
  }
}

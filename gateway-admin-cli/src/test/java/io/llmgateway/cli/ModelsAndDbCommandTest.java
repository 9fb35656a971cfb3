package io.llmgateway.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.llmgateway.cli.testing.CliHarness;
import io.llmgateway.postgres.testing.PostgresFixture;
import org.junit.jupiter.api.Test;

class ModelsAndDbCommandTest extends CommandTest {

  @Test
  void modelsSyncIsIdempotentAndListShowsPrices() {
    var first = ok("models", "sync", "--file", "config/models.yaml");
    var again = ok("models", "sync");
    var list = ok("models", "list");

    assertThat(first.out())
        .contains("created   nova-micro-us-east-1 model-cheap -> bedrock/us.amazon.nova-micro-v1:0")
        // The three Nova models, model-embed, two Claude models and Nova 2 Lite.
        .contains("7 to create, 0 to update, 0 unchanged");
    assertThat(again.out()).contains("0 to create, 0 to update, 7 unchanged");
    assertThat(list.out())
        .contains("model-cheap")
        .contains("us.amazon.nova-micro-v1:0")
        .contains("0.035")
        .contains("0.14")
        .contains("us-east-1");
    assertThat(cli.stores().catalog().models()).hasSize(7);
  }

  @Test
  void modelsSyncDryRunChangesNothing() {
    var r = ok("models", "sync", "--dry-run");

    assertThat(r.out()).contains("dry run, nothing changed: 7 to create");
    assertThat(cli.stores().catalog().models()).isEmpty();
  }

  /** Issue 15, finding 2: the CLI reads models.yaml through the same region grammar. */
  @Test
  void modelsSyncRefusesARegionThatIsNotAnAwsRegionAndStoresNothing() throws Exception {
    cli.write(
        "evil.yaml",
        """
        model_list:
          - model_name: model-cheap
            litellm_params:
              model: bedrock/converse/us.amazon.nova-micro-v1:0
              aws_region_name: "x@169.254.169.254#"
        """);

    var r = fails(ExitCode.VALIDATION, "models", "sync", "--file", "evil.yaml");

    assertThat(r.err()).contains("aws_region_name must be an AWS region").doesNotContain("169.254");
    assertThat(cli.stores().catalog().models()).isEmpty();
  }

  @Test
  void dbStatusShowsPendingMigrationsAndMigrateAppliesThem() {
    // A database nobody has opened yet: no schema at all.
    cli.env.put("DATABASE_URL", CliHarness.urlOf(PostgresFixture.freshDatabase(1)));

    var before = ok("db", "status");
    var migrate = ok("db", "migrate");
    var after = ok("db", "status");
    var again = ok("db", "migrate");

    assertThat(before.out()).contains("pending").contains("run 'gateway-admin db migrate'");
    assertThat(migrate.out()).contains("applied").contains("1 ");
    assertThat(after.out())
        .contains("applied")
        .doesNotContain("pending")
        .contains("schema is up to date");
    assertThat(again.out()).contains("schema is up to date");
  }
}

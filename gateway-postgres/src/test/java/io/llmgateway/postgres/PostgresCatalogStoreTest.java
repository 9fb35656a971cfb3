package io.llmgateway.postgres;

import static io.llmgateway.postgres.TestData.id;
import static org.assertj.core.api.Assertions.assertThat;

import io.llmgateway.core.catalog.Deployment;
import io.llmgateway.core.catalog.Pricing;
import io.llmgateway.core.money.Price;
import java.net.URI;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class PostgresCatalogStoreTest extends PostgresTestBase {

  static Deployment deployment(String id, String model) {
    return new Deployment(
        id,
        model,
        "bedrock",
        "us.amazon.nova-micro-v1:0",
        Optional.of("us-east-1"),
        Optional.of(URI.create("http://127.0.0.1:9999")),
        new Pricing(
            Price.perMillionUsd("0.035"),
            Price.perMillionUsd("0.14"),
            Price.perMillionUsd("0.00875"),
            Price.perMillionUsd("0.035")),
        128_000,
        5_000,
        Deployment.Source.CONFIG);
  }

  @Test
  void groupsDeploymentsIntoModelsInInsertionOrder() {
    String model = id("model");
    Deployment first = deployment(id("d"), model);
    Deployment second = deployment(id("d"), model);
    stores.catalog().upsert(first);
    stores.catalog().upsert(second);
    assertThat(stores.catalog().model(model).orElseThrow().deployments())
        .containsExactly(first, second);
    assertThat(stores.catalog().models()).anySatisfy(m -> assertThat(m.name()).isEqualTo(model));
    assertThat(stores.catalog().deployment(first.id())).contains(first);
  }

  @Test
  void upsertReplacesADeploymentKeepingItsPlace() {
    String model = id("model");
    Deployment first = deployment(id("d"), model);
    Deployment second = deployment(id("d"), model);
    stores.catalog().upsert(first);
    stores.catalog().upsert(second);
    Deployment changed =
        new Deployment(
            first.id(),
            model,
            "mock",
            "m",
            Optional.empty(),
            Optional.empty(),
            Pricing.of(Price.perMillionUsd("1"), Price.perMillionUsd("2")),
            1000,
            100,
            Deployment.Source.API);
    stores.catalog().upsert(changed);
    assertThat(stores.catalog().model(model).orElseThrow().deployments())
        .containsExactly(changed, second);
  }

  @Test
  void movingTheLastDeploymentAwayRemovesTheOldModel() {
    String a = id("model");
    String b = id("model");
    Deployment d = deployment(id("d"), a);
    stores.catalog().upsert(d);
    stores.catalog().upsert(deployment(d.id(), b));
    assertThat(stores.catalog().model(a)).isEmpty();
    assertThat(stores.catalog().model(b)).isPresent();
  }

  @Test
  void deletingTheLastDeploymentRemovesTheModel() {
    String model = id("model");
    Deployment d = deployment(id("d"), model);
    stores.catalog().upsert(d);
    assertThat(stores.catalog().delete(d.id())).isTrue();
    assertThat(stores.catalog().delete(d.id())).isFalse();
    assertThat(stores.catalog().model(model)).isEmpty();
    assertThat(stores.catalog().deployment(d.id())).isEmpty();
  }
}

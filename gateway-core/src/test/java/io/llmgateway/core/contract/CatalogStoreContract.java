package io.llmgateway.core.contract;

import static io.llmgateway.core.testing.Fixtures.deployment;
import static org.assertj.core.api.Assertions.assertThat;

import io.llmgateway.core.Stores;
import io.llmgateway.core.catalog.CatalogStore;
import io.llmgateway.core.catalog.Deployment;
import io.llmgateway.core.catalog.LogicalModel;
import io.llmgateway.core.testing.Fixtures;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** What every {@link CatalogStore} must do. Subclass it with a factory for fresh, empty stores. */
public abstract class CatalogStoreContract {

  /** Fresh, empty stores for each test. */
  protected abstract Stores newStores();

  protected CatalogStore catalog;

  @BeforeEach
  void setUpStores() {
    catalog = newStores().catalog();
  }

  @Test
  void anEmptyCatalogHasNoModels() {
    assertThat(catalog.models()).isEmpty();
    assertThat(catalog.model("model-cheap")).isEmpty();
    assertThat(catalog.deployment("d1")).isEmpty();
  }

  @Test
  void roundTripsEveryFieldOfADeployment() {
    Deployment d =
        deployment("nova-pro-us", "model-smart")
            .provider("bedrock")
            .providerModelId("us.amazon.nova-pro-v1:0")
            .region("us-east-1")
            .endpoint("http://127.0.0.1:8089")
            .pricing(Fixtures.NOVA_PRO)
            .limits(300_000, 10_000)
            .source(Deployment.Source.CONFIG)
            .build();
    catalog.upsert(d);

    assertThat(catalog.deployment("nova-pro-us")).contains(d);
  }

  @Test
  void groupsDeploymentsIntoLogicalModelsOrderedByName() {
    catalog.upsert(deployment("pro", "model-smart").pricing(Fixtures.NOVA_PRO).build());
    catalog.upsert(deployment("micro-a", "model-cheap").build());
    catalog.upsert(deployment("micro-b", "model-cheap").region("us-west-2").build());

    assertThat(catalog.models())
        .extracting(LogicalModel::name)
        .containsExactly("model-cheap", "model-smart");
    LogicalModel cheap = catalog.model("model-cheap").orElseThrow();
    assertThat(cheap.deployments())
        .extracting(Deployment::id)
        .containsExactlyInAnyOrder("micro-a", "micro-b");
  }

  @Test
  void upsertReplacesADeploymentWithTheSameId() {
    catalog.upsert(deployment("d1", "model-cheap").build());
    Deployment repriced = deployment("d1", "model-cheap").pricing(Fixtures.NOVA_LITE).build();

    catalog.upsert(repriced);

    assertThat(catalog.deployment("d1")).contains(repriced);
    assertThat(catalog.model("model-cheap").orElseThrow().deployments()).containsExactly(repriced);
  }

  @Test
  void upsertCanMoveADeploymentToAnotherModel() {
    catalog.upsert(deployment("d1", "model-cheap").build());

    catalog.upsert(deployment("d1", "model-fast").build());

    assertThat(catalog.model("model-cheap")).isEmpty();
    assertThat(catalog.model("model-fast")).isPresent();
  }

  @Test
  void deleteRemovesADeploymentAndAModelWithNoneLeft() {
    catalog.upsert(deployment("d1", "model-cheap").build());

    assertThat(catalog.delete("d1")).isTrue();
    assertThat(catalog.delete("d1")).isFalse();
    assertThat(catalog.deployment("d1")).isEmpty();
    assertThat(catalog.models()).isEmpty();
  }
}

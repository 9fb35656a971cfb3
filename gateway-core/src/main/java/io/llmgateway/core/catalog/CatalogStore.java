package io.llmgateway.core.catalog;

import java.util.List;
import java.util.Optional;

/** The port that stores model deployments. Implementations are thread-safe. */
public interface CatalogStore {

  /** Every deployment, grouped into logical models, ordered by model name. */
  List<LogicalModel> models();

  Optional<LogicalModel> model(String name);

  Optional<Deployment> deployment(String deploymentId);

  /** Inserts or replaces a deployment by id. */
  void upsert(Deployment deployment);

  /** Deletes a deployment by id; returns false if there was none. */
  boolean delete(String deploymentId);
}

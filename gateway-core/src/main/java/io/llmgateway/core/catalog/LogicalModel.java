package io.llmgateway.core.catalog;

import java.util.List;

/**
 * A name clients use ({@code model-cheap}) and the deployments that serve it, in failover order.
 * Immutable and thread-safe.
 */
public record LogicalModel(String name, List<Deployment> deployments) {
  public LogicalModel {
    if (name == null || name.isBlank()) {
      throw new IllegalArgumentException("model name must not be blank");
    }
    deployments = List.copyOf(deployments);
    if (deployments.isEmpty()) {
      throw new IllegalArgumentException("model '" + name + "' has no deployment");
    }
    for (Deployment d : deployments) {
      if (!d.modelName().equals(name)) {
        throw new IllegalArgumentException("deployment " + d.id() + " is not for model " + name);
      }
    }
  }
}

package io.llmgateway.cli.sync;

import io.llmgateway.cli.admin.Admin;
import io.llmgateway.core.catalog.Deployment;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Makes the model catalog contain every deployment of {@code models.yaml}, by deployment id: new
 * ones are created, changed ones replaced, equal ones left alone. Deployments not in the file are
 * kept (they may have come from {@code POST /model/new}). Stateless.
 */
public final class ModelSync {
  private ModelSync() {}

  /** One planned change. */
  public record Change(Deployment desired, Action action, Optional<Deployment> current) {}

  public static List<Change> plan(List<Deployment> wanted, Admin admin) {
    Map<String, Deployment> current =
        admin.models().stream()
            .flatMap(m -> m.deployments().stream())
            .collect(Collectors.toMap(Deployment::id, Function.identity(), (a, b) -> a));
    List<Change> changes = new ArrayList<>();
    for (Deployment d : wanted) {
      Deployment have = current.get(d.id());
      Action a = have == null ? Action.CREATE : have.equals(d) ? Action.UNCHANGED : Action.UPDATE;
      changes.add(new Change(d, a, Optional.ofNullable(have)));
    }
    return changes;
  }

  public static void apply(List<Change> changes, Admin admin) {
    for (Change c : changes) {
      if (c.action() != Action.UNCHANGED) {
        admin.upsertDeployment(c.desired());
      }
    }
  }
}

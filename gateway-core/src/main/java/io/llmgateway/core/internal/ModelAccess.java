package io.llmgateway.core.internal;

import io.llmgateway.core.catalog.LogicalModel;
import io.llmgateway.core.identity.Grant;
import io.llmgateway.core.identity.Principal;
import java.util.List;

/**
 * Whether a principal may use a model: every allow-list on the way (key, user, team) must allow it;
 * an empty list allows everything, as in LiteLLM. Stateless.
 */
public final class ModelAccess {
  private ModelAccess() {}

  public static boolean allows(Principal principal, String model) {
    return switch (principal) {
      case Principal.Master m -> true;
      case Principal.Keyed k ->
          allowedBy(k.key().models(), model)
              && k.user().map(u -> allowedBy(u.models(), model)).orElse(true)
              && k.team().map(t -> t.allowsModel(model)).orElse(true);
      // A person in the admin UI sends no requests of their own (the playground sends as a key);
      // this answers only which models an operator sees as usable.
      case Principal.Person p ->
          p.grant() instanceof Grant.ProxyAdmin || p.grant() instanceof Grant.Viewer;
    };
  }

  public static List<String> allowedNames(Principal principal, List<LogicalModel> catalog) {
    return catalog.stream().map(LogicalModel::name).filter(n -> allows(principal, n)).toList();
  }

  private static boolean allowedBy(List<String> allowList, String model) {
    return allowList.isEmpty() || allowList.contains(model);
  }
}

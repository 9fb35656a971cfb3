package io.llmgateway.core;

import io.llmgateway.core.catalog.Deployment;
import io.llmgateway.core.catalog.LogicalModel;
import io.llmgateway.core.error.Billing;
import io.llmgateway.core.error.ModelNotAllowedException;
import io.llmgateway.core.error.ProviderUnavailableException;
import io.llmgateway.core.error.UnknownModelException;
import io.llmgateway.core.identity.Principal;
import io.llmgateway.core.internal.ModelAccess;
import io.llmgateway.core.provider.ModelProvider;
import java.util.List;
import java.util.Map;

/**
 * Which logical model a principal's request may go to, and which provider serves a deployment: the
 * one place every operation (chat, stream, embeddings, token counting) decides both.
 */
final class Routing {
  private final Stores stores;
  private final Map<String, ModelProvider> providers;
  private final GatewayEvents events;

  Routing(Stores stores, Map<String, ModelProvider> providers, GatewayEvents events) {
    this.stores = stores;
    this.providers = Map.copyOf(providers);
    this.events = events;
  }

  /**
   * The model named {@code modelName}, if it exists and {@code principal} may use it; otherwise the
   * refusal is reported to the events and thrown.
   */
  LogicalModel authorize(Principal principal, String modelName) {
    LogicalModel model = stores.catalog().model(modelName).orElse(null);
    if (model == null) {
      UnknownModelException e = new UnknownModelException(modelName);
      events.refused(modelName, e);
      throw e;
    }
    if (!ModelAccess.allows(principal, modelName)) {
      ModelNotAllowedException e =
          new ModelNotAllowedException(
              modelName, ModelAccess.allowedNames(principal, stores.catalog().models()));
      events.refused(modelName, e);
      throw e;
    }
    return model;
  }

  /** The logical models {@code principal} may use. */
  List<LogicalModel> models(Principal principal) {
    return stores.catalog().models().stream()
        .filter(m -> ModelAccess.allows(principal, m.name()))
        .toList();
  }

  /**
   * The provider of deployment {@code d}; a missing one is an unbilled, non-retryable upstream
   * failure (so it settles, charging nothing, like any other attempt that never left).
   */
  ModelProvider provider(Deployment d) {
    ModelProvider p = providers.get(d.provider());
    if (p == null) {
      throw new ProviderUnavailableException(
          ProviderUnavailableException.Kind.UNAVAILABLE,
          Billing.NOT_BILLED,
          false,
          "no provider '" + d.provider() + "' is configured for deployment " + d.id());
    }
    return p;
  }
}

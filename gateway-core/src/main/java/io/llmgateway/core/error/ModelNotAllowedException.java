package io.llmgateway.core.error;

import java.util.List;

/** The model exists but this key, user or team may not use it. */
public final class ModelNotAllowedException extends GatewayException {
  private final String model;
  private final List<String> allowed;

  public ModelNotAllowedException(String model, List<String> allowed) {
    super(
        "model '"
            + model
            + "' is not allowed for this key; allowed models: "
            + (allowed.isEmpty() ? "(none)" : String.join(", ", allowed)));
    this.model = model;
    this.allowed = List.copyOf(allowed);
  }

  public String model() {
    return model;
  }

  public List<String> allowed() {
    return allowed;
  }

  @Override
  public String code() {
    return "model_not_allowed";
  }
}

package io.llmgateway.core.error;

/** No logical model of that name is configured. */
public final class UnknownModelException extends GatewayException {
  private final String model;

  public UnknownModelException(String model) {
    super("model '" + model + "' does not exist");
    this.model = model;
  }

  public String model() {
    return model;
  }

  @Override
  public String code() {
    return "model_not_found";
  }
}

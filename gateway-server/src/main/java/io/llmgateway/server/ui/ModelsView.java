package io.llmgateway.server.ui;

import java.util.List;

/** The models page's data: each deployment with prices, limits, health and spend. Immutable. */
record ModelsView(
    List<Row> deployments,
    int healthy,
    int total,
    ListParams list,
    List<ListParams.Column> columns,
    ModelForm form) {

  public String searchHint() {
    return "name, deployment, model id or region";
  }

  record Row(
      String model,
      String id,
      String provider,
      String providerModelId,
      String region,
      String inputPrice,
      String outputPrice,
      long inputNanos,
      long outputNanos,
      int contextWindow,
      int maxOutput,
      String source,
      String health,
      String healthClass,
      String healthDetail,
      long latencyMs,
      String monthSpend,
      long monthNanos,
      long monthRequests) {
    /** The id URL-encoded, for links. */
    public String ref() {
      return Fmt.q(id);
    }
  }
}

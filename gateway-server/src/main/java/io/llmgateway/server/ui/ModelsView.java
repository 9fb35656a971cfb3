package io.llmgateway.server.ui;

import java.util.List;

/** The models page's data: each deployment with prices, limits, health and spend. Immutable. */
record ModelsView(List<Row> deployments, int healthy, int total) {

  record Row(
      String model,
      String id,
      String provider,
      String providerModelId,
      String region,
      String inputPrice,
      String outputPrice,
      int contextWindow,
      int maxOutput,
      String source,
      String health,
      String healthClass,
      String healthDetail,
      long latencyMs,
      String monthSpend,
      long monthRequests) {}
}

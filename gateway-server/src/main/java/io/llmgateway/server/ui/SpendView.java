package io.llmgateway.server.ui;

import java.util.List;

/** The spend log page: the filters as typed, matching rows, totals and the CSV link. Immutable. */
record SpendView(
    String user,
    String team,
    String key,
    String model,
    String from,
    String to,
    List<Row> rows,
    Pager pager,
    String csvLink) {

  record Row(
      String time,
      String requestId,
      String key,
      String keyLabel,
      String user,
      String team,
      String model,
      String deployment,
      String status,
      long inputTokens,
      long outputTokens,
      String cost,
      long latencyMs,
      String error) {}
}

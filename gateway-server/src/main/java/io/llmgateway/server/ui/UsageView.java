package io.llmgateway.server.ui;

import java.util.List;

/**
 * The Usage page's data: the filters (with the choices for each), the chart series as JSON for
 * usage.js (in data-* attributes), the breakdown table, the budget windows of the filtered team,
 * user or key, and the CSV link for the same filter. Immutable.
 */
record UsageView(
    List<Choice> ranges,
    List<Choice> teams,
    List<Choice> users,
    List<Choice> keys,
    List<Choice> models,
    List<Choice> groupings,
    String rangeLabel,
    String zone,
    String bucketLabel,
    String groupLabel,
    String chartX,
    String chartCost,
    String chartRequests,
    String totalCost,
    long totalRequests,
    long totalInput,
    long totalOutput,
    List<Row> rows,
    int shownGroups,
    int allGroups,
    List<Budget> budgets,
    boolean budgetsAsked,
    String csvHref) {

  /** One option of a select: value, label, whether chosen. */
  record Choice(String value, String label, boolean selected) {}

  /** One group of the breakdown: label, its id, totals and share of the range's cost. */
  record Row(
      String label,
      String id,
      long requests,
      long inputTokens,
      long outputTokens,
      String cost,
      String costUsd,
      int share) {}

  /** One budget window of the filtered scope, as the team page shows them. */
  record Budget(
      String scope,
      String window,
      String period,
      String limit,
      String spent,
      String reserved,
      String remaining,
      String remainingUsd,
      int pct,
      String resetsAt) {}
}

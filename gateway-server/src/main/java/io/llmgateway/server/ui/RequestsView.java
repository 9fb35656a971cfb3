package io.llmgateway.server.ui;

import java.util.List;

/**
 * The Requests page: admitted and refused requests newest first, with the filters as typed, the
 * status choices and the pager. Immutable.
 */
record RequestsView(
    String user,
    String team,
    String key,
    String model,
    String from,
    String to,
    List<Option> statuses,
    List<Option> teams,
    List<Row> rows,
    Pager pager) {

  /** True when the team is chosen from a list (a team admin of several teams). */
  public boolean teamChoices() {
    return !teams.isEmpty();
  }

  record Option(String value, String label, boolean selected) {}

  /**
   * One request. {@code outcome} is {@code refused} or the spend status; {@code reason} the error
   * code, {@code detail} which limit (or the client address of a request without a known key).
   */
  record Row(
      String time,
      String requestId,
      String outcome,
      String httpStatus,
      String reason,
      String detail,
      String key,
      String user,
      String team,
      String model,
      String tokens,
      String cost,
      long latencyMs) {}
}

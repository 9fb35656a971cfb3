package io.llmgateway.server.ui;

import java.util.List;

/**
 * The overview page's data: headline cards, each team's spend against its budgets, the top users of
 * the month, refusals by reason, and the 30-day chart series (as JSON arrays for charts.js).
 * Immutable.
 */
record OverviewView(
    String today,
    String month,
    List<Card> cards,
    List<TeamRow> teams,
    List<UserRow> topUsers,
    List<Count> refusals,
    List<Count> errors,
    String chartDays,
    String chartCost,
    String chartRequests) {

  record Card(String label, String value, String hint) {}

  record TeamRow(
      String id,
      String alias,
      String tier,
      String todaySpend,
      String monthSpend,
      String dailyLimit,
      String monthlyLimit,
      int dailyPct,
      int monthlyPct,
      boolean hasDaily,
      boolean hasMonthly,
      String memberBudgets,
      long requestsToday) {
    /** The id URL-encoded, for links and form actions: an id is data, never URL structure. */
    public String ref() {
      return Fmt.q(id);
    }
  }

  record UserRow(
      String id,
      String team,
      String todaySpend,
      String monthSpend,
      String dailyLeft,
      long requests) {}

  record Count(String label, long count) {}
}

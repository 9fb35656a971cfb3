package io.llmgateway.server.admin;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.llmgateway.core.admin.BudgetStatus;
import io.llmgateway.core.budget.BudgetLimit;
import io.llmgateway.core.budget.BudgetWindow;
import io.llmgateway.core.identity.RateLimits;
import io.llmgateway.core.money.Money;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;

/**
 * Budgets and rate limits in LiteLLM's spelling, both ways. LiteLLM has one {@code max_budget} +
 * {@code budget_duration} per object; we keep calendar windows (daily, monthly) and accept several
 * through our extension {@code budgets: [{"window": "daily", "max_budget": 0.017}, ...]}. A {@code
 * max_budget} without {@code budget_duration} is a monthly budget: LiteLLM's never-resetting budget
 * has no calendar window, and a month is the longest we keep (docs/ADMIN_API.md). Stateless.
 */
final class Limits {
  static final Set<String> RATE_FIELDS = Set.of("tpm_limit", "rpm_limit", "max_parallel_requests");
  static final long MAX_RATE = 1_000_000_000L;

  private Limits() {}

  /** The budgets a request sets, or empty when it names none of the three fields. */
  static Optional<List<BudgetLimit>> budgets(
      Body body, String maxField, String durationField, String listField) {
    boolean any = body.has(maxField) || body.has(durationField) || body.has(listField);
    if (!any) {
      return Optional.empty();
    }
    List<BudgetLimit> result = new ArrayList<>();
    Optional<Money> max = body.money(maxField);
    if (body.has(durationField) && max.isEmpty()) {
      throw Body.invalid(durationField, durationField + " needs " + maxField);
    }
    max.ifPresent(
        m ->
            result.add(
                new BudgetLimit(
                    body.text(durationField)
                        .map(d -> window(durationField, d))
                        .orElse(BudgetWindow.MONTHLY),
                    m)));
    body.raw(listField).ifPresent(list -> result.addAll(list(listField, list)));
    EnumSet<BudgetWindow> seen = EnumSet.noneOf(BudgetWindow.class);
    for (BudgetLimit b : result) {
      if (!seen.add(b.window())) {
        throw Body.invalid(
            listField,
            "two "
                + b.window().label()
                + " budgets given ("
                + maxField
                + " and "
                + listField
                + ")");
      }
    }
    return Optional.of(List.copyOf(result));
  }

  private static List<BudgetLimit> list(String param, JsonNode list) {
    if (!list.isArray() || list.size() > BudgetWindow.values().length) {
      throw Body.invalid(param, param + " must be a list of at most one budget per window");
    }
    List<BudgetLimit> out = new ArrayList<>();
    for (int i = 0; i < list.size(); i++) {
      JsonNode item = list.get(i);
      String p = param + "[" + i + "]";
      if (!item.isObject()) {
        throw Body.invalid(p, p + " must be an object {\"window\": ..., \"max_budget\": ...}");
      }
      Body b = Body.of(item, Set.of("window", "budget_duration", "max_budget"));
      String w =
          b.text("window")
              .or(() -> b.text("budget_duration"))
              .orElseThrow(() -> Body.invalid(p + ".window", p + ".window is required"));
      Money m =
          b.money("max_budget")
              .orElseThrow(() -> Body.invalid(p + ".max_budget", p + ".max_budget is required"));
      out.add(new BudgetLimit(window(p + ".window", w), m));
    }
    return out;
  }

  static BudgetWindow window(String param, String text) {
    try {
      return BudgetWindow.parse(text);
    } catch (IllegalArgumentException e) {
      throw Body.invalid(param, param + ": " + e.getMessage());
    }
  }

  /** Rate limits from the request over {@code base}; empty when none of the fields is given. */
  static Optional<RateLimits> rateLimits(Body body, RateLimits base) {
    if (RATE_FIELDS.stream().noneMatch(body::has)) {
      return Optional.empty();
    }
    return Optional.of(
        new RateLimits(
            opt(body, "rpm_limit").orElse(base.rpm()),
            opt(body, "tpm_limit").orElse(base.tpm()),
            opt(body, "max_parallel_requests").orElse(base.maxParallel())));
  }

  private static Optional<OptionalLong> opt(Body body, String field) {
    return body.integer(field, 1, MAX_RATE).map(OptionalLong::of);
  }

  /**
   * Writes LiteLLM's single {@code max_budget}/{@code budget_duration} (the shortest window) and
   * our {@code budgets} list; with statuses, also spend, remaining and reset time per window.
   */
  static void writeBudgets(
      ObjectNode out,
      List<BudgetLimit> limits,
      List<BudgetStatus> statuses,
      String maxField,
      String durationField,
      String listField) {
    List<BudgetLimit> sorted =
        limits.stream().sorted(Comparator.comparing(BudgetLimit::window)).toList();
    Optional<BudgetLimit> first = sorted.stream().findFirst();
    out.set(maxField, AdminJson.money(first.map(BudgetLimit::limit)));
    out.set(durationField, AdminJson.text(first.map(b -> b.window().litellmDuration())));
    ArrayNode list = out.putArray(listField);
    for (BudgetLimit b : sorted) {
      ObjectNode o = list.addObject();
      o.put("window", b.window().label());
      o.put("budget_duration", b.window().litellmDuration());
      o.set("max_budget", AdminJson.money(b.limit()));
      statuses.stream()
          .filter(s -> s.window() == b.window())
          .findFirst()
          .ifPresent(
              s -> {
                o.set("spend", AdminJson.money(s.committed()));
                o.set("reserved", AdminJson.money(s.reserved()));
                o.set("remaining", AdminJson.money(s.remaining()));
                o.put("period", s.period());
                o.put("budget_reset_at", s.resetsAt().toString());
              });
    }
  }

  /**
   * LiteLLM's {@code spend} and {@code budget_reset_at}: the spend of the longest window's current
   * period (a month holds the day), and when the shortest window resets.
   */
  static void writeSpend(ObjectNode out, List<BudgetStatus> statuses) {
    Money spend =
        statuses.stream()
            .map(BudgetStatus::committed)
            .max(Comparator.naturalOrder())
            .orElse(Money.ZERO);
    out.set("spend", AdminJson.money(spend));
    out.set(
        "budget_reset_at",
        AdminJson.time(
            statuses.stream()
                .min(Comparator.comparing(BudgetStatus::window))
                .map(BudgetStatus::resetsAt)));
  }

  static void writeRateLimits(ObjectNode out, RateLimits r) {
    putLong(out, "tpm_limit", r.tpm());
    putLong(out, "rpm_limit", r.rpm());
    putLong(out, "max_parallel_requests", r.maxParallel());
  }

  private static void putLong(ObjectNode out, String field, OptionalLong v) {
    if (v.isPresent()) {
      out.put(field, v.getAsLong());
    } else {
      out.putNull(field);
    }
  }
}

package io.llmgateway.server.admin;

import static io.llmgateway.server.admin.Policy.MASTER_OR_PROXY_ADMIN;
import static io.llmgateway.server.admin.Policy.SELF_READ_OK;
import static io.llmgateway.server.admin.Policy.TEAM_ADMIN_OK;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.llmgateway.core.Page;
import io.llmgateway.core.PageRequest;
import io.llmgateway.core.admin.InputGrammar;
import io.llmgateway.core.spend.SpendGroup;
import io.llmgateway.core.spend.SpendQuery;
import io.llmgateway.core.spend.SpendRecord;
import io.llmgateway.core.spend.SpendTotal;
import java.time.Instant;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * {@code /spend/logs} (filtered and always paginated: LiteLLM's unpaginated version OOM-killed
 * proxies, #37007), {@code /global/spend/report} (totals per team, user, key, model or day over a
 * bounded date range) and {@code /audit/logs} (see {@link AuditRoutes}). Dates are calendar days
 * ({@code YYYY-MM-DD}) in the budget time zone, end day included, or ISO instants.
 */
final class SpendRoutes {
  /** Longest report range, in days. */
  static final int MAX_REPORT_DAYS = 366;

  private final AdminApi api;

  SpendRoutes(AdminApi api) {
    this.api = api;
  }

  List<AdminRoute> routes() {
    AuditRoutes audit = new AuditRoutes(api, this);
    return List.of(
        AdminRoute.get("/spend/logs", SELF_READ_OK, "Spend log rows (paginated)", this::logs),
        // A team admin's report holds only its team's records (AdminService.spendReport scopes it),
        // so gateway-admin's 'spend report' works with a team-admin key too.
        AdminRoute.get(
            "/global/spend/report", TEAM_ADMIN_OK, "Spend totals per group", this::report),
        AdminRoute.get("/audit/logs", MASTER_OR_PROXY_ADMIN, "Admin audit trail", audit::audit),
        AdminRoute.get(
            "/spend/export",
            MASTER_OR_PROXY_ADMIN,
            "Spend log rows as FinOps FOCUS CSV (streamed)",
            new SpendExport(api, this)::export));
  }

  private JsonNode logs(AdminCall call) {
    AdminCall.Query q =
        call.query(
            Set.of(
                "api_key",
                "key",
                "user_id",
                "team_id",
                "model",
                "request_id",
                "start_date",
                "end_date",
                "page",
                "page_size"));
    Optional<String> keyRef = q.text("api_key").or(() -> q.text("key"));
    Optional<String> keyId = keyRef.map(ref -> api.admin().key(call.actor(), ref).id());
    PageRequest page = q.page("page_size", 100, 1000);
    SpendQuery query =
        SpendQuery.builder(page)
            .keyId(keyId)
            .userId(q.text("user_id"))
            .teamId(q.text("team_id"))
            .model(q.text("model"))
            .requestId(q.text("request_id"))
            .from(q.text("start_date").map(d -> start("start_date", d)))
            .to(q.text("end_date").map(d -> end("end_date", d)))
            .build();
    Page<SpendRecord> rows = api.admin().spendLogs(call.actor(), query);
    call.ctx().header("x-total-count", Long.toString(rows.total()));
    call.ctx().header("x-page", Integer.toString(page.page()));
    call.ctx().header("x-page-size", Integer.toString(page.size()));
    call.ctx().header("x-total-pages", Long.toString(rows.totalPages()));
    ArrayNode a = AdminJson.array();
    for (SpendRecord r : rows.items()) {
      a.add(row(r));
    }
    return a;
  }

  private static ObjectNode row(SpendRecord r) {
    ObjectNode o = AdminJson.object();
    o.put("request_id", r.requestId());
    o.put("api_key", r.keyId());
    o.put("key_id", r.keyId());
    o.set("user", AdminJson.text(r.userId()));
    o.set("team_id", AdminJson.text(r.teamId()));
    o.put("model", r.model());
    o.put("model_group", r.model());
    o.set("model_id", AdminJson.text(r.deploymentId()));
    o.put("call_type", "completion");
    o.set("spend", AdminJson.money(r.cost()));
    o.put("prompt_tokens", r.usage().map(u -> u.promptTokens()).orElse(0L));
    o.put("completion_tokens", r.usage().map(u -> u.outputTokens()).orElse(0L));
    o.put("total_tokens", r.usage().map(u -> u.totalTokens()).orElse(0L));
    o.put("status", r.status().name().toLowerCase(Locale.ROOT));
    o.set("error_code", AdminJson.text(r.errorCode()));
    o.put("latency_ms", r.latencyMillis());
    o.put("startTime", r.startedAt().toString());
    o.put("endTime", r.endedAt().toString());
    return o;
  }

  private JsonNode report(AdminCall call) {
    AdminCall.Query q = call.query(Set.of("start_date", "end_date", "group_by"));
    LocalDate today = LocalDate.ofInstant(api.clock().instant(), api.zone());
    // Calendar days (end day included) as LiteLLM has them, or ISO instants (end excluded) as in
    // /spend/logs: gateway-admin asks for exact ranges.
    Instant start =
        q.text("start_date")
            .map(d -> start("start_date", d))
            .orElse(today.minusDays(29).atStartOfDay(api.zone()).toInstant());
    Instant end =
        q.text("end_date")
            .map(d -> end("end_date", d))
            .orElse(today.plusDays(1).atStartOfDay(api.zone()).toInstant());
    if (!start.isBefore(end)) {
      throw Body.invalid("end_date", "end_date is before start_date");
    }
    LocalDate from = LocalDate.ofInstant(start, api.zone());
    LocalDate to = LocalDate.ofInstant(end.minusNanos(1), api.zone());
    if (from.plusDays(MAX_REPORT_DAYS).isBefore(to)) {
      throw Body.invalid("end_date", "a report covers at most " + MAX_REPORT_DAYS + " days");
    }
    // The zone the days are in, so a client can name them and compute its own day and month.
    call.ctx().header("x-budget-timezone", api.zone().getId());
    String groupBy = q.text("group_by").orElse("team");
    return switch (groupBy) {
      case "team" -> teamsByDay(call, from, to);
      case "team_id" -> totals(call, SpendGroup.TEAM, "team_id", start, end);
      case "user", "internal_user_id" -> totals(call, SpendGroup.USER, "user_id", start, end);
      case "key", "api_key" -> totals(call, SpendGroup.KEY, "api_key", start, end);
      case "model" -> totals(call, SpendGroup.MODEL, "model", start, end);
      case "day" -> totals(call, SpendGroup.DAY, "group_by_day", start, end);
      default ->
          throw Body.invalid("group_by", "group_by must be team, team_id, user, key, model or day");
    };
  }

  /** LiteLLM's default shape: {@code [{group_by_day, teams: [{team_name, total_spend}]}]}. */
  private JsonNode teamsByDay(AdminCall call, LocalDate from, LocalDate to) {
    ArrayNode a = AdminJson.array();
    Instant start = from.atStartOfDay(api.zone()).toInstant();
    Instant end = to.plusDays(1).atStartOfDay(api.zone()).toInstant();
    // One query for the days with spend, then one per such day (not per calendar day).
    for (SpendTotal day : api.admin().spendReport(call.actor(), SpendGroup.DAY, start, end)) {
      LocalDate d = LocalDate.parse(day.group());
      ObjectNode o = a.addObject();
      o.put("group_by_day", day.group());
      ArrayNode teams = o.putArray("teams");
      for (SpendTotal t :
          api.admin()
              .spendReport(
                  call.actor(),
                  SpendGroup.TEAM,
                  d.atStartOfDay(api.zone()).toInstant(),
                  d.plusDays(1).atStartOfDay(api.zone()).toInstant())) {
        ObjectNode team = teams.addObject();
        team.put("team_name", t.group());
        team.put("team_id", t.group());
        team.set("total_spend", AdminJson.money(t.cost()));
        team.put("total_requests", t.requests());
        team.put("total_input_tokens", t.inputTokens());
        team.put("total_output_tokens", t.outputTokens());
      }
    }
    return sortedByDay(a);
  }

  private static JsonNode sortedByDay(ArrayNode a) {
    List<JsonNode> items = new java.util.ArrayList<>();
    a.forEach(items::add);
    items.sort(java.util.Comparator.comparing(n -> n.get("group_by_day").asText()));
    ArrayNode out = AdminJson.array();
    items.forEach(out::add);
    return out;
  }

  private JsonNode totals(
      AdminCall call, SpendGroup group, String field, Instant start, Instant end) {
    ArrayNode a = AdminJson.array();
    for (SpendTotal t : api.admin().spendReport(call.actor(), group, start, end)) {
      ObjectNode o = a.addObject();
      o.put(field, t.group());
      o.set("total_cost", AdminJson.money(t.cost()));
      o.set("total_spend", AdminJson.money(t.cost()));
      o.put("total_requests", t.requests());
      o.put("total_input_tokens", t.inputTokens());
      o.put("total_output_tokens", t.outputTokens());
    }
    return group == SpendGroup.DAY ? sortedByDay(a) : a;
  }

  /**
   * A calendar day within {@link InputGrammar#DATE_RULE}: {@code +999999999-12-31} parses, but the
   * day after it does not exist and PostgreSQL holds no such timestamp (it was a 500 and a 503
   * "database unavailable", issue 15 finding 13).
   */
  private static LocalDate day(String param, String text) {
    LocalDate d;
    try {
      d = LocalDate.parse(text.trim());
    } catch (DateTimeParseException e) {
      throw Body.invalid(param, param + " must be a date (YYYY-MM-DD)");
    }
    if (!InputGrammar.isInRange(d)) {
      throw Body.invalid(param, param + " must be a date " + InputGrammar.DATE_RULE);
    }
    return d;
  }

  Instant start(String param, String text) {
    if (text.contains("T")) {
      return instant(param, text);
    }
    return day(param, text).atStartOfDay(api.zone()).toInstant();
  }

  /** An end date is inclusive: the whole day counts. */
  Instant end(String param, String text) {
    if (text.contains("T")) {
      return instant(param, text);
    }
    return day(param, text).plusDays(1).atStartOfDay(api.zone()).toInstant();
  }

  private static Instant instant(String param, String text) {
    Instant at;
    try {
      at = Instant.parse(text.trim());
    } catch (DateTimeParseException e) {
      throw Body.invalid(param, param + " must be a date (YYYY-MM-DD) or an ISO-8601 instant");
    }
    if (!InputGrammar.isInRange(at)) {
      throw Body.invalid(param, param + " must be " + InputGrammar.DATE_RULE);
    }
    return at;
  }
}

package io.llmgateway.server.admin;

import static io.llmgateway.server.admin.Policy.SELF_READ_OK;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.llmgateway.core.Page;
import io.llmgateway.core.PageRequest;
import io.llmgateway.core.requestlog.RequestLogEntry;
import io.llmgateway.core.requestlog.RequestLogQuery;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * {@code GET /request/logs}: the request log, admitted and refused requests together, newest first
 * and always paginated ({@code /spend/logs} keeps LiteLLM's shape and lists admitted requests
 * only). The same filters as {@code /spend/logs} plus {@code status}: {@code admitted}, {@code
 * refused}, or a refusal's error code ({@code budget_exceeded}, {@code invalid_api_key} ...). The
 * same scoping: a team admin reads its team's, an LLM key its own. See docs/ui/request-log.md.
 */
final class RequestLogRoutes {
  private static final Pattern REASON = Pattern.compile("[a-z0-9_]{1,64}");

  private final AdminApi api;
  private final SpendRoutes dates;

  RequestLogRoutes(AdminApi api) {
    this.api = api;
    this.dates = new SpendRoutes(api);
  }

  List<AdminRoute> routes() {
    return List.of(
        AdminRoute.get(
            "/request/logs",
            SELF_READ_OK,
            "Request log: admitted and refused requests (paginated)",
            this::logs));
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
                "status",
                "start_date",
                "end_date",
                "page",
                "page_size"));
    Optional<String> keyRef = q.text("api_key").or(() -> q.text("key"));
    Optional<String> keyId = keyRef.map(ref -> api.admin().key(call.actor(), ref).id());
    PageRequest page = q.page("page_size", 100, 1000);
    Optional<String> status = q.text("status");
    RequestLogQuery.Show show = RequestLogQuery.Show.ALL;
    Optional<String> reason = Optional.empty();
    if (status.isPresent()) {
      switch (status.get()) {
        case "admitted" -> show = RequestLogQuery.Show.ADMITTED;
        case "refused" -> show = RequestLogQuery.Show.REFUSED;
        default -> {
          if (!REASON.matcher(status.get()).matches()) {
            throw Body.invalid(
                "status",
                "status must be admitted, refused or an error code such as budget_exceeded");
          }
          show = RequestLogQuery.Show.REFUSED;
          reason = status;
        }
      }
    }
    RequestLogQuery query =
        new RequestLogQuery(
            keyId,
            q.text("user_id"),
            q.text("team_id"),
            q.text("model"),
            show,
            reason,
            q.text("start_date").map(d -> dates.start("start_date", d)),
            q.text("end_date").map(d -> dates.end("end_date", d)),
            page);
    Page<RequestLogEntry> rows = api.admin().requestLogs(call.actor(), query);
    call.ctx().header("x-total-count", Long.toString(rows.total()));
    call.ctx().header("x-page", Integer.toString(page.page()));
    call.ctx().header("x-page-size", Integer.toString(page.size()));
    call.ctx().header("x-total-pages", Long.toString(rows.totalPages()));
    ArrayNode a = AdminJson.array();
    rows.items().forEach(r -> a.add(row(r)));
    return a;
  }

  static ObjectNode row(RequestLogEntry r) {
    ObjectNode o = AdminJson.object();
    o.put("time", r.at().toString());
    o.put("request_id", r.requestId());
    o.put("status", r.outcome());
    o.put("admitted", r.admitted());
    if (r.httpStatus().isPresent()) {
      o.put("http_status", r.httpStatus().get());
    } else {
      o.putNull("http_status");
    }
    o.set("reason", AdminJson.text(r.reason()));
    o.set("detail", AdminJson.text(r.detail()));
    o.set("key_id", AdminJson.text(r.keyId()));
    o.put("key_alias", r.key());
    o.set("user", AdminJson.text(r.userId()));
    o.set("team_id", AdminJson.text(r.teamId()));
    o.set("model", AdminJson.text(r.model()));
    o.put("prompt_tokens", r.inputTokens().orElse(0L));
    o.put("completion_tokens", r.outputTokens().orElse(0L));
    o.set("spend", AdminJson.money(r.cost()));
    o.put("latency_ms", r.latencyMillis());
    o.set("client_ip", AdminJson.text(r.client()));
    return o;
  }
}

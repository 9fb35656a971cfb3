package io.llmgateway.server.admin;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.llmgateway.core.Page;
import io.llmgateway.core.PageRequest;
import io.llmgateway.core.Sort;
import io.llmgateway.core.audit.AuditEvent;
import io.llmgateway.core.audit.AuditQuery;
import java.util.Set;

/**
 * {@code GET /audit/logs}: the admin audit trail, paginated, filtered by LiteLLM's audit-log
 * parameters ({@code changed_by}, {@code action}, {@code table_name}/{@code object_type}, {@code
 * start_date}, {@code end_date}, {@code sort_by}, {@code sort_order}) plus a free-text {@code
 * search}. Dates as for {@code /spend/logs} (days in the budget time zone, end day included, or ISO
 * instants). Thread-safe.
 */
final class AuditRoutes {
  private final AdminApi api;
  private final SpendRoutes dates;

  AuditRoutes(AdminApi api, SpendRoutes dates) {
    this.api = api;
    this.dates = dates;
  }

  JsonNode audit(AdminCall call) {
    AdminCall.Query q =
        call.query(
            Set.of(
                "object_type",
                "table_name",
                "changed_by",
                "action",
                "search",
                "start_date",
                "end_date",
                "sort_by",
                "sort_order",
                "page",
                "page_size"));
    PageRequest page = q.page("page_size", 50, 1000);
    AuditQuery query =
        AuditQuery.builder(page)
            .targetType(q.text("object_type").or(() -> q.text("table_name")))
            .actor(q.text("changed_by"))
            .action(q.text("action"))
            .search(q.text("search"))
            .from(q.text("start_date").map(d -> dates.start("start_date", d)))
            .to(q.text("end_date").map(d -> dates.end("end_date", d)))
            .sort(new Sort<>(by(q.text("sort_by").orElse("updated_at")), descending(q)))
            .build();
    Page<AuditEvent> events = api.admin().auditEvents(call.actor(), query);
    ObjectNode o = AdminJson.object();
    ArrayNode data = o.putArray("data");
    for (AuditEvent e : events.items()) {
      ObjectNode row = data.addObject();
      row.put("id", e.id());
      row.put("updated_at", e.at().toString());
      row.put("changed_by", e.actor());
      row.put("action", e.action());
      row.put("table_name", e.targetType());
      row.put("object_id", e.targetId());
      row.set("before_value", api.json().mapper().valueToTree(e.before()));
      row.set("updated_values", api.json().mapper().valueToTree(e.after()));
    }
    o.put("total", events.total());
    o.put("page", page.page());
    o.put("page_size", page.size());
    o.put("total_pages", events.totalPages());
    return o;
  }

  /** The allow-list from the API's sort names to the store's sort fields. */
  private static AuditQuery.By by(String name) {
    return switch (name) {
      case "updated_at" -> AuditQuery.By.TIME;
      case "changed_by" -> AuditQuery.By.ACTOR;
      case "action" -> AuditQuery.By.ACTION;
      case "table_name", "object_id" -> AuditQuery.By.TARGET;
      default ->
          throw Body.invalid(
              "sort_by", "sort_by must be updated_at, changed_by, action, table_name or object_id");
    };
  }

  private static boolean descending(AdminCall.Query q) {
    return switch (q.text("sort_order").orElse("desc")) {
      case "desc" -> true;
      case "asc" -> false;
      default -> throw Body.invalid("sort_order", "sort_order must be asc or desc");
    };
  }
}

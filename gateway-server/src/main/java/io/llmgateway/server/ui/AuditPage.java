package io.llmgateway.server.ui;

import io.javalin.http.Context;
import io.llmgateway.core.Page;
import io.llmgateway.core.PageRequest;
import io.llmgateway.core.Sort;
import io.llmgateway.core.admin.InputGrammar;
import io.llmgateway.core.audit.AuditEvent;
import io.llmgateway.core.audit.AuditQuery;
import io.llmgateway.core.error.InvalidRequestException;
import io.llmgateway.core.session.UiSession;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeSet;

/**
 * The audit log from {@code AdminService.auditEvents}: who changed what and when, with the fields
 * that differ between the before and after snapshots (snapshots never hold secrets or hashes).
 * Searched (actor, action, target id) and sorted (time, actor, action, target) by the store, see
 * {@link AuditQuery}; filtered by target type, actor, action and time. Thread-safe.
 */
final class AuditPage extends UiPage {
  private static final List<String> TYPES =
      List.of("team", "user", "key", "model", "operator", "session");
  private static final int MAX_VALUE = 160;
  private static final int PAGE_SIZE = 50;

  private static final List<ListParams.Sortable> SORTABLE =
      List.of(
          ListParams.Sortable.desc("time", "When"),
          ListParams.Sortable.asc("actor", "Who"),
          ListParams.Sortable.asc("action", "Action"),
          ListParams.Sortable.asc("target", "Object"));

  AuditPage(Ui ui) {
    super(ui);
  }

  @Override
  void render(Context ctx, UiSession session, String notice, String error, int status) {
    ListParams list =
        ListParams.of(
            ctx, "/ui/audit", SORTABLE, "time", List.of("type", "actor", "action", "from", "to"));
    Optional<String> type = list.filter("type");
    String err = error;
    Page<AuditEvent> page;
    try {
      page = ui.admin.auditEvents(ui.actor(session), query(list));
    } catch (InvalidRequestException e) {
      err = e.getMessage();
      status = 400;
      page = new Page<>(List.of(), 0, PageRequest.first(PAGE_SIZE));
    }
    List<AuditView.Option> types = new ArrayList<>();
    types.add(new AuditView.Option("", "all", type.isEmpty()));
    TYPES.forEach(t -> types.add(new AuditView.Option(t, t, type.equals(Optional.of(t)))));
    List<Object> columns = new ArrayList<>(SORTABLE);
    columns.add("Changes");
    ui.templates.html(
        ctx,
        status,
        "audit",
        new AuditView(
            types,
            list.filter("actor").orElse(""),
            list.filter("action").orElse(""),
            list.filter("from").orElse(""),
            list.filter("to").orElse(""),
            page.items().stream().map(this::row).toList(),
            Pager.of(page, list.base()),
            list,
            list.columns(columns)),
        Layout.of("audit", "Audit log", session, notice, err));
  }

  private AuditQuery query(ListParams list) {
    return AuditQuery.builder(new PageRequest(list.page(), PAGE_SIZE))
        .targetType(list.filter("type"))
        .actor(list.filter("actor"))
        .action(list.filter("action"))
        .search(list.search())
        .from(list.filter("from").map(t -> time(t, "from", false)))
        .to(list.filter("to").map(t -> time(t, "to", true)))
        .sort(new Sort<>(by(list.sort()), list.descending()))
        .build();
  }

  /** The allow-list from the page's sort names to the store's sort fields. */
  private static AuditQuery.By by(String sort) {
    return switch (sort) {
      case "actor" -> AuditQuery.By.ACTOR;
      case "action" -> AuditQuery.By.ACTION;
      case "target" -> AuditQuery.By.TARGET;
      default -> AuditQuery.By.TIME;
    };
  }

  /**
   * A local date-time ({@code 2026-11-27T10:02}, as a {@code datetime-local} input sends it) or a
   * date, in the budget time zone; an end is inclusive (its minute, or its whole day).
   */
  private Instant time(String text, String field, boolean end) {
    try {
      if (text.contains("T")) {
        LocalDateTime t = LocalDateTime.parse(text);
        if (InputGrammar.isInRange(t.toLocalDate())) {
          return t.atZone(ui.zone).toInstant().plusSeconds(end ? 60 : 0);
        }
      } else {
        LocalDate d = LocalDate.parse(text);
        if (InputGrammar.isInRange(d)) {
          return (end ? d.plusDays(1) : d).atStartOfDay(ui.zone).toInstant();
        }
      }
    } catch (DateTimeParseException e) {
      // answered below, as for a time out of range
    }
    throw new InvalidRequestException(
        field + " must be a date-time such as 2026-11-27T10:02 (or a date)", field);
  }

  private AuditView.Row row(AuditEvent e) {
    TreeSet<String> fields = new TreeSet<>(e.before().keySet());
    fields.addAll(e.after().keySet());
    List<AuditView.Change> changes = new ArrayList<>();
    for (String f : fields) {
      Object before = e.before().get(f);
      Object after = e.after().get(f);
      if (!Objects.equals(before, after)) {
        changes.add(new AuditView.Change(f, show(before), show(after)));
      }
    }
    return new AuditView.Row(
        Fmt.time(e.at(), ui.zone), e.actor(), e.action(), e.targetType(), e.targetId(), changes);
  }

  private static String show(Object v) {
    if (v == null) {
      return "-";
    }
    String s = String.valueOf(v);
    return s.length() <= MAX_VALUE ? s : s.substring(0, MAX_VALUE) + "...";
  }
}

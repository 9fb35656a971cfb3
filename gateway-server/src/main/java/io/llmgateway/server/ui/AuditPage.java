package io.llmgateway.server.ui;

import io.javalin.http.Context;
import io.llmgateway.core.PageRequest;
import io.llmgateway.core.audit.AuditEvent;
import io.llmgateway.core.session.UiSession;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeSet;

/**
 * The audit log from {@code AdminService.auditEvents}: who changed what and when, with the fields
 * that differ between the before and after snapshots (snapshots never hold secrets or hashes).
 * Thread-safe.
 */
final class AuditPage extends UiPage {
  private static final List<String> TYPES = List.of("team", "user", "key", "model");
  private static final int MAX_VALUE = 160;

  AuditPage(Ui ui) {
    super(ui);
  }

  @Override
  void render(Context ctx, UiSession session, String notice, String error, int status) {
    Optional<String> type = Optional.ofNullable(ctx.queryParam("type")).filter(TYPES::contains);
    var page = ui.admin.auditEvents(ui.actor(session), type, new PageRequest(Forms.page(ctx), 50));
    List<AuditView.Option> types = new ArrayList<>();
    types.add(new AuditView.Option("", "all", type.isEmpty()));
    TYPES.forEach(t -> types.add(new AuditView.Option(t, t, type.equals(Optional.of(t)))));
    var rows = page.items().stream().map(this::row).toList();
    ui.templates.html(
        ctx,
        status,
        "audit",
        new AuditView(
            type.orElse(""),
            types,
            rows,
            Pager.of(page, "/ui/audit" + type.map(t -> "?type=" + t).orElse(""))),
        Layout.of("audit", "Audit log", session, notice, error));
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

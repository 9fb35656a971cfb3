package io.llmgateway.server.ui;

import io.javalin.http.Context;
import io.llmgateway.core.PageRequest;
import io.llmgateway.core.error.InvalidRequestException;
import io.llmgateway.core.identity.Grant;
import io.llmgateway.core.identity.Operator;
import io.llmgateway.core.identity.Team;
import io.llmgateway.core.session.UiSession;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.TreeSet;

/**
 * Named operators ({@code /ui/operators}, proxy admins only): who may sign in to this UI with which
 * role (proxy admin, viewer, team admin of named teams). Adding, changing or removing one is
 * audited under the acting operator and ends that person's live sessions. The break-glass operator
 * from the environment is not on the list and cannot be changed here. Thread-safe.
 */
final class OperatorsPage extends UiPage {
  OperatorsPage(Ui ui) {
    super(ui);
  }

  @Override
  void render(Context ctx, UiSession session, String notice, String error, int status) {
    List<OperatorsView.Row> rows =
        ui.admin.operators(ui.actor(session)).stream().map(this::row).toList();
    List<String> teams =
        ui.admin.teams(ui.actor(session), PageRequest.first(200)).items().stream()
            .map(Team::id)
            .toList();
    ui.templates.html(
        ctx,
        status,
        "operators",
        new OperatorsView(rows, teams),
        Layout.of("operators", "Operators", session, notice, error));
  }

  private OperatorsView.Row row(Operator o) {
    return new OperatorsView.Row(
        o.name(),
        o.grant().role(),
        o.grant() instanceof Grant.TeamAdmin t ? String.join(", ", new TreeSet<>(t.teamIds())) : "",
        Fmt.time(o.updatedAt(), ui.zone));
  }

  void create(Context ctx, UiSession session) {
    perform(
        ctx,
        session,
        () ->
            ui.admin.createOperator(
                ui.actor(session),
                Forms.required(ctx, "operator", "E-mail or user name"),
                grant(ctx)),
        "/ui/operators",
        "operator-saved");
  }

  void update(Context ctx, UiSession session) {
    perform(
        ctx,
        session,
        () -> ui.admin.updateOperator(ui.actor(session), id(ctx), grant(ctx)),
        "/ui/operators",
        "operator-saved");
  }

  void delete(Context ctx, UiSession session) {
    perform(
        ctx,
        session,
        () -> ui.admin.deleteOperator(ui.actor(session), id(ctx)),
        "/ui/operators",
        "operator-deleted");
  }

  /** The role from the form; a team admin's teams from the comma-separated field. */
  private static Grant grant(Context ctx) {
    String role = Forms.required(ctx, "role", "Role");
    List<String> teams = Forms.list(ctx, "teams");
    return switch (role) {
      case "proxy_admin" -> new Grant.ProxyAdmin();
      case "viewer" -> new Grant.Viewer();
      case "team_admin" -> {
        if (teams.isEmpty()) {
          throw new InvalidRequestException("a team admin needs at least one team", "teams");
        }
        yield new Grant.TeamAdmin(new LinkedHashSet<>(teams));
      }
      default -> throw new InvalidRequestException("unknown role", "role");
    };
  }
}

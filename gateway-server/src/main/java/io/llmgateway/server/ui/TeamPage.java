package io.llmgateway.server.ui;

import io.javalin.http.Context;
import io.javalin.http.HttpStatus;
import io.llmgateway.core.PageRequest;
import io.llmgateway.core.admin.TeamPatch;
import io.llmgateway.core.budget.BudgetScope;
import io.llmgateway.core.budget.BudgetWindow;
import io.llmgateway.core.error.GatewayException;
import io.llmgateway.core.identity.Team;
import io.llmgateway.core.identity.User;
import io.llmgateway.core.identity.UserQuery;
import io.llmgateway.core.session.UiSession;
import io.llmgateway.core.spend.SpendGroup;
import io.llmgateway.core.spend.SpendTotal;
import java.util.Map;
import java.util.Optional;

/**
 * One team: edit every field {@code /team/update} accepts (name, tier, models, member and team
 * budgets, rpm/tpm/parallel limits, blocked, metadata), delete; its budget status and members.
 */
final class TeamPage extends UiPage {
  TeamPage(Ui ui) {
    super(ui);
  }

  @Override
  void render(Context ctx, UiSession session, String notice, String error, int status) {
    Team t;
    try {
      t = ui.admin.team(ui.actor(session), id(ctx));
    } catch (GatewayException e) {
      ctx.redirect("/ui/teams", HttpStatus.SEE_OTHER);
      return;
    }
    Map<String, SpendTotal> today = ui.totalsSince(session, SpendGroup.USER, BudgetWindow.DAILY);
    Map<String, SpendTotal> month = ui.totalsSince(session, SpendGroup.USER, BudgetWindow.MONTHLY);
    var budgets =
        ui.admin.budgetStatus(ui.actor(session), BudgetScope.team(t.id())).stream()
            .map(
                b ->
                    new TeamView.Budget(
                        b.window().label(),
                        Fmt.usd(b.limit()),
                        Fmt.usd(b.committed()),
                        Fmt.usd(b.reserved()),
                        Fmt.usd(b.remaining()),
                        Fmt.percent(b.committed().plus(b.reserved()), b.limit()),
                        Fmt.time(b.resetsAt(), ui.zone)))
            .toList();
    var members =
        ui
            .admin
            .users(ui.actor(session), new UserQuery(Optional.of(t.id()), PageRequest.first(200)))
            .items()
            .stream()
            .map(u -> member(u, today, month))
            .toList();
    TeamView view =
        new TeamView(
            t.id(),
            t.alias(),
            t.tier().orElse(""),
            String.join(", ", t.models()),
            Fmt.plainLimit(t.memberBudgets(), BudgetWindow.DAILY),
            Fmt.plainLimit(t.memberBudgets(), BudgetWindow.MONTHLY),
            Fmt.plainLimit(t.teamBudgets(), BudgetWindow.DAILY),
            Fmt.plainLimit(t.teamBudgets(), BudgetWindow.MONTHLY),
            t.blocked(),
            limit(t.rateLimits().rpm()),
            limit(t.rateLimits().tpm()),
            limit(t.rateLimits().maxParallel()),
            TeamForm.metadataText(t.metadata()),
            budgets,
            members);
    ui.templates.html(
        ctx, status, "team", view, Layout.of("teams", "Team " + t.alias(), session, notice, error));
  }

  private static TeamView.Member member(
      User u, Map<String, SpendTotal> today, Map<String, SpendTotal> month) {
    return new TeamView.Member(
        u.id(),
        u.email().orElse("-"),
        Fmt.role(u.role().name()),
        Optional.ofNullable(today.get(u.id())).map(s -> Fmt.usd(s.cost())).orElse("$0.00"),
        Optional.ofNullable(month.get(u.id())).map(s -> Fmt.usd(s.cost())).orElse("$0.00"));
  }

  void save(Context ctx, UiSession session) {
    String id = id(ctx);
    perform(
        ctx,
        session,
        () ->
            ui.admin.updateTeam(
                ui.actor(session),
                id,
                new TeamPatch(
                    Optional.of(Forms.required(ctx, "alias", "Team name")),
                    Forms.text(ctx, "tier"),
                    Optional.of(Forms.list(ctx, "models")),
                    Optional.of(Forms.budgets(ctx, "team_daily", "team_monthly")),
                    Optional.of(Forms.budgets(ctx, "member_daily", "member_monthly")),
                    Optional.of(TeamForm.rateLimits(ctx)),
                    Optional.of(ctx.formParam("blocked") != null),
                    Optional.of(TeamForm.metadata(ctx)))),
        "/ui/team?id=" + Fmt.q(id),
        "team-saved");
  }

  private static String limit(java.util.OptionalLong v) {
    return v.isPresent() ? Long.toString(v.getAsLong()) : "";
  }

  void delete(Context ctx, UiSession session) {
    perform(
        ctx,
        session,
        () -> ui.admin.deleteTeam(ui.actor(session), id(ctx)),
        "/ui/teams",
        "team-deleted");
  }
}

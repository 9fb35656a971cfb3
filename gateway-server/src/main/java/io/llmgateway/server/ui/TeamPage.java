package io.llmgateway.server.ui;

import io.javalin.http.Context;
import io.javalin.http.HttpStatus;
import io.llmgateway.core.PageRequest;
import io.llmgateway.core.admin.TeamPatch;
import io.llmgateway.core.budget.BudgetScope;
import io.llmgateway.core.budget.BudgetWindow;
import io.llmgateway.core.error.GatewayException;
import io.llmgateway.core.identity.Principal;
import io.llmgateway.core.identity.Team;
import io.llmgateway.core.identity.User;
import io.llmgateway.core.identity.UserQuery;
import io.llmgateway.core.session.UiSession;
import io.llmgateway.core.spend.SpendGroup;
import io.llmgateway.core.spend.SpendTotal;
import java.util.LinkedHashMap;
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

  /** Team form inputs not named as the API's fields, and the command params they show. */
  static final Map<String, String> INPUTS =
      Map.of(
          "team_alias", "alias",
          "team_budgets", "team_daily",
          "member_budgets", "member_daily");

  @Override
  void render(Context ctx, UiSession session, String notice, String error, int status) {
    Team t;
    try {
      t = ui.admin.team(ui.actor(session), id(ctx));
    } catch (GatewayException e) {
      ctx.redirect("/ui/teams", HttpStatus.SEE_OTHER);
      return;
    }
    Map<String, String> v = values(t);
    ui.alertFields.values(v, "TEAM", t.id());
    render(ctx, session, t, notice, error, status, Form.filled(v));
  }

  private void render(
      Context ctx, UiSession session, Team t, String notice, String error, int status, Form form) {
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
                        Fmt.time(b.resetsAt(), ui.zone),
                        Fmt.usd(b.forecast().projected())))
            .toList();
    var members =
        ui
            .admin
            .users(
                ui.actor(session), UserQuery.builder(PageRequest.first(200)).team(t.id()).build())
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
            Form.json(t.metadata()),
            budgets,
            members,
            form);
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

  /** Saves every field of the form; a refused form keeps what was typed and shows each problem. */
  void save(Context ctx, UiSession session) {
    Principal actor = ui.actor(session);
    Team t = ui.admin.team(actor, id(ctx));
    Form f = Form.of(ctx).aliases(INPUTS);
    TeamPatch.Builder draft =
        TeamPatch.draft(f.problems())
            .alias(f.text("alias"))
            .tier(f.text("tier"))
            .models(f.list("models"))
            .teamBudgets(f.budgets("team_daily", "team_monthly"))
            .memberBudgets(f.budgets("member_daily", "member_monthly"))
            .rateLimits(f.rateLimits())
            .blocked(f.checked("blocked"))
            .metadata(f.metadata("metadata"));
    if (f.text("alias").isEmpty()) {
      draft.problem("team_alias", "Team name is required");
    }
    var alertBody = ui.alertFields.read(f, "TEAM", t.id());
    try {
      ui.admin.updateTeam(actor, t.id(), draft);
      ui.alertFields.apply(actor, "TEAM", t.id(), alertBody);
    } catch (GatewayException | IllegalArgumentException e) {
      f.refused(e);
      render(ctx, session, t, null, f.summary(), status(e), f);
      return;
    }
    ctx.redirect("/ui/team?id=" + Fmt.q(t.id()) + "&notice=team-saved", HttpStatus.SEE_OTHER);
  }

  /** The form's inputs for a team's stored settings (blank: none, unlimited). */
  private static Map<String, String> values(Team t) {
    Map<String, String> v = new LinkedHashMap<>();
    v.put("alias", t.alias());
    t.tier().ifPresent(x -> v.put("tier", x));
    v.put("models", String.join(", ", t.models()));
    v.put("member_daily", Fmt.plainLimit(t.memberBudgets(), BudgetWindow.DAILY));
    v.put("member_monthly", Fmt.plainLimit(t.memberBudgets(), BudgetWindow.MONTHLY));
    v.put("team_daily", Fmt.plainLimit(t.teamBudgets(), BudgetWindow.DAILY));
    v.put("team_monthly", Fmt.plainLimit(t.teamBudgets(), BudgetWindow.MONTHLY));
    v.put("rpm_limit", limit(t.rateLimits().rpm()));
    v.put("tpm_limit", limit(t.rateLimits().tpm()));
    v.put("max_parallel_requests", limit(t.rateLimits().maxParallel()));
    v.put("metadata", Form.json(t.metadata()));
    if (t.blocked()) {
      v.put("blocked", "on");
    }
    return v;
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

package io.llmgateway.server.ui;

import io.javalin.http.Context;
import io.javalin.http.HttpStatus;
import io.llmgateway.core.PageRequest;
import io.llmgateway.core.admin.TeamSpec;
import io.llmgateway.core.budget.BudgetWindow;
import io.llmgateway.core.catalog.LogicalModel;
import io.llmgateway.core.error.GatewayException;
import io.llmgateway.core.identity.KeyQuery;
import io.llmgateway.core.identity.Team;
import io.llmgateway.core.identity.UserQuery;
import io.llmgateway.core.session.UiSession;
import io.llmgateway.core.spend.SpendGroup;
import io.llmgateway.core.spend.SpendTotal;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/** Lists teams (tiers) with budgets, members, keys and spend; creates teams. Thread-safe. */
final class TeamsPage extends UiPage {
  TeamsPage(Ui ui) {
    super(ui);
  }

  private static final List<ListParams.Sortable> SORTABLE =
      List.of(
          ListParams.Sortable.asc("name", "Team"),
          ListParams.Sortable.asc("id", "Id"),
          ListParams.Sortable.asc("tier", "Tier"),
          ListParams.Sortable.desc("members", "Members"),
          ListParams.Sortable.desc("keys", "Keys"),
          ListParams.Sortable.desc("spend", "Spend this month"));

  /** Each sortable column's value; teams are a bounded catalogue, read whole and sorted here. */
  private static final Map<String, Function<TeamsView.Row, Comparable<?>>> VALUES =
      Map.of(
          "name", TeamsView.Row::alias,
          "id", TeamsView.Row::id,
          "tier", r -> r.tier().equals("-") ? null : r.tier(),
          "members", TeamsView.Row::members,
          "keys", TeamsView.Row::keys,
          "spend", TeamsView.Row::monthNanos);

  @Override
  void render(Context ctx, UiSession session, String notice, String error, int status) {
    render(ctx, session, notice, error, status, Form.filled(Map.of()));
  }

  private void render(
      Context ctx, UiSession session, String notice, String error, int status, Form form) {
    ListParams list = ListParams.of(ctx, "/ui/teams", SORTABLE, "name", List.of());
    Map<String, SpendTotal> month = ui.totalsSince(session, SpendGroup.TEAM, BudgetWindow.MONTHLY);
    var rows =
        ui.admin.teams(ui.actor(session), PageRequest.first(PageRequest.MAX_SIZE)).items().stream()
            .filter(t -> list.matches(t.id(), t.alias(), t.tier().orElse(null)))
            .map(t -> row(session, t, month))
            .toList();
    var models = ui.admin.models(ui.actor(session)).stream().map(LogicalModel::name).toList();
    Map<String, ListParams.Sortable> s = new HashMap<>();
    SORTABLE.forEach(c -> s.put(c.name(), c));
    List<Object> columns =
        List.of(
            s.get("name"),
            s.get("id"),
            s.get("tier"),
            "Models",
            "Member budget / day",
            "/ month",
            "Team budget / day",
            "/ month",
            s.get("members"),
            s.get("keys"),
            s.get("spend"),
            "");
    ui.templates.html(
        ctx,
        status,
        "teams",
        new TeamsView(
            list.sorted(rows, VALUES, TeamsView.Row::id),
            models,
            list,
            list.columns(columns),
            form),
        Layout.of("teams", "Teams", session, notice, error));
  }

  private TeamsView.Row row(UiSession session, Team t, Map<String, SpendTotal> month) {
    long members =
        ui.admin
            .users(ui.actor(session), UserQuery.builder(PageRequest.first(1)).team(t.id()).build())
            .total();
    long keys =
        ui.admin
            .keys(ui.actor(session), KeyQuery.builder(PageRequest.first(1)).team(t.id()).build())
            .total();
    return new TeamsView.Row(
        t.id(),
        t.alias(),
        t.tier().orElse("-"),
        Fmt.models(t.models()),
        Fmt.limit(t.memberBudgets(), BudgetWindow.DAILY),
        Fmt.limit(t.memberBudgets(), BudgetWindow.MONTHLY),
        Fmt.limit(t.teamBudgets(), BudgetWindow.DAILY),
        Fmt.limit(t.teamBudgets(), BudgetWindow.MONTHLY),
        members,
        keys,
        Optional.ofNullable(month.get(t.id())).map(s -> Fmt.usd(s.cost())).orElse("$0.00"),
        Optional.ofNullable(month.get(t.id())).map(s -> s.cost().nanos()).orElse(0L),
        t.blocked());
  }

  /** Creates a team; a refused form keeps what was typed and shows each problem at its input. */
  void create(Context ctx, UiSession session) {
    Form f = Form.of(ctx).aliases(TeamPage.INPUTS);
    TeamSpec.Builder draft =
        TeamSpec.draft(f.problems())
            .alias(f.text("alias").orElse(null))
            .tier(f.text("tier"))
            .models(f.list("models"))
            .teamBudgets(f.budgets("team_daily", "team_monthly"))
            .memberBudgets(f.budgets("member_daily", "member_monthly"));
    if (f.text("alias").isEmpty()) {
      draft.problem("team_alias", "Team name is required");
    }
    try {
      ui.admin.createTeam(ui.actor(session), draft);
    } catch (GatewayException | IllegalArgumentException e) {
      f.refused(e);
      render(ctx, session, null, f.summary(), status(e), f);
      return;
    }
    ctx.redirect("/ui/teams?notice=team-created", HttpStatus.SEE_OTHER);
  }
}

package io.llmgateway.server.ui;

import io.javalin.http.Context;
import io.javalin.http.HttpStatus;
import io.llmgateway.core.PageRequest;
import io.llmgateway.core.Sort;
import io.llmgateway.core.admin.BudgetStatus;
import io.llmgateway.core.admin.UserSpec;
import io.llmgateway.core.budget.BudgetScope;
import io.llmgateway.core.budget.BudgetWindow;
import io.llmgateway.core.error.GatewayException;
import io.llmgateway.core.identity.KeyQuery;
import io.llmgateway.core.identity.Team;
import io.llmgateway.core.identity.User;
import io.llmgateway.core.identity.UserQuery;
import io.llmgateway.core.session.UiSession;
import io.llmgateway.core.spend.SpendGroup;
import io.llmgateway.core.spend.SpendTotal;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Users with spend today and this month, remaining budgets and key counts, searched (id, email,
 * alias) and sorted by the store (see {@link UserQuery}); create, delete.
 */
final class UsersPage extends UiPage {
  private static final int PAGE_SIZE = 50;

  UsersPage(Ui ui) {
    super(ui);
  }

  private static final List<ListParams.Sortable> SORTABLE =
      List.of(
          ListParams.Sortable.asc("id", "User"),
          ListParams.Sortable.asc("email", "Email"),
          ListParams.Sortable.asc("team", "Team"),
          ListParams.Sortable.asc("role", "Role"),
          ListParams.Sortable.desc("today", "Today"),
          ListParams.Sortable.desc("spend", "This month"));

  @Override
  void render(Context ctx, UiSession session, String notice, String error, int status) {
    render(ctx, session, notice, error, status, Form.filled(Map.of()));
  }

  private void render(
      Context ctx, UiSession session, String notice, String error, int status, Form form) {
    ListParams list = ListParams.of(ctx, "/ui/users", SORTABLE, "id", List.of("team"));
    Map<String, SpendTotal> today = ui.totalsSince(session, SpendGroup.USER, BudgetWindow.DAILY);
    Map<String, SpendTotal> month = ui.totalsSince(session, SpendGroup.USER, BudgetWindow.MONTHLY);
    var page =
        ui.admin.users(
            ui.actor(session),
            UserQuery.builder(new PageRequest(list.page(), PAGE_SIZE))
                .team(list.filter("team"))
                .search(list.search())
                .sort(new Sort<>(by(list.sort()), list.descending()))
                .spendSince(
                    ui.periodStart(
                        list.sort().equals("today") ? BudgetWindow.DAILY : BudgetWindow.MONTHLY))
                .build());
    var rows = page.items().stream().map(u -> row(session, u, today, month)).toList();
    List<String> teams =
        ui.admin.teams(ui.actor(session), PageRequest.first(200)).items().stream()
            .map(Team::id)
            .toList();
    List<Object> columns = new ArrayList<>(SORTABLE);
    columns.addAll(List.of("Daily budget left", "Monthly budget left", "Keys", ""));
    ui.templates.html(
        ctx,
        status,
        "users",
        new UsersView(
            list.filter("team").orElse(""),
            rows,
            teams,
            Pager.of(page, list.base()),
            list,
            list.columns(columns),
            form),
        Layout.of("users", "Users", session, notice, error));
  }

  /** The allow-list from the page's sort names to the store's sort fields. */
  private static UserQuery.By by(String sort) {
    return switch (sort) {
      case "email" -> UserQuery.By.EMAIL;
      case "team" -> UserQuery.By.TEAM;
      case "role" -> UserQuery.By.ROLE;
      case "today", "spend" -> UserQuery.By.SPEND;
      default -> UserQuery.By.ID;
    };
  }

  private UsersView.Row row(
      UiSession session, User u, Map<String, SpendTotal> today, Map<String, SpendTotal> month) {
    List<BudgetStatus> budgets = ui.admin.budgetStatus(ui.actor(session), BudgetScope.user(u.id()));
    long keys =
        ui.admin
            .keys(ui.actor(session), KeyQuery.builder(PageRequest.first(1)).user(u.id()).build())
            .total();
    return new UsersView.Row(
        u.id(),
        u.email().orElse("-"),
        u.teamId().orElse("-"),
        Fmt.role(u.role().name()),
        Optional.ofNullable(today.get(u.id())).map(s -> Fmt.usd(s.cost())).orElse("$0.00"),
        Optional.ofNullable(month.get(u.id())).map(s -> Fmt.usd(s.cost())).orElse("$0.00"),
        left(budgets, BudgetWindow.DAILY),
        left(budgets, BudgetWindow.MONTHLY),
        keys);
  }

  private static String left(List<BudgetStatus> budgets, BudgetWindow window) {
    return budgets.stream()
        .filter(b -> b.window() == window)
        .findFirst()
        .map(b -> Fmt.usd(b.remaining()) + " of " + Fmt.usd(b.limit()))
        .orElse("no limit");
  }

  /**
   * Creates a user from the form. A refused form comes back with every value as typed and every
   * problem next to its input (an unknown team among them), never a blank form or a JSON page.
   */
  void create(Context ctx, UiSession session) {
    Form f = Form.of(ctx);
    UserSpec.Builder draft =
        UserSpec.draft(f.problems())
            .userId(f.text("user_id"))
            .email(f.text("user_email"))
            .teamId(f.text("team_id"))
            .budgets(f.budgets("daily_budget", "monthly_budget"));
    UserPage.role(f).ifPresent(draft::role);
    try {
      ui.admin.createUser(ui.actor(session), draft);
    } catch (GatewayException e) {
      f.refused(e);
      render(ctx, session, null, f.summary(), status(e), f);
      return;
    }
    ctx.redirect("/ui/users?notice=user-created", HttpStatus.SEE_OTHER);
  }

  void delete(Context ctx, UiSession session) {
    perform(
        ctx,
        session,
        () -> ui.admin.deleteUser(ui.actor(session), id(ctx)),
        "/ui/users",
        "user-deleted");
  }
}

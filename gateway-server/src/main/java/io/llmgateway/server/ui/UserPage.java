package io.llmgateway.server.ui;

import io.javalin.http.Context;
import io.javalin.http.HttpStatus;
import io.llmgateway.core.PageRequest;
import io.llmgateway.core.admin.UserPatch;
import io.llmgateway.core.budget.BudgetLimit;
import io.llmgateway.core.budget.BudgetScope;
import io.llmgateway.core.budget.BudgetWindow;
import io.llmgateway.core.error.GatewayException;
import io.llmgateway.core.identity.KeyQuery;
import io.llmgateway.core.identity.Principal;
import io.llmgateway.core.identity.RateLimits;
import io.llmgateway.core.identity.Team;
import io.llmgateway.core.identity.User;
import io.llmgateway.core.identity.UserRole;
import io.llmgateway.core.session.UiSession;
import io.llmgateway.core.spend.SpendGroup;
import io.llmgateway.core.spend.SpendTotal;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * One user ({@code /ui/user?id=}): its budget windows now, spend, keys, and a form for every field
 * {@code /user/update} accepts (email, alias, team, role, models, daily and monthly budgets,
 * rpm/tpm/parallel limits, metadata), read into the same core draft as the API. An unknown id is
 * the HTML 404 page. Thread-safe.
 */
final class UserPage extends UiPage {
  UserPage(Ui ui) {
    super(ui);
  }

  @Override
  void render(Context ctx, UiSession session, String notice, String error, int status) {
    User u = ui.admin.user(ui.actor(session), id(ctx));
    Map<String, String> v = values(u);
    ui.alertFields.values(v, "USER", u.id());
    render(ctx, session, u, notice, error, status, Form.filled(v));
  }

  private void render(
      Context ctx, UiSession session, User u, String notice, String error, int status, Form form) {
    Principal actor = ui.actor(session);
    Optional<SpendTotal> today =
        Optional.ofNullable(
            ui.totalsSince(session, SpendGroup.USER, BudgetWindow.DAILY).get(u.id()));
    Optional<SpendTotal> month =
        Optional.ofNullable(
            ui.totalsSince(session, SpendGroup.USER, BudgetWindow.MONTHLY).get(u.id()));
    var keys =
        ui
            .admin
            .keys(actor, KeyQuery.builder(PageRequest.first(100)).user(u.id()).build())
            .items()
            .stream()
            .map(
                k ->
                    new UserView.Key(
                        k.id(),
                        k.alias().orElse("-"),
                        k.displayPrefix(),
                        k.statusAt(ui.now()).name().toLowerCase(Locale.ROOT),
                        k.expiresAt().map(t -> Fmt.time(t, ui.zone)).orElse("never")))
            .toList();
    List<String> teams =
        ui.admin.teams(actor, PageRequest.first(200)).items().stream().map(Team::id).toList();
    UserView view =
        new UserView(
            u.id(),
            u.email().orElse("-"),
            u.teamId().orElse(""),
            u.role().name().toLowerCase(Locale.ROOT),
            today.map(s -> Fmt.usd(s.cost())).orElse("$0.00"),
            month.map(s -> Fmt.usd(s.cost())).orElse("$0.00"),
            rates(u.rateLimits()),
            Fmt.time(u.createdAt(), ui.zone),
            windows(ui, session, BudgetScope.user(u.id())),
            keys,
            teams,
            form);
    ui.templates.html(
        ctx, status, "user", view, Layout.of("users", "User " + u.id(), session, notice, error));
  }

  /** Saves every field of the form; a refused form keeps what was typed and shows each problem. */
  void save(Context ctx, UiSession session) {
    Principal actor = ui.actor(session);
    User u = ui.admin.user(actor, id(ctx));
    Form f = Form.of(ctx);
    UserPatch.Builder draft =
        UserPatch.draft(f.problems())
            .email(f.text("user_email"))
            .alias(f.text("user_alias"))
            .teamId(f.text("team_id"))
            .models(f.list("models"))
            .budgets(f.budgets("daily_budget", "monthly_budget"))
            .rateLimits(f.rateLimits())
            .metadata(f.metadata("metadata"));
    role(f).ifPresent(draft::role);
    var alertBody = ui.alertFields.read(f, "USER", u.id());
    try {
      ui.admin.updateUser(actor, u.id(), draft);
      ui.alertFields.apply(actor, "USER", u.id(), alertBody);
    } catch (GatewayException e) {
      f.refused(e);
      render(ctx, session, u, null, f.summary(), status(e), f);
      return;
    }
    ctx.redirect("/ui/user?id=" + Fmt.q(u.id()) + "&notice=user-saved", HttpStatus.SEE_OTHER);
  }

  /** The form's {@code user_role}, in the API's spelling ({@code internal_user}). */
  static Optional<UserRole> role(Form f) {
    Optional<String> v = f.text("user_role");
    try {
      return v.map(r -> UserRole.valueOf(r.toUpperCase(Locale.ROOT)));
    } catch (IllegalArgumentException e) {
      f.problems()
          .add("user_role", "user_role must be proxy_admin, internal_user or internal_user_viewer");
      return Optional.empty();
    }
  }

  private static Map<String, String> values(User u) {
    Map<String, String> v = new LinkedHashMap<>();
    u.email().ifPresent(x -> v.put("user_email", x));
    u.alias().ifPresent(x -> v.put("user_alias", x));
    u.teamId().ifPresent(x -> v.put("team_id", x));
    v.put("user_role", u.role().name().toLowerCase(Locale.ROOT));
    v.put("models", String.join(", ", u.models()));
    putLimits(v, u.budgets(), u.rateLimits());
    v.put("metadata", Form.json(u.metadata()));
    return v;
  }

  /** The budget and rate-limit inputs' current values (blank: no limit). */
  static void putLimits(Map<String, String> v, List<BudgetLimit> budgets, RateLimits r) {
    v.put("daily_budget", Fmt.plainLimit(budgets, BudgetWindow.DAILY));
    v.put("monthly_budget", Fmt.plainLimit(budgets, BudgetWindow.MONTHLY));
    put(v, "rpm_limit", r.rpm());
    put(v, "tpm_limit", r.tpm());
    put(v, "max_parallel_requests", r.maxParallel());
  }

  private static void put(Map<String, String> v, String field, OptionalLong n) {
    n.ifPresent(x -> v.put(field, Long.toString(x)));
  }

  static String rates(RateLimits r) {
    return "rpm "
        + (r.rpm().isPresent() ? r.rpm().getAsLong() : "-")
        + " · tpm "
        + (r.tpm().isPresent() ? r.tpm().getAsLong() : "-")
        + " · parallel "
        + (r.maxParallel().isPresent() ? r.maxParallel().getAsLong() : "-");
  }

  /** The scope's budget windows now, as the team page shows them. */
  static List<TeamView.Budget> windows(Ui ui, UiSession session, BudgetScope scope) {
    return ui.admin.budgetStatus(ui.actor(session), scope).stream()
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
  }
}

package io.llmgateway.server.ui;

import io.javalin.http.Context;
import io.llmgateway.core.PageRequest;
import io.llmgateway.core.admin.IssuedKey;
import io.llmgateway.core.admin.KeySpec;
import io.llmgateway.core.budget.BudgetWindow;
import io.llmgateway.core.error.GatewayException;
import io.llmgateway.core.identity.KeyQuery;
import io.llmgateway.core.identity.Team;
import io.llmgateway.core.identity.VirtualKey;
import io.llmgateway.core.session.UiSession;
import io.llmgateway.core.spend.SpendGroup;
import io.llmgateway.core.spend.SpendTotal;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * Virtual keys: list with status and spend, create (the plaintext is shown once, on a page that is
 * never cached, and never again), block and unblock, rotate (new value, same id and settings),
 * delete. Keys are named in URLs by id only, never by value or hash. Thread-safe.
 */
final class KeysPage extends UiPage {
  private static final int PAGE_SIZE = 50;

  KeysPage(Ui ui) {
    super(ui);
  }

  @Override
  void render(Context ctx, UiSession session, String notice, String error, int status) {
    render(ctx, session, notice, error, status, Form.filled(Map.of()));
  }

  private void render(
      Context ctx, UiSession session, String notice, String error, int status, Form form) {
    Optional<String> team = filter(ctx, "team");
    Optional<String> user = filter(ctx, "user");
    Map<String, SpendTotal> today = ui.totalsSince(session, SpendGroup.KEY, BudgetWindow.DAILY);
    Map<String, SpendTotal> month = ui.totalsSince(session, SpendGroup.KEY, BudgetWindow.MONTHLY);
    var page =
        ui.admin.keys(
            ui.actor(session),
            new KeyQuery(
                user, team, Optional.empty(), new PageRequest(Forms.page(ctx), PAGE_SIZE)));
    var rows = page.items().stream().map(k -> row(k, today, month)).toList();
    List<String> teams =
        ui.admin.teams(ui.actor(session), PageRequest.first(200)).items().stream()
            .map(Team::id)
            .toList();
    List<String> params = new ArrayList<>();
    team.ifPresent(t -> params.add("team=" + URLEncoder.encode(t, StandardCharsets.UTF_8)));
    user.ifPresent(u -> params.add("user=" + URLEncoder.encode(u, StandardCharsets.UTF_8)));
    String base = "/ui/keys" + (params.isEmpty() ? "" : "?" + String.join("&", params));
    ui.templates.html(
        ctx,
        status,
        "keys",
        new KeysView(team.orElse(""), user.orElse(""), rows, teams, Pager.of(page, base), form),
        Layout.of("keys", "Keys", session, notice, error));
  }

  private KeysView.Row row(
      VirtualKey k, Map<String, SpendTotal> today, Map<String, SpendTotal> month) {
    Optional<SpendTotal> m = Optional.ofNullable(month.get(k.id()));
    String budgets =
        k.budgets().isEmpty()
            ? "-"
            : Fmt.limit(k.budgets(), BudgetWindow.DAILY)
                + " / day, "
                + Fmt.limit(k.budgets(), BudgetWindow.MONTHLY)
                + " / month";
    return new KeysView.Row(
        k.id(),
        k.alias().orElse("-"),
        k.displayPrefix(),
        k.userId().orElse("-"),
        k.teamId().orElse("-"),
        k.role().name(),
        k.statusAt(ui.now()).name().toLowerCase(java.util.Locale.ROOT),
        k.blocked(),
        Optional.ofNullable(today.get(k.id())).map(s -> Fmt.usd(s.cost())).orElse("$0.00"),
        m.map(s -> Fmt.usd(s.cost())).orElse("$0.00"),
        m.map(SpendTotal::requests).orElse(0L),
        budgets,
        k.expiresAt().map(t -> Fmt.time(t, ui.zone)).orElse("never"));
  }

  /** Creates a key from the form; a refused form keeps every value and shows every problem. */
  void create(Context ctx, UiSession session) {
    Form f = Form.of(ctx);
    KeySpec.Builder draft =
        KeySpec.draft(f.problems())
            .userId(f.text("user_id"))
            .teamId(f.text("team_id"))
            .alias(f.text("key_alias"))
            .models(f.list("models"))
            .budgets(f.budgets("daily_budget", "monthly_budget"))
            .rateLimits(f.rateLimits())
            .duration(
                f.positive("expires_days", 3650).stream().mapToObj(Duration::ofDays).findFirst());
    KeyPage.role(f).ifPresent(draft::role);
    IssuedKey issued;
    try {
      issued = ui.admin.generateKey(ui.actor(session), draft);
    } catch (GatewayException e) {
      f.refused(e);
      render(ctx, session, null, f.summary(), status(e), f);
      return;
    }
    shown(ctx, session, issued, "created");
  }

  void rotate(Context ctx, UiSession session) {
    issue(
        ctx,
        session,
        "rotated",
        () -> ui.admin.regenerateKey(ui.actor(session), id(ctx), Optional.empty()));
  }

  void block(Context ctx, UiSession session, boolean blocked) {
    perform(
        ctx,
        session,
        () -> ui.admin.blockKey(ui.actor(session), id(ctx), blocked),
        "/ui/keys",
        blocked ? "key-blocked" : "key-unblocked");
  }

  void delete(Context ctx, UiSession session) {
    perform(
        ctx,
        session,
        () -> ui.admin.deleteKey(ui.actor(session), id(ctx)),
        "/ui/keys",
        "key-deleted");
  }

  private void issue(Context ctx, UiSession session, String verb, Supplier<IssuedKey> action) {
    IssuedKey issued;
    try {
      issued = action.get();
    } catch (GatewayException | IllegalArgumentException e) {
      render(ctx, session, null, e.getMessage(), status(e));
      return;
    }
    shown(ctx, session, issued, verb);
  }

  /** The page that shows a new key value, once. */
  void shown(Context ctx, UiSession session, IssuedKey issued, String verb) {
    VirtualKey k = issued.key();
    ui.templates.html(
        ctx,
        200,
        "key-issued",
        new KeysView.Issued(k.id(), k.alias().orElse(k.id()), issued.plaintext(), verb),
        Layout.of("keys", "Key " + verb, session, null, null));
  }

  private static Optional<String> filter(Context ctx, String name) {
    return Optional.ofNullable(ctx.queryParam(name)).map(String::trim).filter(s -> !s.isEmpty());
  }
}

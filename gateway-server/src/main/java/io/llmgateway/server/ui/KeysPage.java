package io.llmgateway.server.ui;

import io.javalin.http.Context;
import io.llmgateway.core.PageRequest;
import io.llmgateway.core.Sort;
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
import java.time.Duration;
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

  private static final List<ListParams.Sortable> SORTABLE =
      List.of(
          ListParams.Sortable.asc("alias", "Alias"),
          ListParams.Sortable.asc("user", "User"),
          ListParams.Sortable.asc("team", "Team"),
          ListParams.Sortable.asc("status", "Status"),
          ListParams.Sortable.desc("today", "Today"),
          ListParams.Sortable.desc("spend", "This month"),
          ListParams.Sortable.asc("expires", "Expires"),
          ListParams.Sortable.asc("created", "Created"));

  @Override
  void render(Context ctx, UiSession session, String notice, String error, int status) {
    render(ctx, session, notice, error, status, Form.filled(Map.of()));
  }

  private void render(
      Context ctx, UiSession session, String notice, String error, int status, Form form) {
    ListParams list = ListParams.of(ctx, "/ui/keys", SORTABLE, "created", List.of("team", "user"));
    Map<String, SpendTotal> today = ui.totalsSince(session, SpendGroup.KEY, BudgetWindow.DAILY);
    Map<String, SpendTotal> month = ui.totalsSince(session, SpendGroup.KEY, BudgetWindow.MONTHLY);
    var page =
        ui.admin.keys(
            ui.actor(session),
            KeyQuery.builder(new PageRequest(list.page(), PAGE_SIZE))
                .user(list.filter("user"))
                .team(list.filter("team"))
                .search(list.search())
                .sort(new Sort<>(by(list.sort()), list.descending()))
                .spendSince(
                    ui.periodStart(
                        list.sort().equals("today") ? BudgetWindow.DAILY : BudgetWindow.MONTHLY))
                .build());
    var rows = page.items().stream().map(k -> row(k, today, month)).toList();
    List<String> teams =
        ui.admin.teams(ui.actor(session), PageRequest.first(200)).items().stream()
            .map(Team::id)
            .toList();
    Map<String, ListParams.Sortable> s = new java.util.HashMap<>();
    SORTABLE.forEach(c -> s.put(c.name(), c));
    List<Object> columns =
        List.of(
            s.get("alias"),
            "Key",
            s.get("user"),
            s.get("team"),
            "Role",
            s.get("status"),
            "Requests (month)",
            s.get("today"),
            s.get("spend"),
            "Key budget",
            s.get("expires"),
            s.get("created"),
            "Actions");
    ui.templates.html(
        ctx,
        status,
        "keys",
        new KeysView(
            list.filter("team").orElse(""),
            list.filter("user").orElse(""),
            rows,
            teams,
            Pager.of(page, list.base()),
            list,
            list.columns(columns),
            form),
        Layout.of("keys", "Keys", session, notice, error));
  }

  /** The allow-list from the page's sort names to the store's sort fields. */
  private static KeyQuery.By by(String sort) {
    return switch (sort) {
      case "alias" -> KeyQuery.By.ALIAS;
      case "user" -> KeyQuery.By.USER;
      case "team" -> KeyQuery.By.TEAM;
      case "status" -> KeyQuery.By.STATUS;
      case "today", "spend" -> KeyQuery.By.SPEND;
      case "expires" -> KeyQuery.By.EXPIRES;
      default -> KeyQuery.By.CREATED;
    };
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
        Fmt.role(k.role().name()),
        k.statusAt(ui.now()).name().toLowerCase(java.util.Locale.ROOT),
        k.blocked(),
        Optional.ofNullable(today.get(k.id())).map(s -> Fmt.usd(s.cost())).orElse("$0.00"),
        m.map(s -> Fmt.usd(s.cost())).orElse("$0.00"),
        m.map(SpendTotal::requests).orElse(0L),
        budgets,
        k.expiresAt().map(t -> Fmt.time(t, ui.zone)).orElse("never"),
        Fmt.time(k.createdAt(), ui.zone));
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
}

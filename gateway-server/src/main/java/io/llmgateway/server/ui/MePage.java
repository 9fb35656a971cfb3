package io.llmgateway.server.ui;

import io.javalin.http.Context;
import io.javalin.http.HttpStatus;
import io.llmgateway.core.PageRequest;
import io.llmgateway.core.admin.BudgetStatus;
import io.llmgateway.core.admin.IssuedKey;
import io.llmgateway.core.admin.KeySpec;
import io.llmgateway.core.budget.BudgetScope;
import io.llmgateway.core.budget.BudgetWindow;
import io.llmgateway.core.catalog.LogicalModel;
import io.llmgateway.core.error.GatewayException;
import io.llmgateway.core.identity.Grant;
import io.llmgateway.core.identity.KeyQuery;
import io.llmgateway.core.identity.KeyRole;
import io.llmgateway.core.identity.Principal;
import io.llmgateway.core.identity.User;
import io.llmgateway.core.identity.VirtualKey;
import io.llmgateway.core.money.Money;
import io.llmgateway.core.session.UiSession;
import io.llmgateway.core.spend.SpendGroup;
import io.llmgateway.core.spend.SpendTotal;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * Self-service ({@code /ui/me}): a member sees their own budgets (limit, spent, left, reset for
 * each daily and monthly window), this month's usage by day and by model, and their keys; they
 * create keys (alias, models within their tier, optional budgets and expiry), rotate them (the new
 * value is shown once, on the key-issued page) and revoke them (block or delete). Every read and
 * write goes through the admin service as the member, which keeps them to their own user and tier.
 * Thread-safe.
 */
final class MePage extends UiPage {
  MePage(Ui ui) {
    super(ui);
  }

  /** The member's user id; the route gate lets only members here. */
  private static String self(UiSession session) {
    return ((Grant.Member) session.grant()).userId();
  }

  @Override
  void render(Context ctx, UiSession session, String notice, String error, int status) {
    render(ctx, session, notice, error, status, Form.filled(Map.of()));
  }

  private void render(
      Context ctx, UiSession session, String notice, String error, int status, Form form) {
    Principal actor = ui.actor(session);
    User user = ui.admin.user(actor, self(session));
    List<MeView.Budget> budgets =
        ui.admin.budgetStatus(actor, BudgetScope.user(user.id())).stream()
            .map(this::budget)
            .toList();
    Instant from = ui.periodStart(BudgetWindow.MONTHLY);
    Instant to = ui.now().plusSeconds(1);
    List<SpendTotal> byDay = ui.admin.spendReport(actor, SpendGroup.DAY, from, to);
    List<SpendTotal> byModel = ui.admin.spendReport(actor, SpendGroup.MODEL, from, to);
    Money total = byModel.stream().map(SpendTotal::cost).reduce(Money.ZERO, Money::plus);
    List<MeView.Key> keys =
        ui
            .admin
            .keys(
                actor,
                KeyQuery.builder(PageRequest.first(PageRequest.MAX_SIZE)).user(user.id()).build())
            .items()
            .stream()
            .map(this::key)
            .toList();
    List<String> ticked = form.list("models");
    List<MeView.Model> models =
        ui.admin.models(actor).stream()
            .map(LogicalModel::name)
            .map(m -> new MeView.Model(m, ticked.contains(m)))
            .toList();
    ui.templates.html(
        ctx,
        status,
        "me",
        new MeView(
            user.id(),
            user.teamId().orElse("-"),
            budgets,
            byDay.stream()
                .sorted((a, b) -> a.group().compareTo(b.group()))
                .map(MePage::usage)
                .toList(),
            byModel.stream().map(MePage::usage).toList(),
            Fmt.usd(total),
            keys,
            models,
            ui.gateway.config().memberKeyLimit(),
            form),
        Layout.of("me", "My keys and budgets", session, notice, error));
  }

  private MeView.Budget budget(BudgetStatus b) {
    Money used = b.committed().plus(b.reserved());
    return new MeView.Budget(
        b.window().label(),
        Fmt.usd(b.limit()),
        Fmt.usd(used),
        Fmt.usd(b.remaining()),
        Fmt.percent(used, b.limit()),
        Fmt.time(b.resetsAt(), ui.zone));
  }

  private static MeView.Usage usage(SpendTotal t) {
    return new MeView.Usage(
        t.group(), t.requests(), t.inputTokens(), t.outputTokens(), Fmt.usd(t.cost()));
  }

  private MeView.Key key(VirtualKey k) {
    return new MeView.Key(
        k.id(),
        k.alias().orElse("-"),
        k.displayPrefix(),
        k.statusAt(ui.now()).name().toLowerCase(java.util.Locale.ROOT),
        k.blocked(),
        k.models().isEmpty() ? "all of your tier" : String.join(", ", k.models()),
        k.budgets().isEmpty()
            ? "your budgets"
            : Fmt.limit(k.budgets(), BudgetWindow.DAILY)
                + " / day, "
                + Fmt.limit(k.budgets(), BudgetWindow.MONTHLY)
                + " / month",
        k.expiresAt().map(t -> Fmt.time(t, ui.zone)).orElse("never"));
  }

  /**
   * Creates one of the member's own keys. A refused form (a model outside the tier, a budget above
   * the member's own, a value that does not parse, the key limit) comes back with every problem
   * next to its field and everything as typed, as the admins' create forms do.
   */
  void create(Context ctx, UiSession session) {
    Form f = Form.of(ctx);
    KeySpec.Builder draft =
        KeySpec.draft(f.problems())
            .alias(f.text("key_alias"))
            .role(KeyRole.LLM_API)
            .models(f.list("models"))
            .budgets(f.budgets("daily_budget", "monthly_budget"))
            .duration(
                f.positive("expires_days", 3650).stream().mapToObj(Duration::ofDays).findFirst());
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

  void block(Context ctx, UiSession session) {
    perform(
        ctx,
        session,
        () -> ui.admin.blockKey(ui.actor(session), id(ctx), true),
        "/ui/me",
        "key-blocked");
  }

  void delete(Context ctx, UiSession session) {
    perform(
        ctx,
        session,
        () -> ui.admin.deleteKey(ui.actor(session), id(ctx)),
        "/ui/me",
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

  /** The key-issued page: the new value, shown once. */
  private void shown(Context ctx, UiSession session, IssuedKey issued, String verb) {
    VirtualKey k = issued.key();
    ctx.status(HttpStatus.OK);
    ui.templates.html(
        ctx,
        200,
        "key-issued",
        new KeysView.Issued(k.id(), k.alias().orElse(k.id()), issued.plaintext(), verb),
        new MeView.Back("/ui/me"),
        Layout.of("me", "Key " + verb, session, null, null));
  }
}

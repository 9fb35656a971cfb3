package io.llmgateway.server.ui;

import io.javalin.http.Context;
import io.javalin.http.HttpStatus;
import io.llmgateway.core.PageRequest;
import io.llmgateway.core.admin.IssuedKey;
import io.llmgateway.core.admin.KeyPatch;
import io.llmgateway.core.budget.BudgetScope;
import io.llmgateway.core.budget.BudgetWindow;
import io.llmgateway.core.error.GatewayException;
import io.llmgateway.core.identity.KeyRole;
import io.llmgateway.core.identity.Principal;
import io.llmgateway.core.identity.Team;
import io.llmgateway.core.identity.VirtualKey;
import io.llmgateway.core.session.UiSession;
import io.llmgateway.core.spend.SpendGroup;
import io.llmgateway.core.spend.SpendTotal;
import java.time.Duration;
import java.time.LocalDate;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * One key ({@code /ui/key?id=}): its budget windows now, spend, owner, and a form for every field
 * {@code /key/update} accepts (alias, user, team, role, models, daily and monthly budgets,
 * rpm/tpm/parallel limits, expiry date, blocked, metadata), read into the same core draft as the
 * API; and rotation with an optional grace period during which the old value still works (the new
 * value is shown once, on the key-issued page). Thread-safe.
 */
final class KeyPage extends UiPage {
  private final KeysPage issued;

  KeyPage(Ui ui) {
    super(ui);
    this.issued = new KeysPage(ui);
  }

  @Override
  void render(Context ctx, UiSession session, String notice, String error, int status) {
    VirtualKey k = ui.admin.key(ui.actor(session), id(ctx));
    Map<String, String> v = values(k);
    ui.alertFields.values(v, "KEY", k.id());
    render(ctx, session, k, notice, error, status, Form.filled(v));
  }

  private void render(
      Context ctx,
      UiSession session,
      VirtualKey k,
      String notice,
      String error,
      int status,
      Form form) {
    Principal actor = ui.actor(session);
    Optional<SpendTotal> today =
        Optional.ofNullable(
            ui.totalsSince(session, SpendGroup.KEY, BudgetWindow.DAILY).get(k.id()));
    Optional<SpendTotal> month =
        Optional.ofNullable(
            ui.totalsSince(session, SpendGroup.KEY, BudgetWindow.MONTHLY).get(k.id()));
    List<String> teams =
        ui.admin.teams(actor, PageRequest.first(200)).items().stream().map(Team::id).toList();
    String grace =
        k.graceUntil()
            .filter(t -> t.isAfter(ui.now()) && k.previousHash().isPresent())
            .map(t -> "the previous value works until " + Fmt.time(t, ui.zone))
            .orElse("");
    KeyView view =
        new KeyView(
            k.id(),
            k.alias().orElse(k.id()),
            k.displayPrefix(),
            k.userId().orElse(""),
            k.teamId().orElse(""),
            role(k.role()),
            k.statusAt(ui.now()).name().toLowerCase(Locale.ROOT),
            k.expiresAt().map(t -> Fmt.time(t, ui.zone)).orElse("never"),
            grace,
            today.map(s -> Fmt.usd(s.cost())).orElse("$0.00"),
            month.map(s -> Fmt.usd(s.cost())).orElse("$0.00"),
            month.map(SpendTotal::requests).orElse(0L),
            UserPage.rates(k.rateLimits()),
            Fmt.models(k.models()),
            UserPage.windows(ui, session, BudgetScope.key(k.id())),
            teams,
            form);
    ui.templates.html(
        ctx,
        status,
        "key",
        view,
        Layout.of("keys", "Key " + k.alias().orElse(k.id()), session, notice, error));
  }

  /** Saves every field of the form; a refused form keeps what was typed and shows each problem. */
  void save(Context ctx, UiSession session) {
    Principal actor = ui.actor(session);
    VirtualKey k = ui.admin.key(actor, id(ctx));
    Form f = Form.of(ctx);
    KeyPatch.Builder draft =
        KeyPatch.draft(f.problems())
            .alias(f.text("key_alias"))
            .userId(f.text("user_id"))
            .teamId(f.text("team_id"))
            .models(f.list("models"))
            .budgets(f.budgets("daily_budget", "monthly_budget"))
            .rateLimits(f.rateLimits())
            .expiresAt(f.day("expires", ui.zone))
            .blocked(f.checked("blocked"))
            .metadata(f.metadata("metadata"));
    role(f).ifPresent(draft::role);
    var alertBody = ui.alertFields.read(f, "KEY", k.id());
    try {
      ui.admin.updateKey(actor, k.id(), draft);
      ui.alertFields.apply(actor, "KEY", k.id(), alertBody);
    } catch (GatewayException e) {
      f.refused(e);
      render(ctx, session, k, null, f.summary(), status(e), f);
      return;
    }
    ctx.redirect("/ui/key?id=" + Fmt.q(k.id()) + "&notice=key-saved", HttpStatus.SEE_OTHER);
  }

  /**
   * A new value for the key, same id and settings. With a grace period ({@code 60s}, {@code 24h})
   * the old value keeps working until it ends, so clients can roll over; without one it stops now.
   */
  void rotate(Context ctx, UiSession session) {
    Principal actor = ui.actor(session);
    VirtualKey k = ui.admin.key(actor, id(ctx));
    Form f = Form.of(ctx);
    Optional<Duration> grace = f.period("grace_period");
    IssuedKey rotated;
    try {
      f.problems().throwIfAny();
      rotated = ui.admin.regenerateKey(actor, k.id(), grace);
    } catch (GatewayException e) {
      Form shown = Form.filled(values(k));
      shown.values().put("grace_period", f.text("grace_period").orElse(""));
      shown.refused(e);
      render(ctx, session, k, null, shown.summary(), status(e), shown);
      return;
    }
    issued.shown(ctx, session, rotated, "rotated");
  }

  /** The form's {@code key_type}, in the API's spelling ({@code llm_api}). */
  static Optional<KeyRole> role(Form f) {
    Optional<String> v = f.text("key_type");
    try {
      return v.map(r -> KeyRole.valueOf(r.toUpperCase(Locale.ROOT)));
    } catch (IllegalArgumentException e) {
      f.problems().add("key_type", "key_type must be llm_api, team_admin or proxy_admin");
      return Optional.empty();
    }
  }

  private static String role(KeyRole r) {
    return r.name().toLowerCase(Locale.ROOT);
  }

  private Map<String, String> values(VirtualKey k) {
    Map<String, String> v = new LinkedHashMap<>();
    k.alias().ifPresent(x -> v.put("key_alias", x));
    k.userId().ifPresent(x -> v.put("user_id", x));
    k.teamId().ifPresent(x -> v.put("team_id", x));
    v.put("key_type", role(k.role()));
    v.put("models", String.join(", ", k.models()));
    UserPage.putLimits(v, k.budgets(), k.rateLimits());
    k.expiresAt().ifPresent(t -> v.put("expires", LocalDate.ofInstant(t, ui.zone).toString()));
    if (k.blocked()) {
      v.put("blocked", "on");
    }
    v.put("metadata", Form.json(k.metadata()));
    return v;
  }
}

package io.llmgateway.server.ui;

import io.javalin.http.Context;
import io.llmgateway.core.Page;
import io.llmgateway.core.PageRequest;
import io.llmgateway.core.admin.InputGrammar;
import io.llmgateway.core.error.InvalidRequestException;
import io.llmgateway.core.identity.KeyQuery;
import io.llmgateway.core.requestlog.RequestLogEntry;
import io.llmgateway.core.requestlog.RequestLogQuery;
import io.llmgateway.core.session.UiSession;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The request log from {@code AdminService.requestLogs}: admitted and refused requests together,
 * newest first, 50 a page, filtered by user, team, key (alias or id), model, status (admitted,
 * refused, or one refusal reason) and a time range (local date-times in the budget time zone,
 * {@code from} inclusive, {@code to} through its whole minute). Keys are shown by alias.
 * Thread-safe.
 */
final class RequestsPage extends UiPage {
  static final int PAGE_SIZE = 50;
  private static final String[] FILTERS = {"user", "team", "key", "model", "status", "from", "to"};
  private static final Pattern REASON = Pattern.compile("[a-z0-9_]{1,64}");

  /** The refusal reasons offered in the status filter (any other code works in the URL). */
  private static final List<String> REASONS =
      List.of(
          "budget_exceeded",
          "rate_limit_exceeded",
          "model_not_allowed",
          "model_not_found",
          "blocked_api_key",
          "expired_api_key",
          "invalid_api_key",
          "missing_api_key",
          "too_many_failed_keys",
          "invalid_request");

  RequestsPage(Ui ui) {
    super(ui);
  }

  @Override
  void render(Context ctx, UiSession session, String notice, String error, int status) {
    String err = error;
    Page<RequestLogEntry> page;
    try {
      page = ui.admin.requestLogs(ui.actor(session), query(ctx, session));
    } catch (InvalidRequestException e) {
      err = e.getMessage();
      status = 400;
      page = new Page<>(List.of(), 0, PageRequest.first(PAGE_SIZE));
    }
    String filters = filterQuery(ctx);
    String chosen = param(ctx, "status");
    List<RequestsView.Option> statuses = new ArrayList<>();
    statuses.add(new RequestsView.Option("", "all", chosen.isEmpty()));
    statuses.add(new RequestsView.Option("admitted", "admitted", chosen.equals("admitted")));
    statuses.add(
        new RequestsView.Option("refused", "refused (any reason)", chosen.equals("refused")));
    REASONS.forEach(
        r -> statuses.add(new RequestsView.Option(r, "refused: " + r, chosen.equals(r))));
    RequestsView view =
        new RequestsView(
            param(ctx, "user"),
            OwnTeams.filter(session, opt(ctx, "team")).orElse(""),
            param(ctx, "key"),
            param(ctx, "model"),
            param(ctx, "from"),
            param(ctx, "to"),
            statuses,
            teamChoices(session, ctx),
            page.items().stream().map(this::row).toList(),
            Pager.of(page, "/ui/requests" + (filters.isEmpty() ? "" : "?" + filters)));
    ui.templates.html(
        ctx, status, "requests", view, Layout.of("requests", "Requests", session, notice, err));
  }

  /**
   * The team drop-down of a team admin of several teams (only their teams, the first chosen when
   * none is named: see {@link OwnTeams}); empty for everyone else, who type a team.
   */
  private static List<RequestsView.Option> teamChoices(UiSession session, Context ctx) {
    Optional<String> chosen = OwnTeams.filter(session, opt(ctx, "team"));
    return OwnTeams.ofSeveral(session).stream()
        .map(t -> new RequestsView.Option(t, t, chosen.equals(Optional.of(t))))
        .toList();
  }

  private RequestsView.Row row(RequestLogEntry e) {
    String detail = e.detail().orElse("");
    if (e.keyId().isEmpty() && e.client().isPresent()) {
      detail = "from " + e.client().get();
    }
    String tokens =
        e.inputTokens().isPresent()
            ? e.inputTokens().get() + " / " + e.outputTokens().orElse(0L)
            : "-";
    return new RequestsView.Row(
        Fmt.time(e.at(), ui.zone),
        e.requestId(),
        e.outcome(),
        e.httpStatus().map(String::valueOf).orElse(""),
        e.reason().orElse(""),
        detail,
        e.key(),
        e.userId().orElse("-"),
        e.teamId().orElse("-"),
        e.model().orElse("-"),
        tokens,
        e.admitted() ? Fmt.usd(e.cost()) : "-",
        e.latencyMillis());
  }

  private RequestLogQuery query(Context ctx, UiSession session) {
    RequestLogQuery.Show show = RequestLogQuery.Show.ALL;
    Optional<String> reason = Optional.empty();
    Optional<String> status = opt(ctx, "status");
    if (status.isPresent()) {
      switch (status.get()) {
        case "admitted" -> show = RequestLogQuery.Show.ADMITTED;
        case "refused" -> show = RequestLogQuery.Show.REFUSED;
        default -> {
          if (!REASON.matcher(status.get()).matches()) {
            throw new InvalidRequestException("status is not a known choice", "status");
          }
          show = RequestLogQuery.Show.REFUSED;
          reason = status;
        }
      }
    }
    return new RequestLogQuery(
        opt(ctx, "key").map(k -> keyId(session, k)),
        opt(ctx, "user"),
        OwnTeams.filter(session, opt(ctx, "team")),
        opt(ctx, "model"),
        show,
        reason,
        opt(ctx, "from").map(t -> time(t, "from", false)),
        opt(ctx, "to").map(t -> time(t, "to", true)),
        new PageRequest(Forms.page(ctx), PAGE_SIZE));
  }

  /** A key filter names a key by id ({@code key_...}) or by alias. */
  private String keyId(UiSession session, String ref) {
    if (ref.startsWith("key_")) {
      return ref;
    }
    return ui
        .admin
        .keys(ui.actor(session), KeyQuery.builder(PageRequest.first(1)).alias(ref).build())
        .items()
        .stream()
        .findFirst()
        .map(k -> k.id())
        .orElse(ref);
  }

  /** A local date-time ({@code 2026-11-27T10:02}) or a date in the budget time zone. */
  private Instant time(String text, String field, boolean end) {
    try {
      if (text.contains("T")) {
        LocalDateTime t = LocalDateTime.parse(text);
        if (InputGrammar.isInRange(t.toLocalDate())) {
          return t.atZone(ui.zone).toInstant().plusSeconds(end ? 60 : 0);
        }
      } else {
        LocalDate d = LocalDate.parse(text);
        if (InputGrammar.isInRange(d)) {
          return (end ? d.plusDays(1) : d).atStartOfDay(ui.zone).toInstant();
        }
      }
    } catch (DateTimeParseException e) {
      // answered below, as for a time out of range
    }
    throw new InvalidRequestException(
        field + " must be a date-time such as 2026-11-27T10:02 (or a date)", field);
  }

  private static Optional<String> opt(Context ctx, String name) {
    return Optional.ofNullable(ctx.queryParam(name)).map(String::trim).filter(s -> !s.isEmpty());
  }

  private static String param(Context ctx, String name) {
    return opt(ctx, name).orElse("");
  }

  private static String filterQuery(Context ctx) {
    List<String> parts = new ArrayList<>();
    for (String f : FILTERS) {
      opt(ctx, f).ifPresent(v -> parts.add(f + "=" + URLEncoder.encode(v, StandardCharsets.UTF_8)));
    }
    return String.join("&", parts);
  }
}

package io.llmgateway.server.ui;

import io.javalin.http.Context;
import io.llmgateway.core.Page;
import io.llmgateway.core.PageRequest;
import io.llmgateway.core.admin.InputGrammar;
import io.llmgateway.core.error.InvalidRequestException;
import io.llmgateway.core.session.UiSession;
import io.llmgateway.core.spend.SpendQuery;
import io.llmgateway.core.spend.SpendRecord;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The spend log, filtered by user, team, key, model and dates (calendar days in the budget time
 * zone, both inclusive), newest first, 50 a page; and the same filter as a CSV download of up to
 * {@value #CSV_MAX_ROWS} rows. Thread-safe.
 */
final class SpendPage extends UiPage {
  static final int PAGE_SIZE = 50;
  static final int CSV_MAX_ROWS = 100_000;
  private static final String[] FILTERS = {"user", "team", "key", "model", "from", "to"};

  SpendPage(Ui ui) {
    super(ui);
  }

  @Override
  void render(Context ctx, UiSession session, String notice, String error, int status) {
    String err = error;
    Page<SpendRecord> page;
    try {
      page =
          ui.admin.spendLogs(
              ui.actor(session), query(ctx, new PageRequest(Forms.page(ctx), PAGE_SIZE)));
    } catch (InvalidRequestException e) {
      err = e.getMessage();
      status = 400;
      page = new Page<>(List.of(), 0, PageRequest.first(PAGE_SIZE));
    }
    String filters = filterQuery(ctx);
    KeyLabels keys = new KeyLabels(ui, ui.actor(session));
    List<SpendView.Row> rows = page.items().stream().map(r -> row(r, keys)).toList();
    SpendView view =
        new SpendView(
            param(ctx, "user"),
            param(ctx, "team"),
            param(ctx, "key"),
            param(ctx, "model"),
            param(ctx, "from"),
            param(ctx, "to"),
            rows,
            Pager.of(page, "/ui/spend" + (filters.isEmpty() ? "" : "?" + filters)),
            "/ui/spend.csv" + (filters.isEmpty() ? "" : "?" + filters));
    ui.templates.html(
        ctx, status, "spend", view, Layout.of("spend", "Spend logs", session, notice, err));
  }

  /** The filtered rows as CSV (RFC 4180), safe to open in a spreadsheet. */
  void csv(Context ctx, UiSession session) {
    StringBuilder out = new StringBuilder(SpendCsv.HEADER);
    int written = 0;
    for (int p = 1; written < CSV_MAX_ROWS; p++) {
      List<SpendRecord> items =
          ui.admin.spendLogs(ui.actor(session), query(ctx, new PageRequest(p, 1000))).items();
      for (SpendRecord r : items) {
        SpendCsv.append(out, r);
        written++;
      }
      if (items.size() < 1000) {
        break;
      }
    }
    SecurityHeaders.noStore(ctx);
    ctx.header("Content-Disposition", "attachment; filename=\"spend-logs.csv\"");
    ctx.contentType("text/csv; charset=utf-8").result(out.toString());
  }

  private SpendView.Row row(SpendRecord r, KeyLabels keys) {
    return new SpendView.Row(
        Fmt.time(r.endedAt(), ui.zone),
        r.requestId(),
        r.keyId(),
        keys.of(r.keyId()),
        r.userId().orElse("-"),
        r.teamId().orElse("-"),
        r.model(),
        r.deploymentId().orElse("-"),
        r.status().name().toLowerCase(Locale.ROOT),
        r.usage().map(u -> u.promptTokens()).orElse(0L),
        r.usage().map(u -> u.outputTokens()).orElse(0L),
        Fmt.usd(r.cost()),
        r.latencyMillis(),
        r.errorCode().orElse(""));
  }

  private SpendQuery query(Context ctx, PageRequest page) {
    return SpendQuery.builder(page)
        .keyId(opt(ctx, "key"))
        .userId(opt(ctx, "user"))
        .teamId(opt(ctx, "team"))
        .model(opt(ctx, "model"))
        .from(opt(ctx, "from").map(d -> day(d, "from")))
        .to(opt(ctx, "to").map(d -> day(d, "to").plusSeconds(86_400)))
        .build();
  }

  private Instant day(String text, String field) {
    try {
      LocalDate d = LocalDate.parse(text);
      if (InputGrammar.isInRange(d)) {
        return d.atStartOfDay(ui.zone).toInstant();
      }
    } catch (DateTimeParseException e) {
      // answered below, as for a date out of range
    }
    throw new InvalidRequestException(
        field + " must be a date between 0001-01-01 and 9999-12-31, such as 2026-11-27", field);
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

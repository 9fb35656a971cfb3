package io.llmgateway.server.ui;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.javalin.http.Context;
import io.llmgateway.core.PageRequest;
import io.llmgateway.core.catalog.LogicalModel;
import io.llmgateway.core.error.GatewayException;
import io.llmgateway.core.identity.KeyQuery;
import io.llmgateway.core.identity.Principal;
import io.llmgateway.core.identity.UserQuery;
import io.llmgateway.core.money.Money;
import io.llmgateway.core.session.UiSession;
import io.llmgateway.core.spend.SpendBucket;
import io.llmgateway.core.spend.SpendGroup;
import io.llmgateway.core.spend.SpendSeriesQuery;
import java.io.UncheckedIOException;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Usage: spend and requests over the last 24 hours (hourly) or 7 or 30 days (daily) in the budget
 * time zone, filtered by team, user, key and model and broken down by one of them, from {@code
 * AdminService.spendSeries} (grouped in SQL); the budget windows of the filtered team, user or key
 * ({@link UsageBudgets}); and the same series as CSV. Keys are named by alias (else their display
 * prefix), never by id. Thread-safe.
 */
final class UsagePage extends UiPage {
  /** Groups in the breakdown table, and lines on the spend chart besides the total. */
  static final int TABLE_GROUPS = 20;

  static final int CHART_GROUPS = 5;
  private static final int CHOICES = 500;
  // Plain decimals (0.000001, not 1E-6) in the chart data.
  private static final ObjectMapper JSON =
      new ObjectMapper().enable(JsonGenerator.Feature.WRITE_BIGDECIMAL_AS_PLAIN);
  private static final List<String> FILTERS =
      List.of("range", "team", "user", "key", "model", "by");

  UsagePage(Ui ui) {
    super(ui);
  }

  /** What the page was asked for. */
  private record Filter(
      UsageRange range,
      Optional<String> team,
      Optional<String> user,
      Optional<String> key,
      Optional<String> model,
      SpendGroup by) {
    SpendSeriesQuery query() {
      return SpendSeriesQuery.builder(range.from(), range.to(), range.bucket())
          .keyId(key)
          .userId(user)
          .teamId(team)
          .model(model)
          .by(by)
          .build();
    }
  }

  private Filter filter(Context ctx, UiSession session) {
    SpendGroup by =
        switch (opt(ctx, "by").orElse("team")) {
          case "user" -> SpendGroup.USER;
          case "key" -> SpendGroup.KEY;
          case "model" -> SpendGroup.MODEL;
          default -> SpendGroup.TEAM;
        };
    return new Filter(
        UsageRange.of(ctx.queryParam("range"), ui.now(), ui.zone),
        OwnTeams.filter(session, opt(ctx, "team")),
        opt(ctx, "user"),
        opt(ctx, "key"),
        opt(ctx, "model"),
        by);
  }

  @Override
  void render(Context ctx, UiSession session, String notice, String error, int status) {
    Principal actor = ui.actor(session);
    Filter f = filter(ctx, session);
    String err = error;
    List<SpendBucket> series = List.of();
    try {
      series = ui.admin.spendSeries(actor, f.query());
    } catch (GatewayException | IllegalArgumentException e) {
      err = e.getMessage();
      status = status(e);
    }
    UsageLabels labels = new UsageLabels(ui, actor);
    Map<String, long[]> byGroup = new LinkedHashMap<>();
    Map<LocalDateTime, long[]> byBucket = new HashMap<>();
    for (SpendBucket b : series) {
      add(byGroup.computeIfAbsent(b.group(), g -> new long[4]), b);
      add(byBucket.computeIfAbsent(b.start(), s -> new long[4]), b);
    }
    List<Map.Entry<String, long[]>> ranked =
        byGroup.entrySet().stream()
            .sorted(
                Comparator.comparing((Map.Entry<String, long[]> e) -> e.getValue()[3])
                    .reversed()
                    .thenComparing(Map.Entry::getKey))
            .toList();
    long[] total = new long[4];
    byGroup.values().forEach(t -> add(total, t));
    List<UsageView.Row> rows =
        ranked.stream()
            .limit(TABLE_GROUPS)
            .map(
                e ->
                    new UsageView.Row(
                        labels.of(f.by(), e.getKey()),
                        e.getKey(),
                        e.getValue()[0],
                        e.getValue()[1],
                        e.getValue()[2],
                        Fmt.usd(Money.ofNanos(e.getValue()[3])),
                        Money.ofNanos(e.getValue()[3]).toUsd().toPlainString(),
                        Fmt.percent(Money.ofNanos(e.getValue()[3]), Money.ofNanos(total[3]))))
            .toList();
    UsageRange range = f.range();
    List<Long> xs = range.starts().stream().map(range::epochSecond).toList();
    List<Map<String, Object>> costLines = new ArrayList<>();
    costLines.add(line("all", range, byBucket, 3));
    for (var e : ranked.stream().limit(CHART_GROUPS).toList()) {
      Map<LocalDateTime, long[]> own = new HashMap<>();
      series.stream()
          .filter(b -> b.group().equals(e.getKey()))
          .forEach(b -> add(own.computeIfAbsent(b.start(), s -> new long[4]), b));
      costLines.add(line(labels.of(f.by(), e.getKey()), range, own, 3));
    }
    UsageView view =
        new UsageView(
            choices(UsageRange.CODES, UsageRange.CODES, range.code()),
            teamChoices(actor, session, f),
            userChoices(actor, f),
            keyChoices(actor, f, labels),
            modelChoices(actor, f),
            choices(
                List.of("team", "user", "key", "model"),
                List.of("team", "user", "key", "model"),
                f.by().name().toLowerCase(Locale.ROOT)),
            range.label(),
            ui.zone.getId(),
            range.bucket() == SpendSeriesQuery.Bucket.HOUR ? "hour" : "day",
            f.by().name().toLowerCase(Locale.ROOT),
            json(xs),
            json(costLines),
            json(List.of(line("requests", range, byBucket, 0))),
            Fmt.usd(Money.ofNanos(total[3])),
            total[0],
            total[1],
            total[2],
            rows,
            rows.size(),
            byGroup.size(),
            new UsageBudgets(ui, actor, labels).of(f.team(), f.user(), f.key()),
            f.team().isPresent() || f.user().isPresent() || f.key().isPresent(),
            "/ui/usage.csv" + query(ctx));
    ui.templates.html(
        ctx, status, "usage", view, Layout.of("usage", "Usage", session, notice, err));
  }

  /** The filtered series as CSV: one line per bucket and group, safe for spreadsheets. */
  void csv(Context ctx, UiSession session) {
    Principal actor = ui.actor(session);
    Filter f = filter(ctx, session);
    List<SpendBucket> series = ui.admin.spendSeries(actor, f.query());
    UsageLabels labels = new UsageLabels(ui, actor);
    StringBuilder out = new StringBuilder(SpendCsv.SERIES_HEADER);
    for (SpendBucket b : series) {
      SpendCsv.appendBucket(
          out,
          b.start().atZone(ui.zone).toOffsetDateTime().toString(),
          b.group(),
          labels.of(f.by(), b.group()),
          b);
    }
    SecurityHeaders.noStore(ctx);
    ctx.header(
        "Content-Disposition", "attachment; filename=\"usage-" + f.range().code() + ".csv\"");
    ctx.contentType("text/csv; charset=utf-8").result(out.toString());
  }

  private static void add(long[] t, SpendBucket b) {
    t[0] += b.requests();
    t[1] += b.inputTokens();
    t[2] += b.outputTokens();
    t[3] = Math.addExact(t[3], b.cost().nanos());
  }

  private static void add(long[] t, long[] more) {
    for (int i = 0; i < 4; i++) {
      t[i] = Math.addExact(t[i], more[i]);
    }
  }

  /** One chart line: a label and a value per bucket (USD as a decimal string for cost). */
  private static Map<String, Object> line(
      String label, UsageRange range, Map<LocalDateTime, long[]> values, int index) {
    List<Object> ys = new ArrayList<>();
    for (LocalDateTime s : range.starts()) {
      long[] t = values.get(s);
      long v = t == null ? 0 : t[index];
      ys.add(index == 3 ? Money.ofNanos(v).toUsd() : v);
    }
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("label", label);
    m.put("y", ys);
    return m;
  }

  private List<UsageView.Choice> teamChoices(Principal actor, UiSession session, Filter f) {
    List<UsageView.Choice> out = new ArrayList<>();
    if (OwnTeams.ofSeveral(session).isEmpty()) {
      // A team admin of several teams reads one at a time (OwnTeams): no "all teams" for them.
      out.add(new UsageView.Choice("", "all teams", f.team().isEmpty()));
    }
    ui.admin.teams(actor, PageRequest.first(CHOICES)).items().stream()
        .map(t -> new UsageView.Choice(t.id(), t.alias(), f.team().equals(Optional.of(t.id()))))
        .forEach(out::add);
    return out;
  }

  private List<UsageView.Choice> userChoices(Principal actor, Filter f) {
    List<UsageView.Choice> out = new ArrayList<>();
    out.add(new UsageView.Choice("", "all users", f.user().isEmpty()));
    ui
        .admin
        .users(actor, UserQuery.builder(PageRequest.first(CHOICES)).team(f.team()).build())
        .items()
        .stream()
        .map(u -> new UsageView.Choice(u.id(), u.id(), f.user().equals(Optional.of(u.id()))))
        .forEach(out::add);
    return out;
  }

  private List<UsageView.Choice> keyChoices(Principal actor, Filter f, UsageLabels labels) {
    List<UsageView.Choice> out = new ArrayList<>();
    out.add(new UsageView.Choice("", "all keys", f.key().isEmpty()));
    ui
        .admin
        .keys(
            actor,
            KeyQuery.builder(PageRequest.first(CHOICES)).user(f.user()).team(f.team()).build())
        .items()
        .stream()
        .map(k -> new UsageView.Choice(k.id(), labels.key(k), f.key().equals(Optional.of(k.id()))))
        .forEach(out::add);
    return out;
  }

  private List<UsageView.Choice> modelChoices(Principal actor, Filter f) {
    List<UsageView.Choice> out = new ArrayList<>();
    out.add(new UsageView.Choice("", "all models", f.model().isEmpty()));
    ui.admin.models(actor).stream()
        .map(LogicalModel::name)
        .map(m -> new UsageView.Choice(m, m, f.model().equals(Optional.of(m))))
        .forEach(out::add);
    return out;
  }

  private static List<UsageView.Choice> choices(
      List<String> values, List<String> labels, String chosen) {
    List<UsageView.Choice> out = new ArrayList<>();
    for (int i = 0; i < values.size(); i++) {
      out.add(new UsageView.Choice(values.get(i), labels.get(i), values.get(i).equals(chosen)));
    }
    return out;
  }

  private static String json(Object value) {
    try {
      return JSON.writeValueAsString(value);
    } catch (JsonProcessingException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static Optional<String> opt(Context ctx, String name) {
    return Optional.ofNullable(ctx.queryParam(name)).map(String::trim).filter(s -> !s.isEmpty());
  }

  /** The page's filters as a query string (URL-encoded), for the CSV link. */
  private static String query(Context ctx) {
    List<String> parts = new ArrayList<>();
    for (String name : FILTERS) {
      opt(ctx, name).ifPresent(v -> parts.add(name + "=" + Fmt.q(v)));
    }
    return parts.isEmpty() ? "" : "?" + String.join("&", parts);
  }
}

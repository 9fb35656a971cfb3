package io.llmgateway.core.admin;

import io.llmgateway.core.Page;
import io.llmgateway.core.PageRequest;
import io.llmgateway.core.error.InvalidRequestException;
import io.llmgateway.core.identity.Principal;
import io.llmgateway.core.identity.VirtualKey;
import io.llmgateway.core.money.Money;
import io.llmgateway.core.requestlog.Refusal;
import io.llmgateway.core.requestlog.RefusalLog;
import io.llmgateway.core.requestlog.RefusalQuery;
import io.llmgateway.core.requestlog.RequestLogEntry;
import io.llmgateway.core.requestlog.RequestLogQuery;
import io.llmgateway.core.spend.SpendQuery;
import io.llmgateway.core.spend.SpendRecord;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The request log behind {@link AdminService}: admitted requests (the spend log) and refused ones
 * ({@link RefusalLog}) as one list, newest first, under the same read scoping as the spend log
 * ({@link SpendAdmin#scope}). Listing both merges the newest {@code offset + size} rows of each, so
 * a page reaches at most {@link #MAX_DEPTH} rows deep (narrow the filters or the time range for
 * older ones). Keys are shown by alias, else display prefix.
 */
final class RequestLogAdmin {
  /** How deep into the merged list a page may reach. */
  static final int MAX_DEPTH = 10_000;

  private static final Comparator<RequestLogEntry> NEWEST_FIRST =
      Comparator.comparing(RequestLogEntry::at)
          .reversed()
          .thenComparing(RequestLogEntry::requestId);

  private final AdminContext ctx;
  private final SpendAdmin spend;
  private final RefusalLog refusals;

  RequestLogAdmin(AdminContext ctx, SpendAdmin spend, RefusalLog refusals) {
    this.ctx = ctx;
    this.spend = spend;
    this.refusals = refusals;
  }

  /** The request log {@code actor} may read, after this instance's queued spend is written. */
  Page<RequestLogEntry> list(Principal actor, RequestLogQuery q) {
    ctx.flushSpend.run();
    SpendAdmin.Scope s =
        spend.scope(actor, new SpendAdmin.Scope(q.keyId(), q.userId(), q.teamId()), "requests");
    Map<String, String> keys = new HashMap<>();
    return switch (q.show()) {
      case ADMITTED -> map(admitted(s, q, q.page()), r -> admitted(r, keys));
      case REFUSED -> map(refused(s, q, q.page()), r -> refused(r, keys));
      case ALL -> merged(s, q, keys);
    };
  }

  private Page<RequestLogEntry> merged(
      SpendAdmin.Scope s, RequestLogQuery q, Map<String, String> keys) {
    long depth = q.page().offset() + q.page().size();
    if (depth > MAX_DEPTH) {
      throw new InvalidRequestException(
          "the request log lists at most "
              + MAX_DEPTH
              + " rows deep; narrow the filters or the time range",
          "page");
    }
    List<RequestLogEntry> rows = new ArrayList<>();
    long total = 0;
    for (int p = 1; (long) (p - 1) * PageRequest.MAX_SIZE < depth; p++) {
      Page<SpendRecord> a = admitted(s, q, new PageRequest(p, PageRequest.MAX_SIZE));
      a.items().forEach(r -> rows.add(admitted(r, keys)));
      total = a.total();
      if (a.items().size() < PageRequest.MAX_SIZE) {
        break;
      }
    }
    long refusedTotal = 0;
    for (int p = 1; (long) (p - 1) * PageRequest.MAX_SIZE < depth; p++) {
      Page<Refusal> r = refused(s, q, new PageRequest(p, PageRequest.MAX_SIZE));
      r.items().forEach(x -> rows.add(refused(x, keys)));
      refusedTotal = r.total();
      if (r.items().size() < PageRequest.MAX_SIZE) {
        break;
      }
    }
    rows.sort(NEWEST_FIRST);
    int from = (int) Math.min(rows.size(), q.page().offset());
    int to = (int) Math.min(rows.size(), depth);
    return new Page<>(rows.subList(from, to), total + refusedTotal, q.page());
  }

  private static <T> Page<RequestLogEntry> map(
      Page<T> page, java.util.function.Function<T, RequestLogEntry> f) {
    return new Page<>(page.items().stream().map(f).toList(), page.total(), page.request());
  }

  private Page<SpendRecord> admitted(SpendAdmin.Scope s, RequestLogQuery q, PageRequest page) {
    return ctx.stores
        .spendLog()
        .query(
            SpendQuery.builder(page)
                .keyId(s.keyId())
                .userId(s.userId())
                .teamId(s.teamId())
                .model(q.model())
                .from(q.from())
                .to(q.to())
                .build());
  }

  private Page<Refusal> refused(SpendAdmin.Scope s, RequestLogQuery q, PageRequest page) {
    return refusals.query(
        new RefusalQuery(
            s.keyId(), s.userId(), s.teamId(), q.model(), q.reason(), q.from(), q.to(), page));
  }

  private RequestLogEntry admitted(SpendRecord r, Map<String, String> keys) {
    return new RequestLogEntry(
        r.endedAt(),
        r.requestId(),
        r.status().name().toLowerCase(Locale.ROOT),
        Optional.empty(),
        r.errorCode(),
        Optional.empty(),
        Optional.of(r.keyId()),
        keyLabel(r.keyId(), keys),
        r.userId(),
        r.teamId(),
        Optional.of(r.model()),
        r.usage().map(u -> u.promptTokens()),
        r.usage().map(u -> u.outputTokens()),
        r.cost(),
        r.latencyMillis(),
        Optional.empty());
  }

  private RequestLogEntry refused(Refusal r, Map<String, String> keys) {
    return new RequestLogEntry(
        r.at(),
        r.requestId(),
        "refused",
        Optional.of(r.status()),
        Optional.of(r.reason()),
        r.detail(),
        r.keyId(),
        r.keyId().map(k -> keyLabel(k, keys)).orElse("-"),
        r.userId(),
        r.teamId(),
        r.model(),
        Optional.empty(),
        Optional.empty(),
        Money.ZERO,
        r.latencyMillis(),
        r.client());
  }

  /** The key's alias, else its display prefix, else its id (a deleted key, the master key). */
  private String keyLabel(String keyId, Map<String, String> cache) {
    return cache.computeIfAbsent(
        keyId, id -> ctx.stores.keys().findById(id).map(RequestLogAdmin::label).orElse(id));
  }

  private static String label(VirtualKey k) {
    return k.alias().orElse(k.displayPrefix());
  }
}

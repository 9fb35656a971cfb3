package io.llmgateway.core.spend;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;

/**
 * Spend log rows as FinOps FOCUS 1.x CSV (docs/ADMIN_API.md "Spend export"): one row per request,
 * every column the FOCUS 1.0 specification makes mandatory, the conditional ones the gateway has
 * (consumed tokens, resource = model, sub account = team, tags) and {@code x_} extension columns.
 * The gateway is the provider here, an internal platform billing its users (showback and
 * chargeback); a request is priced as one unit at its cost, so list, contracted, effective and
 * billed cost are all the request's cost and every unit price times quantity equals its cost
 * exactly. Costs are exact decimal USD, instants ISO-8601 UTC; the charge period is the UTC hour
 * the request ended in and the billing period its UTC month, as spend is attributed by end time
 * everywhere else. Writes as it goes: nothing is buffered but the current row. Not thread-safe.
 */
public final class FocusCsv {
  /** The header, in order. */
  public static final List<String> COLUMNS =
      List.of(
          "BilledCost",
          "BillingAccountId",
          "BillingAccountName",
          "BillingCurrency",
          "BillingPeriodEnd",
          "BillingPeriodStart",
          "ChargeCategory",
          "ChargeClass",
          "ChargeDescription",
          "ChargeFrequency",
          "ChargePeriodEnd",
          "ChargePeriodStart",
          "ConsumedQuantity",
          "ConsumedUnit",
          "ContractedCost",
          "ContractedUnitPrice",
          "EffectiveCost",
          "InvoiceIssuerName",
          "ListCost",
          "ListUnitPrice",
          "PricingCategory",
          "PricingQuantity",
          "PricingUnit",
          "ProviderName",
          "PublisherName",
          "ResourceId",
          "ResourceName",
          "ResourceType",
          "ServiceCategory",
          "ServiceName",
          "SubAccountId",
          "SubAccountName",
          "Tags",
          "x_RequestId",
          "x_KeyId",
          "x_UserId",
          "x_TeamId",
          "x_Deployment",
          "x_InputTokens",
          "x_OutputTokens",
          "x_CacheReadTokens",
          "x_CacheWriteTokens",
          "x_Status",
          "x_RequestStartedAt",
          "x_RequestEndedAt");

  /** The provider, publisher, invoice issuer and service: this gateway. */
  static final String GATEWAY = "LLM Gateway";

  private static final DateTimeFormatter UTC =
      DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss'Z'").withZone(ZoneOffset.UTC);

  private final Writer out;
  private final String accountId;

  /**
   * @param accountId BillingAccountId: names this gateway's deployment in the FinOps tool
   */
  public FocusCsv(Writer out, String accountId) {
    this.out = out;
    this.accountId = accountId;
  }

  public FocusCsv header() {
    line(COLUMNS);
    return this;
  }

  public void write(SpendRecord r) {
    Instant hour = r.endedAt().truncatedTo(ChronoUnit.HOURS);
    ZonedDateTime month =
        r.endedAt().atZone(ZoneOffset.UTC).truncatedTo(ChronoUnit.DAYS).withDayOfMonth(1);
    String cost = usd(r.cost().nanos());
    long tokens = r.usage().map(u -> u.totalTokens()).orElse(0L);
    List<String> v = new ArrayList<>(COLUMNS.size());
    v.add(cost); // BilledCost
    v.add(accountId);
    v.add(GATEWAY + " " + accountId);
    v.add("USD");
    v.add(UTC.format(month.plusMonths(1)));
    v.add(UTC.format(month));
    v.add("Usage");
    v.add(""); // ChargeClass: null, no correction
    v.add(r.model() + " request (" + r.status().name().toLowerCase(java.util.Locale.ROOT) + ")");
    v.add("Usage-Based");
    v.add(UTC.format(hour.plus(1, ChronoUnit.HOURS)));
    v.add(UTC.format(hour));
    v.add(Long.toString(tokens)); // ConsumedQuantity
    v.add("Tokens");
    v.add(cost); // ContractedCost
    v.add(cost); // ContractedUnitPrice (PricingQuantity 1)
    v.add(cost); // EffectiveCost
    v.add(GATEWAY);
    v.add(cost); // ListCost
    v.add(cost); // ListUnitPrice
    v.add("Standard");
    v.add("1");
    v.add("Requests");
    v.add(GATEWAY);
    v.add(GATEWAY);
    v.add(r.model());
    v.add(r.model());
    v.add("Model");
    v.add("AI and Machine Learning");
    v.add(GATEWAY);
    v.add(r.teamId().orElse(""));
    v.add(r.teamId().orElse(""));
    v.add(tags(r));
    v.add(r.requestId());
    v.add(r.keyId());
    v.add(r.userId().orElse(""));
    v.add(r.teamId().orElse(""));
    v.add(r.deploymentId().orElse(""));
    v.add(r.usage().map(u -> Long.toString(u.inputTokens())).orElse(""));
    v.add(r.usage().map(u -> Long.toString(u.outputTokens())).orElse(""));
    v.add(r.usage().map(u -> Long.toString(u.cacheReadTokens())).orElse(""));
    v.add(r.usage().map(u -> Long.toString(u.cacheWriteTokens())).orElse(""));
    v.add(r.status().name());
    v.add(r.startedAt().toString());
    v.add(r.endedAt().toString());
    line(v);
  }

  public void flush() {
    try {
      out.flush();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Exact decimal dollars with nine places, never exponent notation. */
  static String usd(long nanos) {
    return java.math.BigDecimal.valueOf(nanos, 9).toPlainString();
  }

  /** FOCUS Tags: a JSON object of the gateway's dimensions that are set. */
  private static String tags(SpendRecord r) {
    StringBuilder b = new StringBuilder("{");
    String sep = "";
    for (String[] kv :
        new String[][] {
          {"key", r.keyId()}, {"user", r.userId().orElse(null)}, {"team", r.teamId().orElse(null)}
        }) {
      if (kv[1] != null) {
        b.append(sep).append('"').append(kv[0]).append("\":").append(jsonString(kv[1]));
        sep = ",";
      }
    }
    return b.append('}').toString();
  }

  private static String jsonString(String s) {
    StringBuilder b = new StringBuilder("\"");
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '"' -> b.append("\\\"");
        case '\\' -> b.append("\\\\");
        default -> {
          if (c < 0x20) {
            b.append(String.format("\\u%04x", (int) c));
          } else {
            b.append(c);
          }
        }
      }
    }
    return b.append('"').toString();
  }

  private void line(List<String> values) {
    try {
      for (int i = 0; i < values.size(); i++) {
        if (i > 0) {
          out.write(',');
        }
        out.write(cell(values.get(i)));
      }
      out.write("\r\n");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * RFC 4180 quoting, after {@link SpreadsheetCells#defuse} (as every CSV the gateway writes: ids,
   * aliases and model names are chosen by users). Numbers and instants written here never start
   * with a formula character, so only text changes.
   */
  static String cell(String v) {
    String s = SpreadsheetCells.defuse(v);
    if (s.indexOf(',') >= 0
        || s.indexOf('"') >= 0
        || s.indexOf('\n') >= 0
        || s.indexOf('\r') >= 0) {
      return '"' + s.replace("\"", "\"\"") + '"';
    }
    return s;
  }
}

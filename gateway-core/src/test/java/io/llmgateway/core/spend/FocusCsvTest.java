package io.llmgateway.core.spend;

import static org.assertj.core.api.Assertions.assertThat;

import io.llmgateway.core.chat.TokenUsage;
import io.llmgateway.core.money.Money;
import java.io.StringWriter;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class FocusCsvTest {
  private static SpendRecord record(String team, long nanos, String endedAt) {
    return new SpendRecord(
        "req-1",
        "key-1",
        Optional.of("erin@example.com"),
        Optional.of(team),
        "model-cheap",
        Optional.of("bedrock-1"),
        Optional.of(new TokenUsage(100, 20, 5, 1, TokenUsage.Source.REPORTED)),
        Money.ofNanos(nanos),
        SpendStatus.SUCCESS,
        Optional.empty(),
        42,
        Instant.parse(endedAt).minusSeconds(1),
        Instant.parse(endedAt));
  }

  private static List<String> line(SpendRecord r) {
    StringWriter w = new StringWriter();
    new FocusCsv(w, "acct").write(r);
    return Arrays.asList(w.toString().split(",", -1));
  }

  private static String col(List<String> row, String name) {
    return row.get(FocusCsv.COLUMNS.indexOf(name));
  }

  @Test
  void costsAreExactDecimalsAndPeriodsAreUtcHourAndMonth() {
    List<String> row = line(record("drafting", 1, "2026-12-31T23:42:10.5Z"));
    assertThat(col(row, "BilledCost")).isEqualTo("0.000000001");
    assertThat(col(row, "EffectiveCost")).isEqualTo("0.000000001");
    assertThat(col(row, "ChargePeriodStart")).isEqualTo("2026-12-31T23:00:00Z");
    assertThat(col(row, "ChargePeriodEnd")).isEqualTo("2027-01-01T00:00:00Z");
    assertThat(col(row, "BillingPeriodStart")).isEqualTo("2026-12-01T00:00:00Z");
    assertThat(col(row, "BillingPeriodEnd")).isEqualTo("2027-01-01T00:00:00Z");
    assertThat(col(row, "ConsumedQuantity")).isEqualTo("126");
    assertThat(col(row, "SubAccountId")).isEqualTo("drafting");
    assertThat(line(record("t", 17_000_000_123L, "2026-12-01T00:00:00Z")).get(0))
        .isEqualTo("17.000000123");
  }

  @Test
  void userChosenTextIsQuotedAndDefusedForSpreadsheets() {
    StringWriter w = new StringWriter();
    new FocusCsv(w, "acct")
        .header()
        .write(record("=HYPERLINK(\"x\"),a", 5, "2026-12-01T10:00:00Z"));
    String csv = w.toString();
    assertThat(csv).startsWith(String.join(",", FocusCsv.COLUMNS) + "\r\n");
    assertThat(csv).contains(",\"'=HYPERLINK(\"\"x\"\"),a\",");
    assertThat(csv).doesNotContain(",=HYPERLINK");
  }
}

package io.llmgateway.server.ui;

import static org.assertj.core.api.Assertions.assertThat;

import io.llmgateway.core.chat.TokenUsage;
import io.llmgateway.core.money.Money;
import io.llmgateway.core.spend.SpendRecord;
import io.llmgateway.core.spend.SpendStatus;
import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class SpendCsvTest {

  @Test
  void fieldsThatASpreadsheetWouldEvaluateAreDefused() {
    assertThat(SpendCsv.field(new StringBuilder(), "=HYPERLINK(\"x\")").toString())
        .isEqualTo("\"'=HYPERLINK(\"\"x\"\")\"");
    assertThat(SpendCsv.field(new StringBuilder(), "+1").toString()).isEqualTo("\"'+1\"");
    assertThat(SpendCsv.field(new StringBuilder(), "@SUM(A1)").toString())
        .isEqualTo("\"'@SUM(A1)\"");
    assertThat(SpendCsv.field(new StringBuilder(), "a,b").toString()).isEqualTo("\"a,b\"");
  }

  @Test
  void formulaStartsAfterAnySeparatorAreDefusedAndEveryFieldIsQuoted() {
    // A spreadsheet set to split on ';' (or tab) ignores the ',' quoting of a field: every
    // piece that would start a cell must be defused, not only the field's first character.
    String csv = SpendCsv.field(new StringBuilder(), "erin;=1+41;").toString();
    String tabbed = SpendCsv.field(new StringBuilder(), "a\t+SUM(A1)").toString();
    String commas = SpendCsv.field(new StringBuilder(), "x,@cmd").toString();

    assertThat(csv).isEqualTo("\"erin;'=1+41;\"");
    assertThat(tabbed).isEqualTo("\"a\t'+SUM(A1)\"");
    assertThat(commas).isEqualTo("\"x,'@cmd\"");
    for (String s : new String[] {csv, tabbed, commas}) {
      for (String piece : s.replace("\"", "").split("[,;\t]")) {
        assertThat(piece).doesNotStartWith("=").doesNotStartWith("+").doesNotStartWith("@");
      }
    }
    assertThat(SpendCsv.field(new StringBuilder(), "model-cheap").toString())
        .isEqualTo("\"model-cheap\"");
  }

  @Test
  void oneRecordIsOneLineWithExactCost() {
    SpendRecord r =
        new SpendRecord(
            "req-1",
            "key_1",
            Optional.of("alice"),
            Optional.of("coding"),
            "model-cheap",
            Optional.of("nova-micro"),
            Optional.of(TokenUsage.reported(10, 16)),
            Money.ofNanos(2_590),
            SpendStatus.SUCCESS,
            Optional.empty(),
            52,
            Instant.parse("2026-11-27T10:00:00Z"),
            Instant.parse("2026-11-27T10:00:01Z"));
    StringBuilder out = new StringBuilder();

    SpendCsv.append(out, r);

    assertThat(out.toString())
        .isEqualTo(
            "\"2026-11-27T10:00:01Z\",\"req-1\",\"key_1\",\"alice\",\"coding\",\"model-cheap\","
                + "\"nova-micro\",\"success\",\"10\",\"16\",\"0.00000259\",\"52\",\"\"\r\n");
  }
}

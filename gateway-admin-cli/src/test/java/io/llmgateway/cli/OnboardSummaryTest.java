package io.llmgateway.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The onboarding summary counts data rows and names the lines a person sees in an editor (issue 17:
 * "7 of 9 rows" for 10 data rows, a quote error on "line 12" of an 11-line file, "1 of 0 rows" for
 * a bad header), and the progress line shows an ETA.
 */
class OnboardSummaryTest extends CommandTest {

  @BeforeEach
  void teams() {
    ok("models", "sync");
    ok("teams", "sync");
  }

  @Test
  void tenDataRowsWithThreeInvalidAreCountedAsSuch() throws IOException {
    // 10 data rows (one alias quoted over two lines, one with a quoted comma, a blank line between
    // rows); invalid: line 4 (email), line 8 (tier), line 12 (alias spans lines 12-13).
    cli.write(
        "ten.csv",
        """
        email,tier,alias,budget,rpm
        a1@example.com,drafting,"One, Comma",,
        a2@example.com,coding,Two,,
        not-an-email,coding,Three,,
        a4@example.com,coding,Four,,

        a5@example.com,coding,Five,,
        a6@example.com,gold,Six,,
        a7@example.com,coding,Seven,,
        a8@example.com,coding,Eight,,
        a9@example.com,coding,Nine,,
        a10@example.com,coding,"Ten
        Lines",,
        """);

    var r = fails(ExitCode.VALIDATION, "users", "onboard", "--csv", "ten.csv", "--out", "k.csv");

    assertThat(r.err())
        .contains("invalid line 4: 'not-an-email' is not a valid email address")
        .contains("invalid line 8: unknown tier 'gold'")
        .contains("invalid line 12: alias contains a control character")
        .contains("3 of 10 rows are invalid (3 problems); nothing was changed")
        .contains("onboard the 7 valid rows");
  }

  @Test
  void anUnterminatedQuoteIsReportedOnTheLineItOpens() throws IOException {
    StringBuilder csv = new StringBuilder("email,tier,alias\n");
    for (int i = 1; i <= 9; i++) {
      csv.append("u").append(i).append("@example.com,coding,User ").append(i).append('\n');
    }
    csv.append("u10@example.com,coding,\"User 10\n"); // line 11 of 11: the quote never closes
    cli.write("open.csv", csv.toString());

    var r = fails(ExitCode.VALIDATION, "users", "onboard", "--csv", "open.csv", "--out", "k.csv");

    assertThat(r.err())
        .contains("invalid line 11: malformed CSV")
        .doesNotContain("line 12")
        .contains("1 of 10 rows are invalid");
  }

  @Test
  void aQuotedFieldSpanningLinesKeepsLaterLineNumbersRight() throws IOException {
    cli.write(
        "multi.csv",
        "email,tier,alias\r\nok@example.com,coding,\"A\r\nB\"\r\nbad,coding,x\r\n\r\nc@x,gold,y\r\n");

    var r = fails(ExitCode.VALIDATION, "users", "onboard", "--csv", "multi.csv", "--out", "k.csv");

    assertThat(r.err())
        .contains("invalid line 2: alias contains a control character")
        .contains("invalid line 4: 'bad' is not a valid email address")
        .contains("invalid line 6: unknown tier 'gold'")
        .contains("3 of 3 rows are invalid");
  }

  @Test
  void aBadHeaderSaysSoAndCountsTheRowsItHides() throws IOException {
    cli.write("hdr.csv", "mail,tier\na@example.com,coding\nb@example.com,coding\n");

    var r = fails(ExitCode.VALIDATION, "users", "onboard", "--csv", "hdr.csv", "--out", "k.csv");

    assertThat(r.err())
        .contains("invalid line 1: header must name the columns")
        .doesNotContain("1 of 0 rows")
        .contains("the header (line 1) is invalid, so none of the 2 data rows were read");
  }

  @Test
  void progressShowsRowsRateAndAnEta() throws IOException {
    cli.write("users_to_onboard.csv", SEED_CSV);

    var r = ok("users", "onboard", "--csv", "users_to_onboard.csv", "--out", "k.csv", "--progress");

    assertThat(r.err()).containsPattern("3/3 100% +\\d+ rows/s, ETA \\d+:\\d\\d");
    assertThat(r.out()).doesNotContain("ETA"); // progress is for stderr only
  }
}

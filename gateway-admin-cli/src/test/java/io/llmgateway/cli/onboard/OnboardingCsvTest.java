package io.llmgateway.cli.onboard;

import static org.assertj.core.api.Assertions.assertThat;

import io.llmgateway.core.money.Money;
import java.io.IOException;
import java.io.StringReader;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import org.junit.jupiter.api.Test;

class OnboardingCsvTest {
  private static final Set<String> TIERS = Set.of("drafting", "coding", "architect");

  static final String SEED_SAMPLE =
      """
      email,tier,alias,budget,rpm
      user1@example.com,drafting,User One,,
      user2@example.com,coding,User Two,,
      user3@example.com,architect,User Three,,
      """;

  private static OnboardingFile read(String csv) throws IOException {
    return OnboardingCsv.read(new StringReader(csv), TIERS);
  }

  @Test
  void readsTheSeedSampleAsThreeValidUsersWithTierDefaults() throws IOException {
    OnboardingFile f = read(SEED_SAMPLE);

    assertThat(f.isValid()).isTrue();
    assertThat(f.dataRows()).isEqualTo(3);
    assertThat(f.valid())
        .containsExactly(
            new OnboardingRow(
                2,
                "user1@example.com",
                "drafting",
                Optional.of("User One"),
                Optional.empty(),
                OptionalLong.empty()),
            new OnboardingRow(
                3,
                "user2@example.com",
                "coding",
                Optional.of("User Two"),
                Optional.empty(),
                OptionalLong.empty()),
            new OnboardingRow(
                4,
                "user3@example.com",
                "architect",
                Optional.of("User Three"),
                Optional.empty(),
                OptionalLong.empty()));
  }

  @Test
  void readsBudgetAndRpmOverridesExactly() throws IOException {
    OnboardingFile f =
        read(
            "email,tier,alias,budget,rpm\nann@example.com,coding,Ann,0.05,20\nbob@example.com,Drafting,,$0.1,\n");

    assertThat(f.problems()).isEmpty();
    assertThat(f.valid().get(0).dailyBudget()).contains(Money.ofUsd("0.05"));
    assertThat(f.valid().get(0).rpm()).isEqualTo(OptionalLong.of(20));
    assertThat(f.valid().get(1).tier()).isEqualTo("drafting");
    assertThat(f.valid().get(1).alias()).isEmpty();
    assertThat(f.valid().get(1).dailyBudget()).contains(Money.ofUsd("0.1"));
  }

  @Test
  void reportsEveryBadRowWithItsLineNumber() throws IOException {
    String csv =
        """
        email,tier,alias,budget,rpm
        good@example.com,drafting,Good,,
        not-an-email,drafting,Bad Email,,
        ann@example.com,platinum,Unknown Tier,,
        neg@example.com,coding,Negative,-1,
        nan@example.com,coding,Not A Number,lots,
        good@example.com,coding,Duplicate,,
        rpm@example.com,coding,Bad Rpm,,fast
        zero@example.com,coding,Zero Rpm,,0
        many@example.com,coding,Too,Many,Fields,here
        ,coding,No Email,,
        tierless@example.com,,No Tier,,
        fine@example.com,architect,"Quoted, with comma",0.2,5
        """;

    OnboardingFile f = read(csv);

    assertThat(f.problems())
        .extracting(RowProblem::toString)
        .containsExactly(
            "line 3: 'not-an-email' is not a valid email address",
            "line 4: unknown tier 'platinum' (known: architect, coding, drafting)",
            "line 5: budget -1 is negative: give a daily budget in USD, e.g. 0.05, or leave it empty",
            "line 6: budget 'lots' is not a number: give a daily budget in USD, e.g. 0.05, or leave it empty",
            "line 7: duplicate email good@example.com (first on line 2)",
            "line 8: rpm 'fast' is not a whole number of requests per minute",
            "line 9: rpm 0 must be between 1 and 1000000000 requests per minute",
            "line 10: 6 fields but the header has 5 (quote values that contain commas)",
            "line 11: email is missing",
            "line 12: tier is missing (one of architect, coding, drafting)");
    assertThat(f.valid())
        .extracting(OnboardingRow::email)
        .containsExactly("good@example.com", "fine@example.com");
    assertThat(f.invalidLines()).isEqualTo(10);
    assertThat(f.dataRows()).isEqualTo(12);
  }

  @Test
  void reportsSeveralProblemsOfOneLine() throws IOException {
    OnboardingFile f = read("email,tier,alias,budget,rpm\nbad,gold,X,-3,-4\n");

    assertThat(f.problems()).hasSize(4).allMatch(p -> p.line() == 2);
    assertThat(f.invalidLines()).isEqualTo(1);
  }

  @Test
  void reportsADuplicateEvenWhenTheFirstOccurrenceIsInvalid() throws IOException {
    OnboardingFile f = read("email,tier\nann@example.com,gold\nann@example.com,coding\n");

    assertThat(f.problems())
        .extracting(RowProblem::toString)
        .containsExactly(
            "line 2: unknown tier 'gold' (known: architect, coding, drafting)",
            "line 3: duplicate email ann@example.com (first on line 2)");
    assertThat(f.valid()).isEmpty();
  }

  @Test
  void treatsDuplicateEmailsCaseInsensitively() throws IOException {
    OnboardingFile f = read("email,tier\nAnn@Example.com,coding\nann@example.COM,coding\n");

    assertThat(f.valid()).extracting(OnboardingRow::email).containsExactly("ann@example.com");
    assertThat(f.problems())
        .extracting(RowProblem::toString)
        .containsExactly("line 3: duplicate email ann@example.com (first on line 2)");
  }

  @Test
  void countsLinesOfQuotedMultiLineFieldsAndSkipsBlankLines() throws IOException {
    OnboardingFile f =
        read("email,tier,alias\n\na@example.com,coding,\"Two\nLines\"\nnope,coding,x\n");

    assertThat(f.problems())
        .extracting(RowProblem::toString)
        .containsExactly(
            "line 3: alias contains a control character",
            "line 5: 'nope' is not a valid email address");
  }

  @Test
  void acceptsColumnsInAnyOrderAndAByteOrderMark() throws IOException {
    OnboardingFile f = read("\uFEFFtier,Email\ncoding,a@example.com\n");

    assertThat(f.problems()).isEmpty();
    assertThat(f.valid()).extracting(OnboardingRow::email).containsExactly("a@example.com");
  }

  @Test
  void rejectsAHeaderWithoutRequiredOrWithUnknownColumns() throws IOException {
    OnboardingFile missing = read("mail,tier\na@example.com,coding\n");
    OnboardingFile typo = read("email,tier,budgett\na@example.com,coding,1\n");

    assertThat(missing.problems())
        .singleElement()
        .satisfies(
            p -> {
              assertThat(p.line()).isEqualTo(1);
              assertThat(p.message())
                  .contains("missing email")
                  .contains("unknown or repeated mail");
            });
    assertThat(typo.problems())
        .singleElement()
        .satisfies(p -> assertThat(p.message()).contains("budgett"));
    assertThat(missing.valid()).isEmpty();
  }

  @Test
  void reportsAnEmptyFileAndAnUnclosedQuote() throws IOException {
    assertThat(read("").problems()).extracting(RowProblem::line).containsExactly(1);
    OnboardingFile broken = read("email,tier\na@example.com,coding\n\"b@example.com,coding\n");
    assertThat(broken.problems())
        .singleElement()
        .satisfies(p -> assertThat(p.message()).startsWith("malformed CSV"));
  }

  @Test
  void saysToSyncTeamsFirstWhenNoTierIsKnown() throws IOException {
    OnboardingFile f =
        OnboardingCsv.read(new StringReader("email,tier\na@example.com,coding\n"), Set.of());

    assertThat(f.problems())
        .singleElement()
        .satisfies(p -> assertThat(p.message()).contains("run 'gateway-admin teams sync' first"));
  }
}

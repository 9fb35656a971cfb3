package io.llmgateway.core.budget;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;

class BudgetWindowTest {
  private static final ZoneId NEW_YORK = ZoneId.of("America/New_York");
  private static final ZoneId KOLKATA = ZoneId.of("Asia/Kolkata");

  private static Instant at(String iso) {
    return Instant.parse(iso);
  }

  @Test
  void aUtcDayRunsFromMidnightToMidnight() {
    WindowPeriod p = BudgetWindow.DAILY.periodAt(at("2026-11-27T10:15:00Z"), ZoneOffset.UTC);

    assertThat(p.key()).isEqualTo("2026-11-27");
    assertThat(p.start()).isEqualTo(at("2026-11-27T00:00:00Z"));
    assertThat(p.end()).isEqualTo(at("2026-11-28T00:00:00Z"));
  }

  @Test
  void theLastNanosecondOfADayBelongsToIt() {
    Instant last = at("2026-11-27T23:59:59.999999999Z");

    assertThat(BudgetWindow.DAILY.periodAt(last, ZoneOffset.UTC).key()).isEqualTo("2026-11-27");
    assertThat(BudgetWindow.DAILY.periodAt(last.plusNanos(1), ZoneOffset.UTC).key())
        .isEqualTo("2026-11-28");
  }

  @Test
  void theDayIsTheCalendarDayInTheConfiguredZone() {
    // 02:00 UTC is 21:00 the evening before in New York (EST, UTC-5).
    WindowPeriod ny = BudgetWindow.DAILY.periodAt(at("2026-11-27T02:00:00Z"), NEW_YORK);

    assertThat(ny.key()).isEqualTo("2026-11-26");
    assertThat(ny.start()).isEqualTo(at("2026-11-26T05:00:00Z"));
    assertThat(ny.end()).isEqualTo(at("2026-11-27T05:00:00Z"));
  }

  @Test
  void aHalfHourOffsetZoneStartsItsDayAtTheHalfHour() {
    // 20:00 UTC is 01:30 the next day in India (UTC+5:30).
    WindowPeriod in = BudgetWindow.DAILY.periodAt(at("2026-11-26T20:00:00Z"), KOLKATA);

    assertThat(in.key()).isEqualTo("2026-11-27");
    assertThat(in.start()).isEqualTo(at("2026-11-26T18:30:00Z"));
  }

  @Test
  void aMonthEndsAtTheFirstOfTheNextMonth() {
    WindowPeriod jan = BudgetWindow.MONTHLY.periodAt(at("2027-01-31T23:30:00Z"), ZoneOffset.UTC);

    assertThat(jan.key()).isEqualTo("2027-01");
    assertThat(jan.start()).isEqualTo(at("2027-01-01T00:00:00Z"));
    assertThat(jan.end()).isEqualTo(at("2027-02-01T00:00:00Z"));
  }

  @Test
  void decemberRollsOverIntoTheNextYear() {
    WindowPeriod dec = BudgetWindow.MONTHLY.periodAt(at("2026-12-31T23:59:59Z"), ZoneOffset.UTC);

    assertThat(dec.key()).isEqualTo("2026-12");
    assertThat(dec.end()).isEqualTo(at("2027-01-01T00:00:00Z"));
  }

  @Test
  void theLeapDayIsItsOwnDayAndFebruary2028Has29Days() {
    WindowPeriod leap = BudgetWindow.DAILY.periodAt(at("2028-02-29T12:00:00Z"), ZoneOffset.UTC);
    WindowPeriod feb = BudgetWindow.MONTHLY.periodAt(at("2028-02-29T12:00:00Z"), ZoneOffset.UTC);

    assertThat(leap.key()).isEqualTo("2028-02-29");
    assertThat(leap.end()).isEqualTo(at("2028-03-01T00:00:00Z"));
    assertThat(feb.key()).isEqualTo("2028-02");
    assertThat(Duration.between(feb.start(), feb.end())).isEqualTo(Duration.ofDays(29));
    assertThat(BudgetWindow.MONTHLY.periodAt(at("2027-02-15T00:00:00Z"), ZoneOffset.UTC))
        .satisfies(
            p -> assertThat(Duration.between(p.start(), p.end())).isEqualTo(Duration.ofDays(28)));
  }

  @Test
  void theSpringForwardDayInNewYorkIs23HoursLong() {
    WindowPeriod p = BudgetWindow.DAILY.periodAt(at("2026-03-08T12:00:00Z"), NEW_YORK);

    assertThat(p.key()).isEqualTo("2026-03-08");
    assertThat(p.start()).isEqualTo(at("2026-03-08T05:00:00Z"));
    assertThat(p.end()).isEqualTo(at("2026-03-09T04:00:00Z"));
    assertThat(Duration.between(p.start(), p.end())).isEqualTo(Duration.ofHours(23));
  }

  @Test
  void theFallBackDayInNewYorkIs25HoursLong() {
    WindowPeriod p = BudgetWindow.DAILY.periodAt(at("2026-11-01T12:00:00Z"), NEW_YORK);

    assertThat(p.key()).isEqualTo("2026-11-01");
    assertThat(p.start()).isEqualTo(at("2026-11-01T04:00:00Z"));
    assertThat(p.end()).isEqualTo(at("2026-11-02T05:00:00Z"));
    assertThat(Duration.between(p.start(), p.end())).isEqualTo(Duration.ofHours(25));
  }

  @Test
  void aMonthSpanningADstChangeIsAnHourShort() {
    WindowPeriod march = BudgetWindow.MONTHLY.periodAt(at("2026-03-15T12:00:00Z"), NEW_YORK);

    assertThat(march.start()).isEqualTo(at("2026-03-01T05:00:00Z"));
    assertThat(march.end()).isEqualTo(at("2026-04-01T04:00:00Z"));
    assertThat(Duration.between(march.start(), march.end()))
        .isEqualTo(Duration.ofDays(31).minusHours(1));
  }

  @Test
  void parsesLabelsAndLiteLlmDurations() {
    assertThat(BudgetWindow.parse("daily")).isEqualTo(BudgetWindow.DAILY);
    assertThat(BudgetWindow.parse("1d")).isEqualTo(BudgetWindow.DAILY);
    assertThat(BudgetWindow.parse(" 24h ")).isEqualTo(BudgetWindow.DAILY);
    assertThat(BudgetWindow.parse("1mo")).isEqualTo(BudgetWindow.MONTHLY);
    assertThat(BudgetWindow.parse("30d")).isEqualTo(BudgetWindow.MONTHLY);
    assertThat(BudgetWindow.parse("MONTHLY")).isEqualTo(BudgetWindow.MONTHLY);
  }

  @Test
  void refusesWindowsThatAreNotADayOrAMonth() {
    assertThatThrownBy(() -> BudgetWindow.parse("7d")).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> BudgetWindow.parse("1h")).isInstanceOf(IllegalArgumentException.class);
  }

  @Property
  void everyInstantLiesInItsPeriodAndPeriodsTileTime(
      @ForAll("instants") Instant instant,
      @ForAll("zones") ZoneId zone,
      @ForAll BudgetWindow window) {
    WindowPeriod p = window.periodAt(instant, zone);

    assertThat(p.start()).isBeforeOrEqualTo(instant);
    assertThat(p.end()).isAfter(instant);
    assertThat(window.periodAt(p.start(), zone)).isEqualTo(p);
    assertThat(window.periodAt(p.end().minusNanos(1), zone)).isEqualTo(p);
    WindowPeriod next = window.periodAt(p.end(), zone);
    assertThat(next.start()).isEqualTo(p.end());
    assertThat(next.key()).isGreaterThan(p.key());
  }

  @Provide
  Arbitrary<Instant> instants() {
    long from = at("2024-01-01T00:00:00Z").getEpochSecond();
    long to = at("2030-12-31T00:00:00Z").getEpochSecond();
    return Arbitraries.longs().between(from, to).map(Instant::ofEpochSecond);
  }

  @Provide
  Arbitrary<ZoneId> zones() {
    return Arbitraries.of(
            "UTC",
            "America/New_York",
            "Europe/London",
            "Asia/Kolkata",
            "Australia/Lord_Howe",
            "Pacific/Kiritimati",
            "America/St_Johns")
        .map(ZoneId::of);
  }
}

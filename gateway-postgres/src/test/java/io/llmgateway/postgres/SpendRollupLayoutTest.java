package io.llmgateway.postgres;

import static org.assertj.core.api.Assertions.assertThat;

import io.llmgateway.postgres.SpendRollupSql.Segment;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/**
 * Which rows a report reads from spend_log (SpendRollupSql): a partial day costs at most half a day
 * of rows. Before, the covered part was always read, so "today until now" (the UI's lists, the
 * budget gauges) read all of today's rows, and the last 30 days to now nearly two days' worth;
 * SpendRollupPropertyTest checks that either way sums to the committed rows.
 */
class SpendRollupLayoutTest {
  private static Instant at(String iso) {
    return Instant.parse(iso);
  }

  @Test
  void todayUntilNowIsTodaysRollupLessTheRowsAfterNow() {
    var l = SpendRollupSql.layout(at("2026-09-30T00:00:00Z"), at("2026-09-30T14:00:01Z"));
    assertThat(l.segments())
        .containsExactly(new Segment(-1, at("2026-09-30T14:00:01Z"), at("2026-10-01T00:00:00Z")));
  }

  @Test
  void aMonthToNowReadsOnlyTheRowsAfterNow() {
    var l = SpendRollupSql.layout(at("2026-09-01T00:00:00Z"), at("2026-09-30T20:00:00Z"));
    assertThat(l.segments())
        .containsExactly(new Segment(-1, at("2026-09-30T20:00:00Z"), at("2026-10-01T00:00:00Z")));
  }

  @Test
  void eachPartialDayReadsItsSmallerSide() {
    // 21:00 on the first day: the 3 h inside are read; 03:00 on the last: the 3 h inside too.
    var l = SpendRollupSql.layout(at("2026-09-01T21:00:00Z"), at("2026-09-30T03:00:00Z"));
    assertThat(l.segments())
        .containsExactly(
            new Segment(1, at("2026-09-01T21:00:00Z"), at("2026-09-02T00:00:00Z")),
            new Segment(1, at("2026-09-30T00:00:00Z"), at("2026-09-30T03:00:00Z")));
    // 03:00 on the first day: the day less its first 3 h.
    var m = SpendRollupSql.layout(at("2026-09-01T03:00:00Z"), at("2026-09-03T00:00:00Z"));
    assertThat(m.segments())
        .containsExactly(new Segment(-1, at("2026-09-01T00:00:00Z"), at("2026-09-01T03:00:00Z")));
  }

  @Test
  void aFewHoursInsideOneDayAreReadAsTheyAre() {
    var l = SpendRollupSql.layout(at("2026-09-10T09:00:00Z"), at("2026-09-10T14:00:00Z"));
    assertThat(l.segments())
        .containsExactly(new Segment(1, at("2026-09-10T09:00:00Z"), at("2026-09-10T14:00:00Z")));
    var m = SpendRollupSql.layout(at("2026-09-10T02:00:00Z"), at("2026-09-10T23:00:00Z"));
    assertThat(m.segments())
        .containsExactly(
            new Segment(-1, at("2026-09-10T00:00:00Z"), at("2026-09-10T02:00:00Z")),
            new Segment(-1, at("2026-09-10T23:00:00Z"), at("2026-09-11T00:00:00Z")));
  }
}

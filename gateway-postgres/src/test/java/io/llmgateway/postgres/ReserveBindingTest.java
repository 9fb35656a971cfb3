package io.llmgateway.postgres;

import static org.assertj.core.api.Assertions.assertThat;

import io.llmgateway.core.money.Money;
import io.llmgateway.core.spend.SpendRecord;
import io.llmgateway.core.spend.SpendStatus;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * How the single reserve binds its values without the driver's slow paths (session 13): the
 * timestamps as text store what the driver's setTimestamp stored, and the pending record streamed
 * is the text the map and the ObjectMapper wrote.
 */
class ReserveBindingTest extends PostgresTestBase {

  /** Sub-microsecond parts at and around the rounding boundaries, and a second's wrap. */
  private static final List<Instant> INSTANTS =
      List.of(
          Instant.parse("2026-11-27T10:15:30Z"),
          Instant.parse("2026-11-27T10:15:30.000000499Z"),
          Instant.parse("2026-11-27T10:15:30.000000500Z"),
          Instant.parse("2026-11-27T10:15:30.000001500Z"),
          Instant.parse("2026-11-27T10:15:30.000002500Z"),
          Instant.parse("2026-11-27T10:15:30.123456789Z"),
          Instant.parse("2026-11-27T10:15:30.999999499Z"),
          Instant.parse("2026-11-27T10:15:30.999999500Z"),
          Instant.parse("2026-12-31T23:59:59.999999999Z"));

  @Test
  void timestampsAsTextStoreWhatSetTimestampStored() throws SQLException {
    try (Connection c = adapters.dataSource().getConnection();
        PreparedStatement ps =
            c.prepareStatement(
                "SELECT CAST(? AS timestamptz) = CAST(? AS timestamptz),"
                    + " CAST(? AS timestamptz)::text, CAST(? AS timestamptz)::text")) {
      for (Instant t : INSTANTS) {
        ps.setTimestamp(1, Timestamp.from(t));
        ps.setString(2, PostgresBudgetLedger.timestamptz(t));
        ps.setTimestamp(3, Timestamp.from(t));
        ps.setString(4, PostgresBudgetLedger.timestamptz(t));
        try (ResultSet rs = ps.executeQuery()) {
          rs.next();
          assertThat(rs.getBoolean(1))
              .as("%s: setTimestamp %s, as text %s", t, rs.getString(2), rs.getString(3))
              .isTrue();
        }
      }
    }
  }

  @Test
  void pendingStreamedIsTheMapsText() {
    for (SpendRecord p :
        List.of(
            pending("req-1", Optional.of("user_1"), Optional.of("team_1"), Optional.of("dep")),
            pending("req-2", Optional.empty(), Optional.empty(), Optional.empty()),
            pending(
                "quote \" backslash \\ newline \n tab \t nul-free \u0001 é 漢 😀",
                Optional.of("u\"</script>"),
                Optional.empty(),
                Optional.of("d\u2028")))) {
      assertThat(SpendRows.pendingJson(p)).isEqualTo(Json.write(SpendRows.pending(p)));
    }
  }

  private static SpendRecord pending(
      String requestId, Optional<String> user, Optional<String> team, Optional<String> deployment) {
    Instant at = Instant.parse("2026-11-27T10:15:30.123456789Z");
    return new SpendRecord(
        requestId,
        "key_1",
        user,
        team,
        "model-cheap",
        deployment,
        Optional.empty(),
        Money.ZERO,
        SpendStatus.PENDING,
        Optional.empty(),
        0,
        at,
        at);
  }
}

package io.llmgateway.postgres;

import io.llmgateway.postgres.PostgresAlerts.Alert;
import io.llmgateway.postgres.PostgresAlerts.Thresholds;
import java.sql.Array;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.jdbi.v3.core.statement.Query;

/**
 * The rows of {@link PostgresAlerts} read back: an {@code alert_outbox} row, an {@code
 * alert_thresholds} row. Stateless.
 */
final class AlertRows {
  private AlertRows() {}

  static List<Alert> list(Query q) {
    return q.map((rs, ctx) -> alert(rs)).list();
  }

  private static Alert alert(ResultSet rs) throws SQLException {
    Timestamp finished = rs.getTimestamp("finished_at");
    return new Alert(
        rs.getLong("id"),
        rs.getString("scope_kind"),
        rs.getString("scope_id"),
        rs.getString("time_window"),
        rs.getString("period"),
        rs.getString("threshold_kind"),
        rs.getLong("threshold_value"),
        rs.getLong("committed_nanos"),
        rs.getLong("limit_nanos"),
        rs.getTimestamp("resets_at").toInstant(),
        rs.getTimestamp("crossed_at").toInstant(),
        rs.getString("state"),
        rs.getInt("attempts"),
        texts(rs.getArray("delivered_channels")),
        Optional.ofNullable(rs.getString("last_error")),
        Optional.ofNullable(finished).map(Timestamp::toInstant));
  }

  static Thresholds thresholds(ResultSet rs) throws SQLException {
    Array f = rs.getArray("fractions_bp");
    Optional<List<Integer>> fractions =
        f == null ? Optional.empty() : Optional.of(Arrays.asList((Integer[]) f.getArray()));
    return new Thresholds(
        rs.getString("scope_kind"),
        rs.getString("scope_id"),
        fractions,
        optionalLong(rs, "soft_daily_nanos"),
        optionalLong(rs, "soft_monthly_nanos"));
  }

  private static Optional<Long> optionalLong(ResultSet rs, String column) throws SQLException {
    long v = rs.getLong(column);
    return rs.wasNull() ? Optional.empty() : Optional.of(v);
  }

  private static List<String> texts(Array a) throws SQLException {
    return a == null ? List.of() : new ArrayList<>(Arrays.asList((String[]) a.getArray()));
  }
}

package io.llmgateway.core.spend;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * Spend over time: records that ended in {@code [from, to)}, narrowed by key, user, team and model,
 * counted per time bucket (an hour or a calendar day of the budget time zone) and, when {@code by}
 * is given, per team, user, key or model inside each bucket. Immutable and thread-safe.
 */
public record SpendSeriesQuery(
    Optional<String> keyId,
    Optional<String> userId,
    Optional<String> teamId,
    Optional<String> model,
    Instant from,
    Instant to,
    Bucket bucket,
    Optional<SpendGroup> by) {

  /** How long one bucket is: an hour or a calendar day, both on the local clock of the zone. */
  public enum Bucket {
    HOUR,
    DAY
  }

  public SpendSeriesQuery {
    Objects.requireNonNull(keyId, "keyId");
    Objects.requireNonNull(userId, "userId");
    Objects.requireNonNull(teamId, "teamId");
    Objects.requireNonNull(model, "model");
    Objects.requireNonNull(from, "from");
    Objects.requireNonNull(to, "to");
    Objects.requireNonNull(bucket, "bucket");
    Objects.requireNonNull(by, "by");
    if (!from.isBefore(to)) {
      throw new IllegalArgumentException("from must be before to");
    }
    if (by.equals(Optional.of(SpendGroup.DAY))) {
      throw new IllegalArgumentException(
          "the time is the bucket; group by team, user, key or model");
    }
  }

  /** Every record in {@code [from, to)}, per bucket, not grouped. */
  public static SpendSeriesQuery all(Instant from, Instant to, Bucket bucket) {
    return new SpendSeriesQuery(
        Optional.empty(),
        Optional.empty(),
        Optional.empty(),
        Optional.empty(),
        from,
        to,
        bucket,
        Optional.empty());
  }

  public SpendSeriesQuery withKey(Optional<String> value) {
    return new SpendSeriesQuery(value, userId, teamId, model, from, to, bucket, by);
  }

  public SpendSeriesQuery withUser(Optional<String> value) {
    return new SpendSeriesQuery(keyId, value, teamId, model, from, to, bucket, by);
  }

  public SpendSeriesQuery withTeam(Optional<String> value) {
    return new SpendSeriesQuery(keyId, userId, value, model, from, to, bucket, by);
  }

  public SpendSeriesQuery withModel(Optional<String> value) {
    return new SpendSeriesQuery(keyId, userId, teamId, value, from, to, bucket, by);
  }

  public SpendSeriesQuery by(SpendGroup value) {
    return new SpendSeriesQuery(keyId, userId, teamId, model, from, to, bucket, Optional.of(value));
  }
}

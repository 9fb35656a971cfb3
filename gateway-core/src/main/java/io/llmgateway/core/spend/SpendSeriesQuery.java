package io.llmgateway.core.spend;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * Spend over time: records that ended in {@code [from, to)}, narrowed by key, user, team and model,
 * counted per time bucket (an hour or a calendar day of the budget time zone) and, when {@code by}
 * is given, per team, user, key or model inside each bucket. Build one with {@link
 * #builder(Instant, Instant, Bucket)} (named setters, so two filters of the same type cannot be
 * swapped). Immutable and thread-safe.
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
    return builder(from, to, bucket).build();
  }

  /**
   * A query for the records that ended in {@code [from, to)}, per {@code bucket}, with no filter
   * and not grouped; each setter narrows or groups it.
   */
  public static Builder builder(Instant from, Instant to, Bucket bucket) {
    return new Builder(from, to, bucket);
  }

  /** A builder holding this query's range, bucket, filters and grouping, to build a copy. */
  public Builder toBuilder() {
    return builder(from, to, bucket).keyId(keyId).userId(userId).teamId(teamId).model(model).by(by);
  }

  /**
   * Builds a {@link SpendSeriesQuery}; unset filters are empty (no filter), unset {@code by} means
   * one total per bucket. The {@code Optional} setters are for callers that pass a filter through
   * (HTTP parameters, an admin's scope). Not thread-safe.
   */
  public static final class Builder {
    private final Instant from;
    private final Instant to;
    private final Bucket bucket;
    private Optional<String> keyId = Optional.empty();
    private Optional<String> userId = Optional.empty();
    private Optional<String> teamId = Optional.empty();
    private Optional<String> model = Optional.empty();
    private Optional<SpendGroup> by = Optional.empty();

    private Builder(Instant from, Instant to, Bucket bucket) {
      this.from = Objects.requireNonNull(from, "from");
      this.to = Objects.requireNonNull(to, "to");
      this.bucket = Objects.requireNonNull(bucket, "bucket");
    }

    public Builder keyId(String v) {
      return keyId(Optional.of(v));
    }

    public Builder keyId(Optional<String> v) {
      keyId = Objects.requireNonNull(v, "keyId");
      return this;
    }

    public Builder userId(String v) {
      return userId(Optional.of(v));
    }

    public Builder userId(Optional<String> v) {
      userId = Objects.requireNonNull(v, "userId");
      return this;
    }

    public Builder teamId(String v) {
      return teamId(Optional.of(v));
    }

    public Builder teamId(Optional<String> v) {
      teamId = Objects.requireNonNull(v, "teamId");
      return this;
    }

    public Builder model(String v) {
      return model(Optional.of(v));
    }

    public Builder model(Optional<String> v) {
      model = Objects.requireNonNull(v, "model");
      return this;
    }

    /**
     * Spend inside each bucket per team, user, key or model ({@link SpendGroup#DAY} is refused).
     */
    public Builder by(SpendGroup v) {
      return by(Optional.of(v));
    }

    public Builder by(Optional<SpendGroup> v) {
      by = Objects.requireNonNull(v, "by");
      return this;
    }

    /**
     * The query; {@link IllegalArgumentException} if {@code from} is not before {@code to} or the
     * grouping is {@link SpendGroup#DAY}.
     */
    public SpendSeriesQuery build() {
      return new SpendSeriesQuery(keyId, userId, teamId, model, from, to, bucket, by);
    }
  }
}

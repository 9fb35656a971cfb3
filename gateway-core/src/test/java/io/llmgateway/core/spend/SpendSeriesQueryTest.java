package io.llmgateway.core.spend;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.llmgateway.core.spend.SpendSeriesQuery.Bucket;
import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class SpendSeriesQueryTest {
  private static final Instant FROM = Instant.parse("2026-12-01T00:00:00Z");
  private static final Instant TO = Instant.parse("2026-12-08T00:00:00Z");

  private static SpendSeriesQuery everyField() {
    return SpendSeriesQuery.builder(FROM, TO, Bucket.DAY)
        .keyId("key-1")
        .userId("user-2")
        .teamId("team-3")
        .model("model-4")
        .by(SpendGroup.KEY)
        .build();
  }

  @Test
  void eachSetterFillsTheFieldOfItsOwnName() {
    SpendSeriesQuery q = everyField();

    assertThat(q.keyId()).contains("key-1");
    assertThat(q.userId()).contains("user-2");
    assertThat(q.teamId()).contains("team-3");
    assertThat(q.model()).contains("model-4");
    assertThat(q.by()).contains(SpendGroup.KEY);
    assertThat(q.from()).isEqualTo(FROM);
    assertThat(q.to()).isEqualTo(TO);
    assertThat(q.bucket()).isEqualTo(Bucket.DAY);
  }

  @Test
  void optionalSettersPassTheFilterThrough() {
    SpendSeriesQuery q =
        SpendSeriesQuery.builder(FROM, TO, Bucket.DAY)
            .keyId(Optional.of("key-1"))
            .userId(Optional.of("user-2"))
            .teamId(Optional.of("team-3"))
            .model(Optional.of("model-4"))
            .by(Optional.of(SpendGroup.KEY))
            .build();

    assertThat(q).isEqualTo(everyField());
    assertThat(SpendSeriesQuery.builder(FROM, TO, Bucket.HOUR).teamId(Optional.empty()).build())
        .isEqualTo(SpendSeriesQuery.all(FROM, TO, Bucket.HOUR));
  }

  @Test
  void unsetFiltersAreEmptyAndNothingIsGrouped() {
    SpendSeriesQuery q = SpendSeriesQuery.builder(FROM, TO, Bucket.HOUR).build();

    assertThat(q.keyId()).isEmpty();
    assertThat(q.userId()).isEmpty();
    assertThat(q.teamId()).isEmpty();
    assertThat(q.model()).isEmpty();
    assertThat(q.by()).isEmpty();
    assertThat(q.from()).isEqualTo(FROM);
    assertThat(q.to()).isEqualTo(TO);
    assertThat(q.bucket()).isEqualTo(Bucket.HOUR);
    assertThat(q).isEqualTo(SpendSeriesQuery.all(FROM, TO, Bucket.HOUR));
  }

  @Test
  void theRangeAndBucketAreRequired() {
    assertThatThrownBy(() -> SpendSeriesQuery.builder(null, TO, Bucket.DAY))
        .isInstanceOf(NullPointerException.class);
    assertThatThrownBy(() -> SpendSeriesQuery.builder(FROM, null, Bucket.DAY))
        .isInstanceOf(NullPointerException.class);
    assertThatThrownBy(() -> SpendSeriesQuery.builder(FROM, TO, null))
        .isInstanceOf(NullPointerException.class);
    assertThatThrownBy(() -> SpendSeriesQuery.builder(FROM, TO, Bucket.DAY).by((SpendGroup) null))
        .isInstanceOf(NullPointerException.class);
  }

  @Test
  void toBuilderCopiesEveryFieldAndChangesOnlyWhatIsSet() {
    SpendSeriesQuery q = everyField();

    assertThat(q.toBuilder().build()).isEqualTo(q);
    SpendSeriesQuery other = q.toBuilder().teamId("team-9").by(SpendGroup.MODEL).build();
    assertThat(other.teamId()).contains("team-9");
    assertThat(other.by()).contains(SpendGroup.MODEL);
    assertThat(other.toBuilder().teamId(q.teamId()).by(q.by()).build()).isEqualTo(q);
    SpendSeriesQuery ungrouped = SpendSeriesQuery.all(FROM, TO, Bucket.HOUR);
    assertThat(ungrouped.toBuilder().build()).isEqualTo(ungrouped);
  }

  @Test
  void fromMustBeBeforeTo() {
    assertThatThrownBy(() -> SpendSeriesQuery.builder(TO, FROM, Bucket.DAY).build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("from must be before to");
    assertThatThrownBy(() -> SpendSeriesQuery.builder(FROM, FROM, Bucket.HOUR).build())
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> SpendSeriesQuery.all(FROM, FROM, Bucket.HOUR))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void theTimeIsTheBucketSoItIsNotAGroup() {
    assertThatThrownBy(
            () -> SpendSeriesQuery.builder(FROM, TO, Bucket.DAY).by(SpendGroup.DAY).build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("the time is the bucket");
    assertThatThrownBy(() -> everyField().toBuilder().by(SpendGroup.DAY).build())
        .isInstanceOf(IllegalArgumentException.class);
  }
}

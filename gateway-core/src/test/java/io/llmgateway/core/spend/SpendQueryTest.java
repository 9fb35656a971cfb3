package io.llmgateway.core.spend;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.llmgateway.core.PageRequest;
import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class SpendQueryTest {
  private static final PageRequest PAGE = new PageRequest(3, 25);
  private static final Instant FROM = Instant.parse("2026-12-01T00:00:00Z");
  private static final Instant TO = Instant.parse("2026-12-02T00:00:00Z");

  private static SpendQuery everyField() {
    return SpendQuery.builder(PAGE)
        .keyId("key-1")
        .userId("user-2")
        .teamId("team-3")
        .model("model-4")
        .requestId("request-5")
        .from(FROM)
        .to(TO)
        .build();
  }

  @Test
  void eachSetterFillsTheFieldOfItsOwnName() {
    SpendQuery q = everyField();

    assertThat(q.keyId()).contains("key-1");
    assertThat(q.userId()).contains("user-2");
    assertThat(q.teamId()).contains("team-3");
    assertThat(q.model()).contains("model-4");
    assertThat(q.requestId()).contains("request-5");
    assertThat(q.from()).contains(FROM);
    assertThat(q.to()).contains(TO);
    assertThat(q.page()).isEqualTo(PAGE);
  }

  @Test
  void optionalSettersPassTheFilterThrough() {
    SpendQuery q =
        SpendQuery.builder(PAGE)
            .keyId(Optional.of("key-1"))
            .userId(Optional.of("user-2"))
            .teamId(Optional.of("team-3"))
            .model(Optional.of("model-4"))
            .requestId(Optional.of("request-5"))
            .from(Optional.of(FROM))
            .to(Optional.of(TO))
            .build();

    assertThat(q).isEqualTo(everyField());
    assertThat(SpendQuery.builder(PAGE).keyId(Optional.empty()).build())
        .isEqualTo(SpendQuery.all(PAGE));
  }

  @Test
  void unsetFiltersAreEmpty() {
    SpendQuery q = SpendQuery.builder(PAGE).build();

    assertThat(q.keyId()).isEmpty();
    assertThat(q.userId()).isEmpty();
    assertThat(q.teamId()).isEmpty();
    assertThat(q.model()).isEmpty();
    assertThat(q.requestId()).isEmpty();
    assertThat(q.from()).isEmpty();
    assertThat(q.to()).isEmpty();
    assertThat(q.page()).isEqualTo(PAGE);
    assertThat(q).isEqualTo(SpendQuery.all(PAGE));
  }

  @Test
  void thePageIsRequired() {
    assertThatThrownBy(() -> SpendQuery.builder(null)).isInstanceOf(NullPointerException.class);
    assertThatThrownBy(() -> SpendQuery.builder(PAGE).page(null))
        .isInstanceOf(NullPointerException.class);
  }

  @Test
  void toBuilderCopiesEveryFieldAndChangesOnlyWhatIsSet() {
    SpendQuery q = everyField();
    PageRequest next = new PageRequest(4, 25);

    assertThat(q.toBuilder().build()).isEqualTo(q);
    SpendQuery other = q.toBuilder().teamId("team-9").page(next).build();
    assertThat(other.teamId()).contains("team-9");
    assertThat(other.page()).isEqualTo(next);
    assertThat(other.toBuilder().teamId(q.teamId()).page(PAGE).build()).isEqualTo(q);
  }
}

package io.llmgateway.core.identity;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.llmgateway.core.PageRequest;
import io.llmgateway.core.Sort;
import io.llmgateway.core.error.InvalidRequestException;
import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class KeyQueryTest {
  private static final PageRequest PAGE = new PageRequest(3, 25);
  private static final Instant SINCE = Instant.parse("2026-12-07T00:00:00Z");
  private static final Sort<KeyQuery.By> BY_SPEND = Sort.desc(KeyQuery.By.SPEND);

  private static KeyQuery everyField() {
    return KeyQuery.builder(PAGE)
        .user("user-1")
        .team("team-2")
        .alias("alias-3")
        .search("search-4")
        .sort(BY_SPEND)
        .spendSince(SINCE)
        .build();
  }

  @Test
  void eachSetterFillsTheFieldOfItsOwnName() {
    KeyQuery q = everyField();

    assertThat(q.userId()).contains("user-1");
    assertThat(q.teamId()).contains("team-2");
    assertThat(q.alias()).contains("alias-3");
    assertThat(q.search()).contains("search-4");
    assertThat(q.sort()).isEqualTo(BY_SPEND);
    assertThat(q.spendSince()).isEqualTo(SINCE);
    assertThat(q.page()).isEqualTo(PAGE);
  }

  @Test
  void optionalSettersPassTheFilterThrough() {
    KeyQuery q =
        KeyQuery.builder(PAGE)
            .user(Optional.of("user-1"))
            .team(Optional.of("team-2"))
            .alias(Optional.of("alias-3"))
            .search(Optional.of("search-4"))
            .sort(BY_SPEND)
            .spendSince(SINCE)
            .build();

    assertThat(q).isEqualTo(everyField());
    assertThat(KeyQuery.builder(PAGE).alias(Optional.empty()).build())
        .isEqualTo(KeyQuery.all(PAGE));
  }

  @Test
  void unsetPartsMeanNoFilterOldestFirst() {
    KeyQuery q = KeyQuery.builder(PAGE).build();

    assertThat(q.userId()).isEmpty();
    assertThat(q.teamId()).isEmpty();
    assertThat(q.alias()).isEmpty();
    assertThat(q.search()).isEmpty();
    assertThat(q.sort()).isEqualTo(Sort.asc(KeyQuery.By.CREATED));
    assertThat(q.spendSince()).isEqualTo(Instant.EPOCH);
    assertThat(q.page()).isEqualTo(PAGE);
    assertThat(q).isEqualTo(KeyQuery.all(PAGE));
  }

  @Test
  void everyPartIsNonNull() {
    assertThatThrownBy(() -> KeyQuery.builder(null)).isInstanceOf(NullPointerException.class);
    KeyQuery.Builder b = KeyQuery.builder(PAGE);
    assertThatThrownBy(() -> b.page(null)).isInstanceOf(NullPointerException.class);
    assertThatThrownBy(() -> b.sort(null)).isInstanceOf(NullPointerException.class);
    assertThatThrownBy(() -> b.spendSince(null)).isInstanceOf(NullPointerException.class);
    assertThatThrownBy(() -> b.user((String) null)).isInstanceOf(NullPointerException.class);
    assertThatThrownBy(() -> b.team((Optional<String>) null))
        .isInstanceOf(NullPointerException.class);
  }

  @Test
  void toBuilderCopiesEveryFieldAndChangesOnlyWhatIsSet() {
    KeyQuery q = everyField();
    PageRequest next = new PageRequest(4, 25);

    assertThat(q.toBuilder().build()).isEqualTo(q);
    KeyQuery other = q.toBuilder().team("team-9").page(next).build();
    assertThat(other.teamId()).contains("team-9");
    assertThat(other.page()).isEqualTo(next);
    assertThat(other.userId()).isEqualTo(q.userId());
    assertThat(other.toBuilder().team(q.teamId()).page(PAGE).build()).isEqualTo(q);
  }

  @Test
  void theSearchTextIsTrimmedBlankIsNoSearchAndTooLongIsRefused() {
    assertThat(KeyQuery.builder(PAGE).search("  abc ").build().search()).contains("abc");
    assertThat(KeyQuery.builder(PAGE).search("   ").build()).isEqualTo(KeyQuery.all(PAGE));
    String tooLong = "x".repeat(TextSearch.MAX_LENGTH + 1);
    assertThatThrownBy(() -> KeyQuery.builder(PAGE).search(tooLong).build())
        .isInstanceOf(InvalidRequestException.class);
  }
}

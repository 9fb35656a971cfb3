package io.llmgateway.core.identity;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.llmgateway.core.PageRequest;
import io.llmgateway.core.Sort;
import io.llmgateway.core.error.InvalidRequestException;
import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class UserQueryTest {
  private static final PageRequest PAGE = new PageRequest(3, 25);
  private static final Instant SINCE = Instant.parse("2026-12-07T00:00:00Z");
  private static final Sort<UserQuery.By> BY_SPEND = Sort.desc(UserQuery.By.SPEND);

  private static UserQuery everyField() {
    return UserQuery.builder(PAGE)
        .team("team-1")
        .search("search-2")
        .sort(BY_SPEND)
        .spendSince(SINCE)
        .build();
  }

  @Test
  void eachSetterFillsTheFieldOfItsOwnName() {
    UserQuery q = everyField();

    assertThat(q.teamId()).contains("team-1");
    assertThat(q.search()).contains("search-2");
    assertThat(q.sort()).isEqualTo(BY_SPEND);
    assertThat(q.spendSince()).isEqualTo(SINCE);
    assertThat(q.page()).isEqualTo(PAGE);
  }

  @Test
  void optionalSettersPassTheFilterThrough() {
    UserQuery q =
        UserQuery.builder(PAGE)
            .team(Optional.of("team-1"))
            .search(Optional.of("search-2"))
            .sort(BY_SPEND)
            .spendSince(SINCE)
            .build();

    assertThat(q).isEqualTo(everyField());
    assertThat(UserQuery.builder(PAGE).team(Optional.empty()).build())
        .isEqualTo(UserQuery.all(PAGE));
  }

  @Test
  void unsetPartsMeanNoFilterById() {
    UserQuery q = UserQuery.builder(PAGE).build();

    assertThat(q.teamId()).isEmpty();
    assertThat(q.search()).isEmpty();
    assertThat(q.sort()).isEqualTo(Sort.asc(UserQuery.By.ID));
    assertThat(q.spendSince()).isEqualTo(Instant.EPOCH);
    assertThat(q.page()).isEqualTo(PAGE);
    assertThat(q).isEqualTo(UserQuery.all(PAGE));
  }

  @Test
  void everyPartIsNonNull() {
    assertThatThrownBy(() -> UserQuery.builder(null)).isInstanceOf(NullPointerException.class);
    assertThatThrownBy(() -> UserQuery.all(null)).isInstanceOf(NullPointerException.class);
    UserQuery.Builder b = UserQuery.builder(PAGE);
    assertThatThrownBy(() -> b.page(null)).isInstanceOf(NullPointerException.class);
    assertThatThrownBy(() -> b.sort(null)).isInstanceOf(NullPointerException.class);
    assertThatThrownBy(() -> b.spendSince(null)).isInstanceOf(NullPointerException.class);
    assertThatThrownBy(() -> b.team((String) null)).isInstanceOf(NullPointerException.class);
    assertThatThrownBy(() -> b.team((Optional<String>) null))
        .isInstanceOf(NullPointerException.class);
    assertThatThrownBy(() -> b.search((String) null)).isInstanceOf(NullPointerException.class);
    assertThatThrownBy(() -> b.search((Optional<String>) null))
        .isInstanceOf(NullPointerException.class);
  }

  @Test
  void toBuilderCopiesEveryFieldAndChangesOnlyWhatIsSet() {
    UserQuery q = everyField();
    PageRequest next = new PageRequest(4, 25);

    assertThat(q.toBuilder().build()).isEqualTo(q);
    UserQuery other = q.toBuilder().team("team-9").page(next).build();
    assertThat(other.teamId()).contains("team-9");
    assertThat(other.page()).isEqualTo(next);
    assertThat(other.search()).isEqualTo(q.search());
    assertThat(other.sort()).isEqualTo(q.sort());
    assertThat(other.spendSince()).isEqualTo(q.spendSince());
    assertThat(other.toBuilder().team(q.teamId()).page(PAGE).build()).isEqualTo(q);
  }

  @Test
  void theSearchTextIsTrimmedBlankIsNoSearchAndTooLongIsRefused() {
    assertThat(UserQuery.builder(PAGE).search("  abc ").build().search()).contains("abc");
    assertThat(UserQuery.builder(PAGE).search("   ").build()).isEqualTo(UserQuery.all(PAGE));
    String tooLong = "x".repeat(TextSearch.MAX_LENGTH + 1);
    assertThatThrownBy(() -> UserQuery.builder(PAGE).search(tooLong).build())
        .isInstanceOf(InvalidRequestException.class);
  }
}

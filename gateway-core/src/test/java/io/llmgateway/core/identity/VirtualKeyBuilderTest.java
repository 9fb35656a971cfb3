package io.llmgateway.core.identity;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.llmgateway.core.budget.BudgetIncrease;
import io.llmgateway.core.budget.BudgetLimit;
import io.llmgateway.core.budget.BudgetWindow;
import io.llmgateway.core.money.Money;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class VirtualKeyBuilderTest {
  private static final Instant T0 = Instant.parse("2026-12-07T00:00:00Z");
  private static final Instant T1 = Instant.parse("2026-12-07T01:00:00Z");

  @Test
  void aNewKeyHasTheDocumentedDefaults() {
    VirtualKey key = VirtualKey.builder("key-1", KeyHash.of("sk-a"), "sk-...-a", T0).build();

    assertThat(key)
        .isEqualTo(
            new VirtualKey(
                "key-1",
                KeyHash.of("sk-a"),
                "sk-...-a",
                Optional.empty(),
                Optional.empty(),
                Optional.empty(),
                KeyRole.LLM_API,
                List.of(),
                List.of(),
                RateLimits.NONE,
                false,
                Optional.empty(),
                Optional.empty(),
                Optional.empty(),
                Map.of(),
                T0,
                T0,
                Optional.empty()));
  }

  @Test
  void toBuilderCopiesEveryComponentAndChangesOnlyWhatIsSet() {
    BudgetLimit daily = new BudgetLimit(BudgetWindow.DAILY, Money.ofUsd("1.00"));
    VirtualKey full =
        new VirtualKey(
            "key-2",
            KeyHash.of("sk-b"),
            "sk-...-b",
            Optional.of("alias"),
            Optional.of("u1"),
            Optional.of("t1"),
            KeyRole.LLM_API,
            List.of("model-cheap"),
            List.of(daily),
            RateLimits.NONE,
            true,
            Optional.of(T1),
            Optional.of(KeyHash.of("sk-old")),
            Optional.of(T1),
            Map.of("k", "v"),
            T0,
            T0,
            Optional.of(new BudgetIncrease(Money.ofUsd("2.00"), T1)));

    assertThat(full.toBuilder().build()).isEqualTo(full);
    VirtualKey unblocked = full.toBuilder().blocked(false).updatedAt(T1).build();
    assertThat(unblocked.blocked()).isFalse();
    assertThat(unblocked.updatedAt()).isEqualTo(T1);
    assertThat(unblocked.toBuilder().blocked(true).updatedAt(T0).build()).isEqualTo(full);
  }

  @Test
  void buildValidatesAsTheConstructorDoes() {
    assertThatThrownBy(
            () ->
                VirtualKey.builder("key-3", KeyHash.of("sk-c"), "sk-...-c", T0)
                    .alias(Optional.of(" "))
                    .build())
        .isInstanceOf(IllegalArgumentException.class);
  }
}

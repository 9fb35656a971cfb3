package io.llmgateway.cli.onboard;

import io.llmgateway.core.money.Money;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * One valid row of the onboarding CSV ({@code email,tier,alias,budget,rpm}): the user's email (also
 * the user id, LiteLLM's convention), tier (= team), display alias, optional per-user daily budget
 * override and optional requests-per-minute limit. Immutable and thread-safe.
 *
 * @param line the file line the row starts on, for messages
 */
public record OnboardingRow(
    int line,
    String email,
    String tier,
    Optional<String> alias,
    Optional<Money> dailyBudget,
    OptionalLong rpm) {
  public OnboardingRow {
    Objects.requireNonNull(email, "email");
    Objects.requireNonNull(tier, "tier");
    Objects.requireNonNull(alias, "alias");
    Objects.requireNonNull(dailyBudget, "dailyBudget");
    Objects.requireNonNull(rpm, "rpm");
  }
}

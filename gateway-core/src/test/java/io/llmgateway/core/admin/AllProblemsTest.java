package io.llmgateway.core.admin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.llmgateway.core.budget.BudgetLimit;
import io.llmgateway.core.error.InvalidRequestException;
import io.llmgateway.core.error.Problem;
import io.llmgateway.core.identity.RateLimits;
import io.llmgateway.core.identity.UserRole;
import io.llmgateway.core.money.Money;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * Issue 16: an admin command with several wrong fields is refused once, naming every field (before,
 * the first wrong field was thrown and the others were only found on the next attempt).
 */
class AllProblemsTest {

  private static List<String> params(InvalidRequestException e) {
    return e.problems().stream().map(p -> p.param().orElse("-")).toList();
  }

  @Test
  void aUserWithFourWrongFieldsNamesAllFour() {
    var e =
        catchThrowableOfType(
            InvalidRequestException.class,
            () ->
                new UserSpec(
                    Optional.of("../keys/x"),
                    Optional.of("a\u200bb@example.com"),
                    Optional.of(" padded"),
                    Optional.empty(),
                    UserRole.INTERNAL_USER,
                    List.of("m", "m"),
                    List.of(
                        BudgetLimit.daily(Money.ofUsd("1")), BudgetLimit.daily(Money.ofUsd("2"))),
                    RateLimits.NONE,
                    Map.of()));

    assertThat(params(e))
        .containsExactly("user_id", "user_email", "user_alias", "models", "budgets");
    // The first problem is still the exception's message and param, for one-line callers.
    assertThat(e.param()).contains("user_id");
    assertThat(e.getMessage()).isEqualTo(e.problems().getFirst().message());
  }

  @Test
  void aKeyPatchNamesEveryWrongField() {
    var e =
        catchThrowableOfType(
            InvalidRequestException.class,
            () ->
                KeyPatch.builder()
                    .alias("tab\there")
                    .models(List.of(""))
                    .expiresAt(Instant.parse("2030-01-01T00:00:00Z"))
                    .duration(Duration.ofDays(1))
                    .build());

    assertThat(params(e)).containsExactly("key_alias", "models", "duration");
  }

  @Test
  void parseProblemsAndValidationProblemsAreRefusedTogether() {
    Problems parsed = new Problems().add("budgets", "daily budget must be a dollar amount");
    var e =
        catchThrowableOfType(
            InvalidRequestException.class,
            () -> TeamSpec.draft(parsed).alias("").models(List.of("a", "a")).build());

    assertThat(e.problems())
        .containsExactly(
            Problem.of("budgets", "daily budget must be a dollar amount"),
            Problem.of("team_alias", "team_alias must not be blank"),
            Problem.of("models", "models lists 'a' twice"));
  }

  @Test
  void aFieldThatFailedToParseIsNotAlsoReportedByTheRecord() {
    Problems parsed = new Problems().add("user_email", "user_email must be a string");
    var e =
        catchThrowableOfType(
            InvalidRequestException.class,
            () -> UserPatch.draft(parsed).email("bad\u0007").build());

    assertThat(e.problems())
        .containsExactly(Problem.of("user_email", "user_email must be a string"));
  }

  @Test
  void aParseProblemAloneStillRefusesAValidCommand() {
    Problems parsed = new Problems().add("rpm_limit", "rpm_limit must be a whole number");

    var e =
        catchThrowableOfType(
            InvalidRequestException.class, () -> KeySpec.draft(parsed).userId("alice").build());

    assertThat(params(e)).containsExactly("rpm_limit");
  }

  @Test
  void aCheckThatThrowsIsCollectedLikeTheOthers() {
    Problems p = new Problems();
    Optional<String> r =
        p.check(
            () -> {
              throw new InvalidRequestException("model 'typo' does not exist", "models");
            });
    p.add("team_id", "team 'x' does not exist");

    assertThat(r).isEmpty();
    assertThat(p.list())
        .extracting(q -> q.param().orElseThrow())
        .containsExactly("models", "team_id");
  }

  @Test
  void aValidCommandBuildsAndRoundTripsThroughItsBuilder() {
    KeySpec spec =
        KeySpec.builder().userId("alice").teamId("drafting").models(List.of("a")).build();

    assertThat(spec.toBuilder().build()).isEqualTo(spec);
    assertThat(spec.toBuilder().alias("Alice's key").build().alias()).contains("Alice's key");
  }
}

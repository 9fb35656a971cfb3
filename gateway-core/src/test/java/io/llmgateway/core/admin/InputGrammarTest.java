package io.llmgateway.core.admin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.llmgateway.core.error.InvalidRequestException;
import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Ids and aliases follow one safe grammar in the admin commands, so the API, the CLI and the UI all
 * refuse look-alike, invisible and path characters (issue 15, findings 11 and 13): a team admin
 * once created user {@code ../keys/<key_id>/unblock?} and the UI posted to another key.
 */
class InputGrammarTest extends AdminFixture {

  @ParameterizedTest
  @ValueSource(
      strings = {
        "al\u200bice", // zero-width space
        "\u0430lice", // Cyrillic a
        "alice\u202e", // right-to-left override
        "../keys/k1/unblock?",
        "a/b",
        "a?b",
        "a#b",
        "a..b",
        "a b",
        "a%2Fb",
        "-alice",
        "ａlice" // fullwidth a
      })
  void refusesIdsOutsideTheSafeGrammar(String id) {
    assertThatThrownBy(() -> admin.createUser(MASTER, UserSpec.member(id, "drafting")))
        .isInstanceOf(InvalidRequestException.class)
        .extracting(e -> ((InvalidRequestException) e).param())
        .isEqualTo(Optional.of("user_id"));
    assertThatThrownBy(() -> KeySpec.forUser(id))
        .isInstanceOf(InvalidRequestException.class)
        .extracting(e -> ((InvalidRequestException) e).param())
        .isEqualTo(Optional.of("user_id"));
  }

  @ParameterizedTest
  @ValueSource(strings = {"alice", "alice@example.com", "a.b-c_d+e", "u1", "0abc"})
  void acceptsIdsInTheGrammar(String id) {
    assertThat(admin.createUser(MASTER, UserSpec.member(id, "drafting")).id()).isEqualTo(id);
  }

  @ParameterizedTest
  @ValueSource(strings = {"Te\u200bam", "\u0430lpha", "team\u202e", " padded", "tab\there"})
  void refusesLookAlikeAndInvisibleCharactersInAliases(String alias) {
    assertThatThrownBy(() -> TeamSpec.named(alias))
        .isInstanceOf(InvalidRequestException.class)
        .extracting(e -> ((InvalidRequestException) e).param())
        .isEqualTo(Optional.of("team_alias"));
    assertThatThrownBy(() -> KeySpec.builder().userId("alice").alias(alias).build())
        .isInstanceOf(InvalidRequestException.class)
        .extracting(e -> ((InvalidRequestException) e).param())
        .isEqualTo(Optional.of("key_alias"));
  }

  @Test
  void keepsReadableAliasesWithSpacesAndPunctuation() {
    assertThat(TeamSpec.named("Platform Engineering (EU) - R&D").alias())
        .isEqualTo("Platform Engineering (EU) - R&D");
    assertThat(KeySpec.builder().userId("alice").alias("x' OR '1'='1 #1").build().alias())
        .isPresent();
  }

  @Test
  void refusesAnExpiryBeyondTheYear9999() {
    KeySpec base = KeySpec.forUser("alice");
    Instant far = Instant.parse("+999999999-12-31T00:00:00Z");
    assertThatThrownBy(
            () ->
                new KeySpec(
                    base.userId(),
                    base.teamId(),
                    base.alias(),
                    base.role(),
                    base.models(),
                    base.budgets(),
                    base.rateLimits(),
                    Optional.of(far),
                    Optional.empty(),
                    false,
                    base.metadata(),
                    Optional.empty()))
        .isInstanceOf(InvalidRequestException.class)
        .extracting(e -> ((InvalidRequestException) e).param())
        .isEqualTo(Optional.of("expires"));
    assertThatThrownBy(
            () ->
                new KeyPatch(
                    Optional.empty(),
                    Optional.empty(),
                    Optional.empty(),
                    Optional.empty(),
                    Optional.empty(),
                    Optional.empty(),
                    Optional.empty(),
                    Optional.of(far),
                    Optional.empty(),
                    Optional.empty(),
                    Optional.empty(),
                    Optional.empty()))
        .isInstanceOf(InvalidRequestException.class);
  }
}

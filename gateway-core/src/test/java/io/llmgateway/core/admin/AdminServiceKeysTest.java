package io.llmgateway.core.admin;

import static io.llmgateway.core.testing.Fixtures.T0;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.llmgateway.core.InvalidationBus.Invalidation;
import io.llmgateway.core.audit.AuditEvent;
import io.llmgateway.core.error.ConflictException;
import io.llmgateway.core.error.InvalidRequestException;
import io.llmgateway.core.error.NotFoundException;
import io.llmgateway.core.identity.KeyHash;
import io.llmgateway.core.identity.KeyStatus;
import io.llmgateway.core.identity.User;
import io.llmgateway.core.identity.VirtualKey;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class AdminServiceKeysTest extends AdminFixture {

  @Test
  void generatingAKeyForAnUnknownUserCreatesTheUserInTheKeysTeam() {
    // The seed's own command: user_id is an email, team_id is the team's alias.
    IssuedKey issued =
        admin.generateKey(
            MASTER,
            KeySpec.builder()
                .userId("user@example.com")
                .teamId("drafting")
                .alias("User Name")
                .build());

    User user = admin.user(MASTER, "user@example.com");
    assertThat(user.teamId()).contains("drafting");
    assertThat(issued.key().teamId()).contains("drafting");
    assertThat(issued.key().userId()).contains("user@example.com");
    assertThat(audit()).extracting(AuditEvent::action).contains("user.create", "key.create");
  }

  @Test
  void aKeyForAnExistingUserJoinsTheUsersTeam() {
    admin.createUser(MASTER, UserSpec.member("bob", "coding"));

    IssuedKey issued = admin.generateKey(MASTER, KeySpec.forUser("bob"));

    assertThat(issued.key().teamId()).contains("coding");
  }

  @Test
  void aKeyCannotPutAUserIntoAnotherTeam() {
    admin.createUser(MASTER, UserSpec.member("bob", "coding"));

    assertThatThrownBy(
            () ->
                admin.generateKey(
                    MASTER, KeySpec.builder().userId("bob").teamId("drafting").build()))
        .isInstanceOfSatisfying(
            InvalidRequestException.class, e -> assertThat(e.param()).contains("team_id"));
  }

  @Test
  void aKeyForAnUnknownTeamIsNotFoundNamingTheTeam() {
    assertThatThrownBy(
            () ->
                admin.generateKey(
                    MASTER, KeySpec.builder().userId("x").teamId("nonexistent").build()))
        .isInstanceOf(NotFoundException.class)
        .hasMessageContaining("nonexistent");
    assertThat(stores.users().findById("x")).isEmpty();
  }

  @Test
  void thePlaintextExistsOnlyInTheIssuedKey() {
    IssuedKey issued =
        admin.generateKey(MASTER, KeySpec.builder().userId("alice").teamId("drafting").build());
    String plaintext = issued.plaintext();
    String hashHex = issued.key().hash().hex();

    assertThat(plaintext).startsWith("sk-");
    assertThat(issued.key().hash()).isEqualTo(KeyHash.of(plaintext));
    assertThat(issued.key().displayPrefix())
        .isEqualTo("sk-..." + plaintext.substring(plaintext.length() - 4));
    assertThat(issued.toString()).doesNotContain(plaintext);
    assertThat(issued.key().toString()).doesNotContain(plaintext).doesNotContain(hashHex);
    for (AuditEvent e : audit()) {
      assertThat(e.toString()).doesNotContain(plaintext).doesNotContain(hashHex);
    }
  }

  @Test
  void aCustomKeyMustStartWithSk() {
    assertThatThrownBy(() -> KeySpec.builder().userId("a").key("my-key-123").build())
        .isInstanceOfSatisfying(
            InvalidRequestException.class, e -> assertThat(e.param()).contains("key"));
  }

  @Test
  void aCustomKeyIsUsedAsGiven() {
    String custom = "sk-custom-0001-abcdefghijklmnopqrstuv";
    IssuedKey issued =
        admin.generateKey(
            MASTER, KeySpec.builder().userId("a").teamId("drafting").key(custom).build());

    assertThat(issued.plaintext()).isEqualTo(custom);
    assertThat(stores.keys().findByHash(KeyHash.of(custom))).isPresent();
  }

  // Issue 15, finding 6: a guessable custom key ("sk-1") is refused, and so is a value already in
  // use, with the same answer: the refusal never tells the caller that a value is someone's key.
  @Test
  void aCustomKeyNeedsThirtyTwoCharactersAfterSk() {
    for (String weak : List.of("sk-1", "sk-custom-0001", "sk-" + "a".repeat(31))) {
      assertThatThrownBy(() -> KeySpec.builder().userId("a").key(weak).build())
          .as(weak)
          .isInstanceOfSatisfying(
              InvalidRequestException.class, e -> assertThat(e.param()).contains("key"));
    }
    String ok = "sk-" + "a".repeat(32);
    assertThat(admin.generateKey(MASTER, KeySpec.builder().userId("a").key(ok).build()).plaintext())
        .isEqualTo(ok);
  }

  @Test
  void aDuplicateCustomKeyIsRefusedLikeAnyInvalidCustomKey() {
    String taken = "sk-" + "t".repeat(40);
    admin.generateKey(MASTER, KeySpec.builder().userId("a").teamId("drafting").key(taken).build());
    int auditBefore = audit().size();

    Throwable dup =
        catchThrowable(
            () ->
                admin.generateKey(
                    MASTER, KeySpec.builder().userId("b").teamId("drafting").key(taken).build()));
    Throwable weak = catchThrowable(() -> KeySpec.builder().userId("b").key("sk-1").build());

    assertThat(dup).isInstanceOf(InvalidRequestException.class);
    assertThat(dup.getMessage()).isEqualTo(weak.getMessage());
    assertThat(((InvalidRequestException) dup).param())
        .isEqualTo(((InvalidRequestException) weak).param());
    assertThat(stores.users().findById("b")).isEmpty();
    assertThat(audit()).hasSize(auditBefore);
  }

  @Test
  void aKeyIsFoundByPlaintextByHashAndById() {
    IssuedKey issued =
        admin.generateKey(MASTER, KeySpec.builder().userId("alice").teamId("drafting").build());
    VirtualKey k = issued.key();

    assertThat(admin.key(MASTER, issued.plaintext())).isEqualTo(k);
    assertThat(admin.key(MASTER, k.hash().hex())).isEqualTo(k);
    assertThat(admin.key(MASTER, k.id())).isEqualTo(k);
    assertThatThrownBy(() -> admin.key(MASTER, "sk-not-a-key"))
        .isInstanceOf(NotFoundException.class);
  }

  @Test
  void aDurationSetsTheExpiryFromNow() {
    IssuedKey issued =
        admin.generateKey(
            MASTER,
            KeySpec.builder().userId("a").teamId("drafting").duration(Duration.ofDays(30)).build());

    assertThat(issued.key().expiresAt()).contains(T0.plus(Duration.ofDays(30)));
    assertThat(issued.key().statusAt(T0.plus(Duration.ofDays(30)))).isEqualTo(KeyStatus.EXPIRED);
  }

  @Test
  void aDuplicateKeyAliasIsAConflictAndCreatesNoUser() {
    admin.generateKey(
        MASTER, KeySpec.builder().userId("a").teamId("drafting").alias("shared").build());

    assertThatThrownBy(
            () ->
                admin.generateKey(
                    MASTER,
                    KeySpec.builder().userId("b").teamId("drafting").alias("shared").build()))
        .isInstanceOf(ConflictException.class);
    assertThat(stores.users().findById("b")).isEmpty();
  }

  @Test
  void regenerateWithGraceKeepsTheOldValueWorkingUntilGraceUntil() {
    IssuedKey first =
        admin.generateKey(MASTER, KeySpec.builder().userId("alice").teamId("drafting").build());

    IssuedKey second =
        admin.regenerateKey(MASTER, first.key().id(), Optional.of(Duration.ofHours(1)));

    assertThat(second.key().id()).isEqualTo(first.key().id());
    assertThat(second.plaintext()).isNotEqualTo(first.plaintext());
    assertThat(second.key().teamId()).isEqualTo(first.key().teamId());
    assertThat(second.key().graceUntil()).contains(T0.plus(Duration.ofHours(1)));
    var keys = stores.keys();
    assertThat(keys.findPrincipal(KeyHash.of(second.plaintext()), T0)).isPresent();
    assertThat(keys.findPrincipal(KeyHash.of(first.plaintext()), T0.plusSeconds(3599))).isPresent();
    assertThat(keys.findPrincipal(KeyHash.of(first.plaintext()), T0.plusSeconds(3600))).isEmpty();
  }

  @Test
  void regenerateWithoutGraceStopsTheOldValueAtOnce() {
    IssuedKey first =
        admin.generateKey(MASTER, KeySpec.builder().userId("alice").teamId("drafting").build());

    IssuedKey second = admin.regenerateKey(MASTER, first.plaintext(), Optional.empty());

    assertThat(stores.keys().findPrincipal(KeyHash.of(first.plaintext()), T0)).isEmpty();
    assertThat(stores.keys().findPrincipal(KeyHash.of(second.plaintext()), T0)).isPresent();
    assertThat(lastAudit().action()).isEqualTo("key.regenerate");
  }

  @Test
  void blockingAKeyIsAuditedAndInvalidatesThatKey() {
    IssuedKey issued =
        admin.generateKey(MASTER, KeySpec.builder().userId("alice").teamId("drafting").build());
    invalidations.clear();

    VirtualKey blocked = admin.blockKey(MASTER, issued.key().id(), true);

    assertThat(blocked.statusAt(T0)).isEqualTo(KeyStatus.BLOCKED);
    assertThat(invalidations).containsExactly(new Invalidation.Key(issued.key().id()));
    assertThat(lastAudit().action()).isEqualTo("key.block");
    assertThat(lastAudit().before()).containsEntry("blocked", false);
    assertThat(lastAudit().after()).containsEntry("blocked", true);
  }

  @Test
  void updatingAKeyChangesOnlyTheGivenFields() {
    IssuedKey issued =
        admin.generateKey(
            MASTER, KeySpec.builder().userId("alice").teamId("coding").alias("a1").build());

    VirtualKey updated =
        admin.updateKey(
            MASTER, issued.key().id(), KeyPatch.builder().models(List.of("model-cheap")).build());

    assertThat(updated.models()).containsExactly("model-cheap");
    assertThat(updated.alias()).contains("a1");
    assertThat(updated.hash()).isEqualTo(issued.key().hash());
    assertThat(lastAudit().action()).isEqualTo("key.update");
  }

  @Test
  void deletingAKeyRemovesItAndInvalidatesIt() {
    IssuedKey issued =
        admin.generateKey(MASTER, KeySpec.builder().userId("alice").teamId("drafting").build());
    invalidations.clear();

    admin.deleteKey(MASTER, issued.plaintext());

    assertThat(stores.keys().findById(issued.key().id())).isEmpty();
    assertThat(invalidations).containsExactly(new Invalidation.Key(issued.key().id()));
  }
}

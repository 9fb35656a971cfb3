package io.llmgateway.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.llmgateway.core.PageRequest;
import io.llmgateway.core.identity.KeyQuery;
import io.llmgateway.core.identity.VirtualKey;
import java.nio.file.Files;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class KeysAndUsersCommandTest extends CommandTest {

  @BeforeEach
  void onboarded() throws Exception {
    seedOnboarded();
  }

  private VirtualKey key(String alias) {
    return cli.stores().keys().findByAlias(alias).orElseThrow();
  }

  @Test
  void keysListShowsEveryKeyWithoutSecrets() throws Exception {
    String secrets = Files.readString(cli.workDir.resolve("keys.csv"));

    var list = ok("keys", "list");
    var byTeam = ok("keys", "list", "--team", "coding", "--format", "csv");
    var byUser = ok("keys", "list", "--user", "User3@Example.com", "--format", "json");

    assertThat(list.out().lines()).hasSize(4);
    assertThat(list.out())
        .contains("user1@example.com")
        .contains("drafting")
        .contains("active")
        .contains("sk-...");
    for (String line : secrets.lines().skip(1).toList()) {
      assertThat(list.out()).doesNotContain(line.split(",")[5]);
    }
    assertThat(byTeam.out().lines()).hasSize(2).last().asString().contains("user2@example.com");
    assertThat(byUser.out())
        .contains("\"user_id\" : \"user3@example.com\"")
        .doesNotContain("user1@");
  }

  @Test
  void keysShowFindsAKeyByIdAliasOrPlaintextWithoutEchoingSecrets() throws Exception {
    VirtualKey k = key("user2@example.com");

    var byAlias = ok("keys", "show", "user2@example.com");
    var byId = ok("keys", "show", k.id());

    assertThat(byAlias.out()).isEqualTo(byId.out());
    assertThat(byId.out())
        .contains("key_id:           " + k.id())
        .contains("team_id:          coding")
        .contains("status:           active");
    assertThat(fails(ExitCode.VALIDATION, "keys", "show", "nobody").err())
        .contains("no key 'nobody'");
    var secret = fails(ExitCode.VALIDATION, "keys", "show", "sk-not-a-real-but-secret-looking-key");
    assertThat(secret.err()).contains("no key (value hidden)").doesNotContain("secret-looking");
    String plaintext = plaintextOf("user2@example.com");
    var byPlaintext = ok("keys", "show", plaintext);
    assertThat(byPlaintext.out()).isEqualTo(byId.out()).doesNotContain(plaintext);
  }

  private String plaintextOf(String email) throws java.io.IOException {
    return Files.readAllLines(cli.workDir.resolve("keys.csv")).stream()
        .filter(l -> l.startsWith(email + ","))
        .findFirst()
        .orElseThrow()
        .split(",")[5];
  }

  @Test
  void blockUnblockAndRevokeChangeTheDatabase() {
    String id = key("user1@example.com").id();

    assertThat(ok("keys", "block", id, "--yes").out()).contains("blocked " + id);
    assertThat(key("user1@example.com").blocked()).isTrue();
    assertThat(ok("keys", "list").out()).contains("blocked");
    ok("keys", "unblock", "user1@example.com");
    assertThat(key("user1@example.com").blocked()).isFalse();

    assertThat(ok("keys", "revoke", "user1@example.com", "-y").out()).contains("revoked " + id);
    assertThat(cli.stores().keys().findById(id)).isEmpty();
    assertThat(
            cli.stores()
                .auditLog()
                .list(java.util.Optional.of("key"), PageRequest.first(50))
                .items())
        .extracting(e -> e.action())
        .contains("key.block", "key.delete");
  }

  @Test
  void rotateWritesTheNewSecretOnlyToAnOwnerOnlyFile() throws Exception {
    VirtualKey before = key("user3@example.com");

    var r = ok("keys", "rotate", "user3@example.com", "--out", "rotated.csv", "--yes");

    VirtualKey after = key("user3@example.com");
    assertThat(after.id()).isEqualTo(before.id());
    assertThat(after.hash()).isNotEqualTo(before.hash());
    var file = cli.workDir.resolve("rotated.csv");
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file)))
        .isEqualTo("rw-------");
    String secret = Files.readAllLines(file).get(1).split(",")[5];
    assertThat(secret).startsWith("sk-");
    assertThat(r.out()).doesNotContain(secret).contains("rotated " + before.id());
    assertThat(fails(ExitCode.USAGE, "keys", "rotate", "user3@example.com").err())
        .contains("--out");
  }

  @Test
  void usersListAndShow() {
    var list = ok("users", "list");
    var coding = ok("users", "list", "--team", "coding");
    var show = ok("users", "show", "user1@example.com");

    assertThat(list.out().lines()).hasSize(4);
    assertThat(coding.out().lines()).hasSize(2).last().asString().startsWith("user2@example.com");
    assertThat(show.out())
        .contains("alias:            User One")
        .contains("team:             drafting")
        .contains("daily budget:     $0.017 (tier)")
        .contains("monthly budget:   $0.5 (tier)")
        .contains("models:           model-cheap")
        .contains("keys:             1");
    assertThat(fails(ExitCode.VALIDATION, "users", "show", "ghost@example.com").err())
        .contains("no user 'ghost@example.com'");
    assertThat(cli.stores().keys().list(KeyQuery.all(PageRequest.first(10))).total()).isEqualTo(3);
  }
}

package io.llmgateway.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.llmgateway.core.identity.VirtualKey;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Destructive commands ask on a terminal unless --yes, and without a terminal refuse (exit 2)
 * unless --yes: a script has to say what it means.
 */
class ConfirmationTest extends CommandTest {
  private final List<String> asked = new ArrayList<>();

  @BeforeEach
  void data() throws Exception {
    seedOnboarded();
  }

  private Optional<VirtualKey> key(String alias) {
    return cli.stores().keys().findByAlias(alias);
  }

  private void answer(String reply) {
    cli.prompt =
        q -> {
          asked.add(q);
          return Optional.of(reply);
        };
  }

  @Test
  void withoutATerminalDestructiveCommandsRefuseUnlessYes() throws Exception {
    var hash = key("user3@example.com").orElseThrow().hash();

    var revoke = fails(ExitCode.USAGE, "keys", "revoke", "user1@example.com");
    var block = fails(ExitCode.USAGE, "keys", "block", "user2@example.com");
    var rotate =
        fails(ExitCode.USAGE, "keys", "rotate", "user3@example.com", "--out", "rotated.csv");

    assertThat(revoke.err()).contains("no terminal to confirm on: add --yes");
    assertThat(block.err()).contains("--yes");
    assertThat(rotate.err()).contains("--yes");
    assertThat(key("user1@example.com")).isPresent();
    assertThat(key("user2@example.com").orElseThrow().blocked()).isFalse();
    assertThat(key("user3@example.com").orElseThrow().hash()).isEqualTo(hash);
    assertThat(cli.workDir.resolve("rotated.csv")).doesNotExist();

    ok("keys", "revoke", "user1@example.com", "--yes");
    assertThat(key("user1@example.com")).isEmpty();
  }

  @Test
  void onATerminalTheyAskAndOnlyYesGoesAhead() throws Exception {
    answer("n");
    var declined = fails(ExitCode.VALIDATION, "keys", "revoke", "user1@example.com");
    assertThat(declined.err()).contains("not confirmed; nothing changed");
    assertThat(key("user1@example.com")).isPresent();
    assertThat(asked).singleElement().asString().contains("Revoke key key_").endsWith("[y/N] ");

    answer("y");
    ok("keys", "revoke", "user1@example.com");
    ok("keys", "block", "user2@example.com");
    assertThat(key("user1@example.com")).isEmpty();
    assertThat(key("user2@example.com").orElseThrow().blocked()).isTrue();

    asked.clear();
    ok("keys", "unblock", "user2@example.com"); // undoing is not destructive: no question
    assertThat(asked).isEmpty();
    assertThat(Files.exists(cli.workDir.resolve("keys.csv"))).isTrue();
  }
}

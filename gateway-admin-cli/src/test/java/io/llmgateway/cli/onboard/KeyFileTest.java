package io.llmgateway.cli.onboard;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.llmgateway.cli.CliException;
import io.llmgateway.cli.ExitCode;
import io.llmgateway.core.admin.IssuedKey;
import io.llmgateway.core.identity.ApiKeys;
import io.llmgateway.core.identity.KeyHash;
import io.llmgateway.core.identity.KeyRole;
import io.llmgateway.core.identity.RateLimits;
import io.llmgateway.core.identity.VirtualKey;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class KeyFileTest {
  @TempDir Path dir;

  private static final OnboardingRow ROW =
      new OnboardingRow(
          2,
          "user1@example.com",
          "drafting",
          Optional.of("User One"),
          Optional.empty(),
          OptionalLong.empty());

  static IssuedKey issued(String plaintext) {
    Instant now = Instant.parse("2026-11-27T10:00:00Z");
    VirtualKey k =
        new VirtualKey(
            "key_1",
            KeyHash.of(plaintext),
            ApiKeys.displayPrefix(plaintext),
            Optional.of("user1@example.com"),
            Optional.of("user1@example.com"),
            Optional.of("drafting"),
            KeyRole.LLM_API,
            List.of(),
            List.of(),
            RateLimits.NONE,
            false,
            Optional.empty(),
            Optional.empty(),
            Optional.empty(),
            Map.of(),
            now,
            now,
            Optional.empty());
    return new IssuedKey(plaintext, k);
  }

  @Test
  void createsANewFileReadableOnlyByItsOwner() throws IOException {
    Path out = dir.resolve("keys.csv");
    try (KeyFile f = KeyFile.open(out)) {
      f.write(ROW, issued("sk-secret-1"), "created", Instant.parse("2026-11-27T10:00:00Z"));
    }

    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(out)))
        .isEqualTo("rw-------");
    assertThat(Files.readAllLines(out))
        .containsExactly(
            "email,tier,user_alias,key_id,key_alias,api_key,action,issued_at",
            "user1@example.com,drafting,User One,key_1,user1@example.com,sk-secret-1,created,2026-11-27T10:00:00Z");
  }

  @Test
  void appendsToAnOwnerOnlyFileWithoutRepeatingTheHeader() throws IOException {
    Path out = dir.resolve("keys.csv");
    try (KeyFile f = KeyFile.open(out)) {
      f.write(ROW, issued("sk-a"), "created", Instant.EPOCH);
    }
    try (KeyFile f = KeyFile.open(out)) {
      f.write(ROW, issued("sk-b"), "rotated", Instant.EPOCH);
    }

    List<String> lines = Files.readAllLines(out);
    assertThat(lines).hasSize(3);
    assertThat(lines.get(1)).contains("sk-a");
    assertThat(lines.get(2)).contains("sk-b");
  }

  @Test
  void refusesAnExistingFileOthersCanRead() throws IOException {
    Path out =
        Files.createFile(
            dir.resolve("keys.csv"),
            PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-r--r--")));

    assertThatThrownBy(() -> KeyFile.open(out))
        .isInstanceOfSatisfying(
            CliException.class, e -> assertThat(e.exitCode()).isEqualTo(ExitCode.VALIDATION))
        .hasMessageContaining("chmod 600");
  }

  @Test
  void refusesASymlink() throws IOException {
    Path target =
        Files.createFile(
            dir.resolve("elsewhere.csv"),
            PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
    Path link = Files.createSymbolicLink(dir.resolve("keys.csv"), target);

    assertThatThrownBy(() -> KeyFile.open(link)).hasMessageContaining("not a regular file");
  }

  @Test
  void refusesAMissingDirectory() {
    assertThatThrownBy(() -> KeyFile.open(dir.resolve("nope/keys.csv")))
        .hasMessageContaining("does not exist");
  }

  @Test
  void neverShowsThePlaintextInToString() {
    assertThat(issued("sk-very-secret-value").toString()).doesNotContain("sk-very-secret-value");
  }
}

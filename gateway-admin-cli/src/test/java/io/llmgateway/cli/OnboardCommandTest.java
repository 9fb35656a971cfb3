package io.llmgateway.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.llmgateway.core.PageRequest;
import io.llmgateway.core.budget.BudgetLimit;
import io.llmgateway.core.identity.KeyHash;
import io.llmgateway.core.identity.KeyQuery;
import io.llmgateway.core.identity.User;
import io.llmgateway.core.identity.UserQuery;
import io.llmgateway.core.identity.UserRole;
import io.llmgateway.core.identity.VirtualKey;
import io.llmgateway.core.money.Money;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class OnboardCommandTest extends CommandTest {

  @BeforeEach
  void tiers() {
    ok("models", "sync");
    ok("teams", "sync");
  }

  private List<User> users() {
    return cli.stores().users().list(UserQuery.all(PageRequest.first(1000))).items();
  }

  private List<VirtualKey> keys() {
    return cli.stores().keys().list(KeyQuery.all(PageRequest.first(1000))).items();
  }

  /** email -> plaintext key, from the key file. */
  private Map<String, String> keyFile(Path file) throws IOException {
    return Files.readAllLines(file).stream()
        .skip(1)
        .map(l -> l.split(","))
        .collect(Collectors.toMap(c -> c[0], c -> c[5], (a, b) -> b));
  }

  @Test
  void onboardsTheSeedSampleWithOneKeyEachWrittenOnlyToAnOwnerOnlyFile() throws IOException {
    cli.write("users_to_onboard.csv", SEED_CSV);

    var r = ok("users", "onboard", "--csv", "users_to_onboard.csv", "--out", "keys.csv");

    assertThat(users()).hasSize(3);
    User u1 = cli.stores().users().findById("user1@example.com").orElseThrow();
    assertThat(u1.email()).contains("user1@example.com");
    assertThat(u1.alias()).contains("User One");
    assertThat(u1.teamId()).contains("drafting");
    assertThat(u1.role()).isEqualTo(UserRole.INTERNAL_USER);
    assertThat(u1.budgets()).isEmpty(); // the tier's per-member budgets apply
    assertThat(cli.stores().users().findById("user3@example.com").orElseThrow().teamId())
        .contains("architect");

    Path out = cli.workDir.resolve("keys.csv");
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(out)))
        .isEqualTo("rw-------");
    Map<String, String> issued = keyFile(out);
    assertThat(issued)
        .containsOnlyKeys("user1@example.com", "user2@example.com", "user3@example.com");
    for (var e : issued.entrySet()) {
      VirtualKey k = cli.stores().keys().findByHash(KeyHash.of(e.getValue())).orElseThrow();
      assertThat(k.userId()).contains(e.getKey());
      assertThat(k.alias()).contains(e.getKey());
      assertThat(r.out()).doesNotContain(e.getValue());
      assertThat(r.err()).doesNotContain(e.getValue());
    }
    assertThat(keys()).hasSize(3);
    assertThat(cli.stores().keys().findByAlias("user2@example.com").orElseThrow().teamId())
        .contains("coding");
    assertThat(r.out())
        .contains("onboarded 3 rows: 3 users created, 0 existing unchanged")
        .contains("3 new keys written to keys.csv (owner-only, mode 0600)");
  }

  @Test
  void reRunningTheSameCsvChangesNothing() throws IOException {
    cli.write("users_to_onboard.csv", SEED_CSV);
    ok("users", "onboard", "--csv", "users_to_onboard.csv", "--out", "keys.csv");
    List<User> usersBefore = users();
    List<VirtualKey> keysBefore = keys();
    List<String> fileBefore = Files.readAllLines(cli.workDir.resolve("keys.csv"));

    var again = ok("users", "onboard", "--csv", "users_to_onboard.csv", "--out", "keys.csv");

    assertThat(users()).isEqualTo(usersBefore);
    assertThat(keys()).isEqualTo(keysBefore);
    assertThat(Files.readAllLines(cli.workDir.resolve("keys.csv"))).isEqualTo(fileBefore);
    assertThat(again.out())
        .contains("existing user1@example.com: exists with key")
        .contains("no new key")
        .contains("0 users created, 3 existing unchanged")
        .contains("0 new keys written");
  }

  @Test
  void aFileWithBadRowsIsReportedInFullAndChangesNothing() throws IOException {
    cli.write(
        "bad.csv",
        """
        email,tier,alias,budget,rpm
        ok@example.com,drafting,Fine,,
        not-an-email,drafting,Bad Email,,
        who@example.com,platinum,Unknown Tier,,
        neg@example.com,coding,Negative,-0.5,
        nan@example.com,coding,Not Numeric,ten,
        ok@example.com,coding,Duplicate,,
        """);

    var r = fails(ExitCode.VALIDATION, "users", "onboard", "--csv", "bad.csv", "--out", "keys.csv");

    assertThat(r.err())
        .contains("invalid line 3: 'not-an-email' is not a valid email address")
        .contains("invalid line 4: unknown tier 'platinum'")
        .contains("invalid line 5: budget -0.5 is negative")
        .contains("invalid line 6: budget 'ten' is not a number")
        .contains("invalid line 7: duplicate email ok@example.com (first on line 2)")
        .contains("5 of 6 rows are invalid (5 problems); nothing was changed")
        .contains("--skip-invalid");
    assertThat(users()).isEmpty();
    assertThat(keys()).isEmpty();
    assertThat(cli.workDir.resolve("keys.csv")).doesNotExist();
  }

  @Test
  void skipInvalidOnboardsTheValidRowsAndStillExitsOne() throws IOException {
    cli.write("mixed.csv", "email,tier\nok@example.com,coding\nbad,coding\n");

    var r =
        fails(
            ExitCode.VALIDATION,
            "users",
            "onboard",
            "--csv",
            "mixed.csv",
            "--out",
            "keys.csv",
            "--skip-invalid");

    assertThat(r.err()).contains("skipped line 3: 'bad' is not a valid email address");
    assertThat(r.out()).contains("1 users created").contains("1 invalid rows skipped");
    assertThat(users()).extracting(User::id).containsExactly("ok@example.com");
  }

  @Test
  void storesPerUserDailyBudgetAndRpmOverrides() throws IOException {
    cli.write("u.csv", "email,tier,alias,budget,rpm\nann@example.com,coding,Ann,0.05,20\n");

    ok("users", "onboard", "--csv", "u.csv", "--out", "keys.csv");

    User ann = cli.stores().users().findById("ann@example.com").orElseThrow();
    assertThat(ann.budgets()).containsExactly(BudgetLimit.daily(Money.ofUsd("0.05")));
    assertThat(ann.rateLimits().rpm()).isEqualTo(OptionalLong.of(20));
    assertThat(ok("users", "show", "ann@example.com").out())
        .contains("daily budget:     $0.05 (user override; tier $0.033)")
        .contains("monthly budget:   $1 (tier)")
        .contains("rpm:              20");
  }

  @Test
  void rotateGivesExistingUsersANewSecretAndTheOldOneStopsWorking() throws IOException {
    cli.write("users_to_onboard.csv", SEED_CSV);
    ok("users", "onboard", "--csv", "users_to_onboard.csv", "--out", "keys.csv");
    String oldKey = keyFile(cli.workDir.resolve("keys.csv")).get("user1@example.com");

    var r =
        ok("users", "onboard", "--csv", "users_to_onboard.csv", "--out", "rotated.csv", "--rotate");

    String newKey = keyFile(cli.workDir.resolve("rotated.csv")).get("user1@example.com");
    assertThat(newKey).isNotEqualTo(oldKey);
    assertThat(cli.stores().keys().findByHash(KeyHash.of(oldKey))).isEmpty();
    assertThat(cli.stores().keys().findByHash(KeyHash.of(newKey))).isPresent();
    assertThat(keys()).hasSize(3);
    assertThat(r.out()).contains("3 keys rotated");
  }

  @Test
  void anExistingUserWithoutAKeyGetsOne() throws IOException {
    cli.write("users_to_onboard.csv", SEED_CSV);
    ok("users", "onboard", "--csv", "users_to_onboard.csv", "--out", "keys.csv");
    ok("keys", "revoke", "user2@example.com", "--yes");

    var r = ok("users", "onboard", "--csv", "users_to_onboard.csv", "--out", "keys.csv");

    assertThat(r.out())
        .contains("user2@example.com: existed without a key; issued one")
        .contains("1 existing given a first key");
    assertThat(keys()).hasSize(3);
    assertThat(Files.readAllLines(cli.workDir.resolve("keys.csv"))).hasSize(5);
  }

  @Test
  void outDashPrintsKeysOnStdoutAndTheSummaryOnStderr() throws IOException {
    cli.write("u.csv", "email,tier\nann@example.com,coding\n");

    var r = ok("users", "onboard", "--csv", "u.csv", "--out", "-");

    assertThat(r.out().lines().toList())
        .hasSize(2)
        .first()
        .asString()
        .startsWith("email,tier,user_alias,key_id");
    assertThat(r.out()).contains("ann@example.com,coding,,key_").contains(",sk-");
    assertThat(r.err()).contains("1 users created").contains("written to stdout");
  }

  @Test
  void dryRunValidatesAndChangesNothing() throws IOException {
    cli.write("users_to_onboard.csv", SEED_CSV);

    var r =
        ok("users", "onboard", "--csv", "users_to_onboard.csv", "--out", "keys.csv", "--dry-run");

    assertThat(r.out()).contains("dry run, nothing changed: 3 valid rows: 3 users to create");
    assertThat(users()).isEmpty();
    assertThat(cli.workDir.resolve("keys.csv")).doesNotExist();
  }

  @Test
  void showsProgressOnlyOnATerminalOrWhenAsked() throws IOException {
    cli.write("users_to_onboard.csv", SEED_CSV);

    var quiet = ok("users", "onboard", "--csv", "users_to_onboard.csv", "--out", "a.csv");
    var asked =
        ok("users", "onboard", "--csv", "users_to_onboard.csv", "--out", "b.csv", "--progress");
    cli.terminal = true;
    var tty = ok("users", "onboard", "--csv", "users_to_onboard.csv", "--out", "c.csv");
    var off =
        ok("users", "onboard", "--csv", "users_to_onboard.csv", "--out", "d.csv", "--no-progress");

    assertThat(quiet.err()).doesNotContain("3/3");
    assertThat(asked.err()).contains("[##############################] 3/3 100%");
    assertThat(tty.err()).contains("3/3 100%");
    assertThat(off.err()).doesNotContain("3/3");
  }

  @Test
  void explainsUnknownTiersWhenTeamsWereNeverSynced() throws IOException {
    CommandTest fresh = this;
    cli = io.llmgateway.cli.testing.Harnesses.create(Files.createDirectory(dir.resolve("other")));
    cli.write("users_to_onboard.csv", SEED_CSV);

    var r =
        fails(
            ExitCode.VALIDATION,
            "users",
            "onboard",
            "--csv",
            "users_to_onboard.csv",
            "--out",
            "k.csv");

    assertThat(r.err())
        .contains(
            "line 2: unknown tier 'drafting' (known: none; run 'gateway-admin teams sync' first)");
    assertThat(fresh).isNotNull();
  }

  @Test
  void usageErrorsExitTwo() throws IOException {
    cli.write("u.csv", SEED_CSV);

    assertThat(fails(ExitCode.USAGE, "users", "onboard", "--csv", "u.csv").err()).contains("--out");
    assertThat(
            fails(ExitCode.VALIDATION, "users", "onboard", "--csv", "missing.csv", "--out", "k.csv")
                .err())
        .contains("missing.csv: file not found");
    assertThat(Optional.of(users())).get().asList().isEmpty();
  }
}

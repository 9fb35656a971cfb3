package io.llmgateway.cli.onboard;

import io.llmgateway.cli.admin.Admin;
import io.llmgateway.core.PageRequest;
import io.llmgateway.core.admin.IssuedKey;
import io.llmgateway.core.admin.KeySpec;
import io.llmgateway.core.admin.UserSpec;
import io.llmgateway.core.budget.BudgetLimit;
import io.llmgateway.core.error.GatewayException;
import io.llmgateway.core.error.StorageUnavailableException;
import io.llmgateway.core.identity.KeyQuery;
import io.llmgateway.core.identity.RateLimits;
import io.llmgateway.core.identity.Team;
import io.llmgateway.core.identity.User;
import io.llmgateway.core.identity.UserRole;
import io.llmgateway.core.identity.VirtualKey;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Onboards validated rows through the admin operations: a new user (id = email, team = tier, the
 * CSV's alias, daily budget and rpm overrides) gets one key, written to the key file at once. An
 * existing user is reported and left alone; they get a key only if they have none, or a new secret
 * for their key with {@code rotate}. So a re-run changes nothing, and a run interrupted between
 * creating a user and its key is completed by the next run. Not thread-safe.
 */
public final class Onboarder {

  /** What happened to one row. */
  public enum Outcome {
    CREATED,
    KEY_ISSUED,
    ROTATED,
    EXISTS,
    FAILED
  }

  /** Counts per outcome, and one line per existing user, warning and failure. */
  public record Result(
      Map<Outcome, Integer> counts,
      List<String> existing,
      List<String> warnings,
      List<RowProblem> failures) {
    public int count(Outcome o) {
      return counts.getOrDefault(o, 0);
    }
  }

  private final Admin admin;
  private final Map<String, Team> teamsByTier;
  private final Clock clock;
  private final boolean rotate;
  private final KeyFile keys;
  private final Progress progress;

  public Onboarder(
      Admin admin,
      Map<String, Team> teamsByTier,
      Clock clock,
      boolean rotate,
      KeyFile keys,
      Progress progress) {
    this.admin = admin;
    this.teamsByTier = Map.copyOf(teamsByTier);
    this.clock = clock;
    this.rotate = rotate;
    this.keys = keys;
    this.progress = progress;
  }

  public Result run(List<OnboardingRow> rows) {
    Map<Outcome, Integer> counts = new EnumMap<>(Outcome.class);
    List<String> existing = new ArrayList<>();
    List<String> warnings = new ArrayList<>();
    List<RowProblem> failures = new ArrayList<>();
    int done = 0;
    for (OnboardingRow row : rows) {
      Outcome o;
      try {
        o = onboard(row, existing, warnings);
      } catch (StorageUnavailableException e) {
        throw e; // the database is gone: stop, the summary would be a lie
      } catch (GatewayException | IllegalArgumentException e) {
        failures.add(new RowProblem(row.line(), row.email() + ": " + e.getMessage()));
        o = Outcome.FAILED;
      }
      counts.merge(o, 1, Integer::sum);
      progress.update(++done);
    }
    progress.finish();
    return new Result(counts, existing, warnings, failures);
  }

  private Outcome onboard(OnboardingRow row, List<String> existing, List<String> warnings) {
    Team team = teamsByTier.get(row.tier());
    String keyAlias = row.email();
    Instant now = clock.instant();
    Optional<User> found = admin.user(row.email());
    if (found.isEmpty()) {
      admin.createUser(newUser(row, team));
      IssuedKey k = admin.generateKey(keySpec(row.email(), team, keyAlias));
      keys.write(row, k, "created", now);
      return Outcome.CREATED;
    }
    User user = found.get();
    if (!user.teamId().equals(Optional.of(team.id()))) {
      warnings.add(
          "line "
              + row.line()
              + ": "
              + row.email()
              + " is in team "
              + user.teamId().orElse("(none)")
              + ", the CSV says "
              + row.tier()
              + "; not changed (move users with the admin API)");
    }
    List<VirtualKey> owned =
        admin
            .keys(
                new KeyQuery(
                    Optional.of(user.id()),
                    Optional.empty(),
                    Optional.empty(),
                    PageRequest.first(100)))
            .items();
    if (owned.isEmpty()) {
      IssuedKey k = admin.generateKey(keySpec(user.id(), team, keyAlias));
      keys.write(row, k, "issued", now);
      existing.add(row.email() + ": existed without a key; issued one");
      return Outcome.KEY_ISSUED;
    }
    VirtualKey key =
        owned.stream()
            .filter(k -> k.alias().equals(Optional.of(keyAlias)))
            .findFirst()
            .orElse(owned.getFirst());
    if (rotate) {
      IssuedKey k = admin.rotate(key.id(), Optional.empty());
      keys.write(row, k, "rotated", now);
      existing.add(
          row.email() + ": existed; key " + key.id() + " rotated (the old secret no longer works)");
      return Outcome.ROTATED;
    }
    existing.add(
        row.email()
            + ": exists with key "
            + key.id()
            + " ("
            + key.displayPrefix()
            + "); no new key");
    return Outcome.EXISTS;
  }

  private static UserSpec newUser(OnboardingRow row, Team team) {
    List<BudgetLimit> budgets =
        row.dailyBudget().map(m -> List.of(BudgetLimit.daily(m))).orElse(List.of());
    return new UserSpec(
        Optional.of(row.email()),
        Optional.of(row.email()),
        row.alias(),
        Optional.of(team.id()),
        UserRole.INTERNAL_USER,
        List.of(),
        budgets,
        RateLimits.NONE.withRpm(row.rpm()),
        Map.of());
  }

  private static KeySpec keySpec(String userId, Team team, String alias) {
    return KeySpec.forUser(userId).withTeam(team.id()).withAlias(alias);
  }
}

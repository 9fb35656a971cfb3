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
import io.llmgateway.core.identity.UserQuery;
import io.llmgateway.core.identity.UserRole;
import io.llmgateway.core.identity.VirtualKey;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Onboards validated rows through the admin operations: a new user (id = email, team = tier, the
 * CSV's alias, daily budget and rpm overrides) gets one key, written to the key file at once. An
 * existing user is reported and left alone; they get a key only if they have none, or a new secret
 * for their key with {@code rotate}. So a re-run changes nothing, and a run interrupted between
 * creating a user and its key is completed by the next run. One {@link #run} at a time; it runs its
 * own worker threads.
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
  private final int jobs;
  private Snapshot snapshot;

  public Onboarder(
      Admin admin,
      Map<String, Team> teamsByTier,
      Clock clock,
      boolean rotate,
      KeyFile keys,
      Progress progress,
      int jobs) {
    if (jobs < 1) {
      throw new IllegalArgumentException("--jobs must be 1 or more");
    }
    this.admin = admin;
    this.teamsByTier = Map.copyOf(teamsByTier);
    this.clock = clock;
    this.rotate = rotate;
    this.keys = keys;
    this.progress = progress;
    this.jobs = jobs;
  }

  /**
   * Onboards {@code rows} with {@code jobs} workers. Rows are independent (emails are unique after
   * validation), and concurrent commits share PostgreSQL's WAL flushes, which is what makes 10,000
   * rows fast. A database failure stops every worker and is rethrown.
   */
  public Result run(List<OnboardingRow> rows) {
    snapshot = Snapshot.read(admin);
    Map<Outcome, Integer> counts = new ConcurrentHashMap<>();
    Map<Integer, String> existing = new ConcurrentSkipListMap<>();
    Map<Integer, String> warnings = new ConcurrentSkipListMap<>();
    Map<Integer, RowProblem> failures = new ConcurrentSkipListMap<>();
    AtomicInteger next = new AtomicInteger();
    AtomicInteger done = new AtomicInteger();
    AtomicReference<RuntimeException> fatal = new AtomicReference<>();
    Runnable worker =
        () -> {
          for (int i = next.getAndIncrement();
              i < rows.size() && fatal.get() == null;
              i = next.getAndIncrement()) {
            OnboardingRow row = rows.get(i);
            Outcome o;
            try {
              o = onboard(row, existing, warnings);
            } catch (GatewayException | IllegalArgumentException e) {
              if (e instanceof StorageUnavailableException) {
                fatal.compareAndSet(null, e); // the database is gone: the summary would be a lie
                return;
              }
              failures.put(
                  row.line(), new RowProblem(row.line(), row.email() + ": " + e.getMessage()));
              o = Outcome.FAILED;
            } catch (RuntimeException e) {
              fatal.compareAndSet(null, e);
              return;
            }
            counts.merge(o, 1, Integer::sum);
            progress.update(done.incrementAndGet());
          }
        };
    List<Thread> threads = new ArrayList<>();
    for (int t = 0; t < Math.min(jobs, Math.max(1, rows.size())); t++) {
      threads.add(Thread.ofPlatform().name("onboard-" + t).start(worker));
    }
    for (Thread t : threads) {
      try {
        t.join();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        fatal.compareAndSet(null, new IllegalStateException("interrupted", e));
      }
    }
    if (fatal.get() != null) {
      throw fatal.get();
    }
    progress.finish();
    return new Result(
        new EnumMap<>(counts.isEmpty() ? Map.of() : counts),
        List.copyOf(existing.values()),
        List.copyOf(warnings.values()),
        List.copyOf(failures.values()));
  }

  private Outcome onboard(
      OnboardingRow row, Map<Integer, String> existing, Map<Integer, String> warnings) {
    Team team = teamsByTier.get(row.tier());
    String keyAlias = row.email();
    Instant now = clock.instant();
    Optional<User> found = Optional.ofNullable(snapshot.users().get(row.email()));
    if (found.isEmpty()) {
      admin.createUser(newUser(row, team));
      IssuedKey k = admin.generateKey(keySpec(row.email(), team, keyAlias));
      keys.write(row, k, "created", now);
      return Outcome.CREATED;
    }
    User user = found.get();
    if (!user.teamId().equals(Optional.of(team.id()))) {
      warnings.put(
          row.line(),
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
    List<VirtualKey> owned = snapshot.keysByUser().getOrDefault(user.id(), List.of());
    if (owned.isEmpty()) {
      IssuedKey k = admin.generateKey(keySpec(user.id(), team, keyAlias));
      keys.write(row, k, "issued", now);
      existing.put(row.line(), row.email() + ": existed without a key; issued one");
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
      existing.put(
          row.line(),
          row.email() + ": existed; key " + key.id() + " rotated (the old secret no longer works)");
      return Outcome.ROTATED;
    }
    existing.put(
        row.line(),
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
    return KeySpec.builder().userId(userId).teamId(team.id()).alias(alias).build();
  }

  /**
   * Existing users and their keys, read page by page once before the run instead of two look-ups
   * per row (a re-run of 10,000 rows would otherwise make 20,000 round trips). A user created by
   * someone else during the run makes that row fail with a conflict, never a duplicate.
   */
  record Snapshot(Map<String, User> users, Map<String, List<VirtualKey>> keysByUser) {
    static Snapshot read(Admin admin) {
      Map<String, User> users = new java.util.HashMap<>();
      for (int page = 1; ; page++) {
        var p = admin.users(UserQuery.all(new PageRequest(page, PageRequest.MAX_SIZE)));
        p.items().forEach(u -> users.put(u.id(), u));
        if (p.items().isEmpty() || page >= p.totalPages()) {
          break;
        }
      }
      Map<String, List<VirtualKey>> keys = new java.util.HashMap<>();
      for (int page = 1; ; page++) {
        var p = admin.keys(KeyQuery.all(new PageRequest(page, PageRequest.MAX_SIZE)));
        for (VirtualKey k : p.items()) {
          k.userId().ifPresent(u -> keys.computeIfAbsent(u, x -> new ArrayList<>()).add(k));
        }
        if (p.items().isEmpty() || page >= p.totalPages()) {
          break;
        }
      }
      return new Snapshot(users, keys);
    }
  }
}

package io.llmgateway.cli.commands;

import io.llmgateway.cli.CliException;
import io.llmgateway.cli.ExitCode;
import io.llmgateway.cli.onboard.KeyFile;
import io.llmgateway.cli.onboard.Onboarder;
import io.llmgateway.cli.onboard.Onboarder.Outcome;
import io.llmgateway.cli.onboard.OnboardingCsv;
import io.llmgateway.cli.onboard.OnboardingFile;
import io.llmgateway.cli.onboard.OnboardingRow;
import io.llmgateway.cli.onboard.Progress;
import io.llmgateway.cli.onboard.RowProblem;
import io.llmgateway.core.identity.Team;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code gateway-admin users onboard --csv users.csv --out keys.csv}: the seed's bulk onboarding,
 * validated in full before anything changes, idempotent on re-runs.
 */
@Command(
    name = "onboard",
    description = {
      "Onboards users from the seed's CSV (email,tier,alias,budget,rpm): one user per row (id ="
          + " email, team = tier) and one virtual key each, written only to --out.",
      "The whole file is validated first; if any row is bad, every bad row is reported and nothing"
          + " changes (unless --skip-invalid). Re-runs report existing users and give them no"
          + " second key (unless --rotate)."
    },
    sortOptions = false)
final class OnboardCommand extends BaseCommand {
  @Override
  boolean worksOverApi() {
    return true;
  }

  @Override
  boolean changesData() {
    return true;
  }

  private static final int LISTED = 50;

  @Option(names = "--csv", required = true, paramLabel = "FILE", description = "Users to onboard.")
  Path csv;

  @Option(
      names = "--out",
      required = true,
      paramLabel = "FILE",
      description =
          "Where new keys go: a CSV created with mode 0600 (appended to if it exists and is"
              + " owner-only); '-' prints keys to stdout.")
  String out;

  @Option(
      names = "--skip-invalid",
      description = "Onboard the valid rows even if some are bad (exit code stays 1).")
  boolean skipInvalid;

  @Option(
      names = "--rotate",
      description = "Give existing users' keys a new secret (the old one stops working).")
  boolean rotate;

  @Option(names = "--dry-run", description = "Validate and show what would happen; change nothing.")
  boolean dryRun;

  @Option(
      names = "--progress",
      negatable = true,
      description = "Progress bar on stderr (default: only on a terminal).")
  Boolean progress;

  @Option(
      names = {"-j", "--jobs"},
      paramLabel = "N",
      defaultValue = "8",
      description = "Rows onboarded in parallel (default ${DEFAULT-VALUE}; one connection each).")
  int jobs;

  @Option(
      names = {"-v", "--verbose"},
      description = "List every existing user, not only the first " + LISTED + ".")
  boolean verbose;

  @Override
  int execute() throws IOException {
    if (jobs < 1 || jobs > 64) {
      throw CliException.usage("--jobs must be between 1 and 64");
    }
    root().requirePoolSize(jobs + 1);
    Map<String, Team> teams = teamsByTier();
    OnboardingFile file = read(resolve(csv), teams);
    PrintWriter report = "-".equals(out) ? err() : out();

    for (RowProblem p : file.problems()) {
      err().println((skipInvalid ? "skipped " : "invalid ") + p);
    }
    if (!file.isValid() && !skipInvalid) {
      err()
          .printf(
              "%s; nothing was changed. Fix %s%n",
              file.invalidSummary(),
              file.headerValid()
                  ? "them, or re-run with --skip-invalid to onboard the "
                      + file.valid().size()
                      + " valid rows."
                  : "the header: email,tier,alias,budget,rpm (email and tier required).");
      return ExitCode.VALIDATION;
    }
    if (dryRun) {
      return dryRun(file, report);
    }

    boolean showProgress = progress != null ? progress : environment().stderrIsTerminal();
    Onboarder.Result result;
    String destination;
    int written;
    try (KeyFile keys =
        "-".equals(out) ? KeyFile.stdout(out()) : KeyFile.open(resolve(Path.of(out)))) {
      Onboarder onboarder =
          new Onboarder(
              admin(),
              teams,
              environment().clock(),
              rotate,
              keys,
              new Progress(err(), showProgress, file.valid().size()),
              jobs);
      result = onboarder.run(file.valid());
      destination = "-".equals(out) ? keys.description() : out;
      written = keys.written();
    }

    List<String> existing = result.existing();
    int shown = verbose ? existing.size() : Math.min(LISTED, existing.size());
    for (String line : existing.subList(0, shown)) {
      report.println("existing " + line);
    }
    if (shown < existing.size()) {
      report.println(
          "... and " + (existing.size() - shown) + " more existing users (--verbose lists all)");
    }
    result.warnings().forEach(w -> err().println("warning: " + w));
    result.failures().forEach(f -> err().println("failed " + f));

    report.printf(
        "onboarded %d rows: %d users created, %d existing unchanged, %d existing given a first key,"
            + " %d keys rotated, %d failed, %d invalid rows skipped%n",
        file.valid().size(),
        result.count(Outcome.CREATED),
        result.count(Outcome.EXISTS),
        result.count(Outcome.KEY_ISSUED),
        result.count(Outcome.ROTATED),
        result.count(Outcome.FAILED),
        file.invalidLines());
    report.printf(
        "%d new keys written to %s%s%n",
        written,
        destination,
        "-".equals(out)
            ? ""
            : " (owner-only, mode 0600): hand each key to its user, then delete the file");
    report.flush();
    return file.isValid() && result.failures().isEmpty() ? ExitCode.OK : ExitCode.VALIDATION;
  }

  private int dryRun(OnboardingFile file, PrintWriter report) {
    int fresh = 0;
    int existing = 0;
    for (OnboardingRow row : file.valid()) {
      if (admin().user(row.email()).isPresent()) {
        existing++;
      } else {
        fresh++;
      }
    }
    report.printf(
        "dry run, nothing changed: %d valid rows: %d users to create (one key each), %d already exist"
            + " (%s), %d invalid rows%n",
        file.valid().size(),
        fresh,
        existing,
        rotate ? "their keys would be rotated" : "no new key",
        file.invalidLines());
    return file.isValid() ? ExitCode.OK : ExitCode.VALIDATION;
  }

  /** Teams by tier name, alias and id (lower case), as the CSV's tier column may name them. */
  private Map<String, Team> teamsByTier() {
    Map<String, Team> byName = new HashMap<>();
    Paging.each(
        100_000,
        page -> admin().teams(page),
        t -> {
          byName.putIfAbsent(t.id().toLowerCase(Locale.ROOT), t);
          byName.putIfAbsent(t.alias().toLowerCase(Locale.ROOT), t);
          t.tier().ifPresent(tier -> byName.put(tier.toLowerCase(Locale.ROOT), t));
        });
    return byName;
  }

  private static OnboardingFile read(Path path, Map<String, Team> teams) throws IOException {
    try (Reader r = Files.newBufferedReader(path, StandardCharsets.UTF_8)) {
      return OnboardingCsv.read(r, teams.keySet());
    } catch (NoSuchFileException e) {
      throw CliException.validation(path + ": file not found");
    } catch (java.nio.charset.MalformedInputException e) {
      throw CliException.validation(path + ": not UTF-8 text; save the CSV as UTF-8");
    }
  }
}

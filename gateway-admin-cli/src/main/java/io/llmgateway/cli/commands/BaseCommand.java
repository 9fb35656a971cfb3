package io.llmgateway.cli.commands;

import io.llmgateway.cli.CliEnvironment;
import io.llmgateway.cli.CliException;
import io.llmgateway.cli.ExitCode;
import io.llmgateway.cli.RootCommand;
import io.llmgateway.cli.admin.Admin;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * What every leaf command shares: its output streams, the environment and the admin operations of
 * the invocation's {@link RootCommand}. Not thread-safe: one instance per invocation.
 */
abstract class BaseCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  RootCommand root() {
    return (RootCommand) spec.root().userObject();
  }

  CliEnvironment environment() {
    return root().environment();
  }

  Admin admin() {
    return root().admin();
  }

  /** The id of the team named by {@code idOrAlias} (a --team option), if one was given. */
  java.util.Optional<String> teamIdOption(String idOrAlias) {
    return java.util.Optional.ofNullable(idOrAlias)
        .map(
            t ->
                admin()
                    .team(t)
                    .orElseThrow(() -> CliException.validation("no team '" + t + "'"))
                    .id());
  }

  PrintWriter out() {
    return spec.commandLine().getOut();
  }

  PrintWriter err() {
    return spec.commandLine().getErr();
  }

  Path resolve(Path p) {
    return environment().resolve(p);
  }

  /** The flag's file, else the file the server reads ({@code env}), else {@code fallback}. */
  Path configFile(Path flag, String env, String fallback) {
    if (flag != null) {
      return resolve(flag);
    }
    return resolve(Path.of(environment().get(env).orElse(fallback)));
  }

  @Override
  public final Integer call() throws Exception {
    root().changesData(changesData());
    if (root().apiUrl().isPresent() && !worksOverApi()) {
      throw CliException.usage(
          "'"
              + spec.qualifiedName()
              + "' works only on the database (DATABASE_URL / --database-url), not over the"
              + " admin API: unset GATEWAY_URL / drop --url");
    }
    int code = execute();
    out().flush();
    err().flush();
    return code;
  }

  /**
   * Whether the command changes data (then opening the database migrates it first); read-only by
   * default, so a command that forgets to say never migrates a schema as a side effect.
   */
  boolean changesData() {
    return false;
  }

  /**
   * Whether the command works over the admin API (--url) with the same output as on the database;
   * the others refuse the API mode up front rather than half-work.
   */
  boolean worksOverApi() {
    return false;
  }

  /** Runs the command; returns an {@link ExitCode}. */
  abstract int execute() throws Exception;

  static int ok() {
    return ExitCode.OK;
  }
}

package io.llmgateway.cli.testing;

import java.io.IOException;
import java.nio.file.Path;

/** The harness every command test runs against. */
public final class Harnesses {
  private Harnesses() {}

  public static CliHarness create(Path workDir) throws IOException {
    return CliHarness.onPostgres(workDir);
  }
}

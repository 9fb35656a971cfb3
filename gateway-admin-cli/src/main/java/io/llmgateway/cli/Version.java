package io.llmgateway.cli;

import java.io.IOException;
import java.io.InputStream;
import java.util.Optional;
import java.util.Properties;
import picocli.CommandLine.IVersionProvider;

/**
 * The version and the commit the jar was built from ({@code io/llmgateway/cli/git.properties},
 * written at build time by git-commit-id-maven-plugin): {@code gateway-admin 0.1.0-SNAPSHOT (commit
 * 1a2b3c...)}, or {@code commit unknown} when it was not built from a git checkout. Stateless.
 */
final class Version implements IVersionProvider {
  @Override
  public String[] getVersion() {
    Properties git = git();
    String version =
        Optional.ofNullable(git.getProperty("git.build.version"))
            .or(() -> Optional.ofNullable(Version.class.getPackage().getImplementationVersion()))
            .orElse("development build");
    String commit = git.getProperty("git.commit.id.full", "unknown");
    return new String[] {"gateway-admin " + version + " (commit " + commit + ")"};
  }

  private static Properties git() {
    Properties p = new Properties();
    try (InputStream in = Version.class.getResourceAsStream("git.properties")) {
      if (in != null) {
        p.load(in);
      }
    } catch (IOException e) {
      // No build information: the version says so.
    }
    return p;
  }
}

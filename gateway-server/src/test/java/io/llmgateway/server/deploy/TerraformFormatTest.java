package io.llmgateway.server.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * {@code terraform fmt -check -recursive terraform/}, when the {@code terraform} binary is on the
 * PATH. Skipped with a message otherwise: a developer without Terraform can still build. Only fmt
 * runs here: {@code init}/{@code validate} need the provider plugins, which this test does not
 * download (docs/DEPLOYMENT.md says how to validate).
 */
class TerraformFormatTest {

  @Test
  void terraformFilesAreCanonicallyFormatted() throws IOException, InterruptedException {
    Optional<Path> terraform = onPath("terraform");
    assumeTrue(
        terraform.isPresent(),
        "terraform is not on the PATH: skipping `terraform fmt -check -recursive` "
            + "(install Terraform >= 1.5 to run it)");
    Path dir = TerraformTree.repositoryRoot().resolve("terraform");

    ProcessBuilder pb =
        new ProcessBuilder(
                terraform.get().toString(),
                "fmt",
                "-check",
                "-recursive",
                "-diff",
                "-no-color",
                dir.toString())
            .redirectErrorStream(true);
    pb.environment().put("CHECKPOINT_DISABLE", "1"); // no version check over the network
    Process process = pb.start();
    process.getOutputStream().close();
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(process.waitFor(60, TimeUnit.SECONDS)).as("terraform fmt finished").isTrue();

    assertThat(process.exitValue())
        .as(
            "terraform fmt -check -recursive reports unformatted files; run `terraform fmt -recursive terraform`:%n%s",
            output)
        .isZero();
  }

  private static Optional<Path> onPath(String name) {
    String path = System.getenv().getOrDefault("PATH", "");
    return Stream.of(path.split(File.pathSeparator))
        .filter(s -> !s.isBlank())
        .map(s -> Path.of(s, name))
        .filter(Files::isExecutable)
        .findFirst();
  }
}

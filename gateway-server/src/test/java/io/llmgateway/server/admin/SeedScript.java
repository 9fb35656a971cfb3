package io.llmgateway.server.admin;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Runs src/test/resources/seed/seed-readme.sh (the seed README's curl commands, verbatim) against a
 * server and collects each call's status and body by its step label.
 */
final class SeedScript {
  record Call(String label, int status, String body, JsonNode json) {}

  /** What one run produced: the calls by label and the script's own output. */
  record Run(Map<String, Call> calls, String output) {
    Call call(String label) {
      assertThat(calls).as(output).containsKey(label);
      return calls.get(label);
    }
  }

  private SeedScript() {}

  static Run run(String url, String masterKey, Path out) throws Exception {
    Path script = Path.of("src/test/resources/seed/seed-readme.sh").toAbsolutePath();
    ProcessBuilder pb = new ProcessBuilder("bash", script.toString()).redirectErrorStream(true);
    pb.environment().put("LITELLM_URL", url);
    pb.environment().put("LITELLM_MASTER_KEY", masterKey);
    pb.environment().put("SEED_OUT", out.toString());
    pb.environment().remove("USER_API_KEY");
    Process p = pb.start();
    String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(120, TimeUnit.SECONDS)).as("script finished").isTrue();
    assertThat(p.exitValue()).as(output).isZero();
    List<Path> labels;
    try (Stream<Path> files = Files.list(out)) {
      labels = files.filter(f -> f.toString().endsWith(".label")).sorted().toList();
    }
    Map<String, Call> calls = new LinkedHashMap<>();
    for (Path l : labels) {
      String id = l.getFileName().toString().replace(".label", "");
      String label = Files.readString(l).strip();
      String body = Files.readString(out.resolve(id + ".body"));
      int status = Integer.parseInt(Files.readString(out.resolve(id + ".status")).strip());
      calls.put(label, new Call(label, status, body, parse(body)));
    }
    return new Run(calls, output);
  }

  private static JsonNode parse(String body) {
    try {
      return AdminTestServer.JSON.readTree(body);
    } catch (IOException e) {
      return null;
    }
  }
}

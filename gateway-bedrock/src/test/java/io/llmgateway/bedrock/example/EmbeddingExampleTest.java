package io.llmgateway.bedrock.example;

import static org.assertj.core.api.Assertions.assertThat;

import io.llmgateway.core.chat.ChatResponse;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

class EmbeddingExampleTest {

  @Test
  void theReadmeEmbeddingExampleRunsAndAnswers() {
    ChatResponse answer = EmbeddingExample.run();

    assertThat(answer.text()).isPresent();
    assertThat(answer.usage().totalTokens()).isPositive();
  }

  @Test
  void theReadmeShowsExactlyTheCodeThatRuns() throws IOException {
    Path root = Path.of("").toAbsolutePath();
    while (!Files.exists(root.resolve("README.md"))) {
      root = root.getParent();
    }
    String source =
        Files.readString(
            root.resolve(
                "gateway-bedrock/src/test/java/io/llmgateway/bedrock/example/EmbeddingExample.java"));
    String example = between(source, "// README-EXAMPLE-START\n", "    // README-EXAMPLE-END");
    String readme = Files.readString(root.resolve("README.md"));

    assertThat(normalize(readme)).contains(normalize(example));
    // The README shows a complete program: its imports are exactly the ones this code needs.
    String readmeProgram =
        between(readme, "<!-- embedding-consumer: EmbeddingExample.java", "\n```\n");
    assertThat(imports(readmeProgram)).isEqualTo(imports(source));
  }

  private static List<String> imports(String code) {
    return code.lines().filter(l -> l.startsWith("import ")).toList();
  }

  private static String between(String text, String start, String end) {
    int from = text.indexOf(start) + start.length();
    return text.substring(from, text.indexOf(end, from));
  }

  /** Indentation differs between the method body and the README block. */
  private static String normalize(String text) {
    return text.lines()
        .map(String::strip)
        .filter(l -> !l.isEmpty())
        .reduce("", (a, b) -> a + b + "\n");
  }
}

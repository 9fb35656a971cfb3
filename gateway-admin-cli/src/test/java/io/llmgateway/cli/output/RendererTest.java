package io.llmgateway.cli.output;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class RendererTest {

  @Test
  void csvCellsNeverStartAFormulaWhateverTheSpreadsheetSplitsOn() {
    // Names come from admins and clients; a locale that splits on ';' or tab ignores CSV quoting.
    Table t =
        new Table("user", "model").row("erin;=1+41;", "=HYPERLINK(\"x\")").row("@SUM(A1)", "ok");

    String csv = Renderer.csv(t);

    assertThat(csv).contains("erin;'=1+41;").contains("'=HYPERLINK").contains("'@SUM(A1)");
    assertThat(csv).doesNotContainPattern("(^|[,;\\t\\n\"])[=+@]");
  }
}

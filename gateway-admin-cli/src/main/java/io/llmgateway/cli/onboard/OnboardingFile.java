package io.llmgateway.cli.onboard;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * An onboarding CSV after validation: the valid rows, and a problem for every bad line (a line can
 * have several). {@code invalidLines} counts rows, not problems; {@code dataRows} counts the rows
 * after the header. Immutable and thread-safe.
 */
public record OnboardingFile(
    int dataRows, boolean headerValid, List<OnboardingRow> valid, List<RowProblem> problems) {
  public OnboardingFile {
    valid = List.copyOf(valid);
    List<RowProblem> sorted = new ArrayList<>(problems);
    Collections.sort(sorted);
    problems = List.copyOf(sorted);
  }

  public boolean isValid() {
    return problems.isEmpty();
  }

  /** Data rows with at least one problem (the header is not a data row). */
  public long invalidLines() {
    return headerValid ? problems.stream().mapToInt(RowProblem::line).distinct().count() : 0;
  }

  /**
   * Why nothing was changed, counting data rows (lines after the header, blank lines not counted):
   * {@code 3 of 10 rows are invalid (4 problems)}, or that the header is.
   */
  public String invalidSummary() {
    if (!headerValid) {
      return "the header (line "
          + problems.get(0).line()
          + ") is invalid, so none of the "
          + dataRows
          + " data rows were read";
    }
    return invalidLines()
        + " of "
        + dataRows
        + " rows are invalid ("
        + problems.size()
        + (problems.size() == 1 ? " problem)" : " problems)");
  }
}

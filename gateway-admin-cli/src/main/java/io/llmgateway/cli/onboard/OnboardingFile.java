package io.llmgateway.cli.onboard;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * An onboarding CSV after validation: the valid rows, and a problem for every bad line (a line can
 * have several). {@code invalidLines} counts lines, not problems. Immutable and thread-safe.
 */
public record OnboardingFile(int dataRows, List<OnboardingRow> valid, List<RowProblem> problems) {
  public OnboardingFile {
    valid = List.copyOf(valid);
    List<RowProblem> sorted = new ArrayList<>(problems);
    Collections.sort(sorted);
    problems = List.copyOf(sorted);
  }

  public boolean isValid() {
    return problems.isEmpty();
  }

  public long invalidLines() {
    return problems.stream().mapToInt(RowProblem::line).distinct().count();
  }
}

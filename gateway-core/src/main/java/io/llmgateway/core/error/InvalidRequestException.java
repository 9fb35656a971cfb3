package io.llmgateway.core.error;

import java.util.List;
import java.util.Optional;

/**
 * The request is malformed. It carries every problem found (one per field, at least one): the first
 * is the exception's message and {@link #param()}, so callers that show one line keep working,
 * while forms and the admin API show them all at once.
 */
public final class InvalidRequestException extends GatewayException {
  private final List<Problem> problems;

  public InvalidRequestException(String message) {
    this(message, null);
  }

  /**
   * @param param the offending request field (OpenAI's {@code param}), or null when not one field
   */
  public InvalidRequestException(String message, String param) {
    this(List.of(Problem.of(param, message)));
  }

  /** Several problems at once; the first is the message and param. */
  public InvalidRequestException(List<Problem> problems) {
    super(first(problems).message());
    this.problems = List.copyOf(problems);
  }

  private static Problem first(List<Problem> problems) {
    if (problems.isEmpty()) {
      throw new IllegalArgumentException("an invalid request needs at least one problem");
    }
    return problems.getFirst();
  }

  public Optional<String> param() {
    return problems.getFirst().param();
  }

  /** Every problem found, in the order they were found; never empty. */
  public List<Problem> problems() {
    return problems;
  }

  @Override
  public String code() {
    return "invalid_request";
  }
}

package io.llmgateway.core.error;

import java.util.List;
import java.util.stream.Collectors;

/**
 * The caller is authenticated but may not do this (e.g. a user key calling an admin route). It may
 * name every field that asked for more than the caller may give at once ({@link #problems}), so a
 * form can show each next to its input; the message lists them all.
 */
public final class PermissionDeniedException extends GatewayException {
  private final List<Problem> problems;

  public PermissionDeniedException(String message) {
    super(message);
    this.problems = List.of(new Problem(java.util.Optional.empty(), message));
  }

  /** Several refusals at once, each about its field; the message joins them. */
  public PermissionDeniedException(List<Problem> problems) {
    super(problems.stream().map(Problem::message).collect(Collectors.joining("; ")));
    if (problems.isEmpty()) {
      throw new IllegalArgumentException("a refusal needs at least one problem");
    }
    this.problems = List.copyOf(problems);
  }

  /** What was refused, each with the field it is about when it is about one. */
  public List<Problem> problems() {
    return problems;
  }

  @Override
  public String code() {
    return "permission_denied";
  }
}

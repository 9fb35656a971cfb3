package io.llmgateway.core.admin;

import io.llmgateway.core.error.InvalidRequestException;
import io.llmgateway.core.error.Problem;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * Collects what is wrong with one admin command (a form, a request body) so the caller hears every
 * problem at once instead of fixing them one round trip at a time. At most one problem per field:
 * the first found wins (a field that failed to parse is not also reported "required" by the record
 * built without it). To add a check, call {@link #add} from it, or run a throwing check through
 * {@link #check}; {@link #build} ends the collection. Not thread-safe: one per command.
 */
public final class Problems {
  private final List<Problem> found = new ArrayList<>();

  /** Records that {@code param} is wrong, unless it already has a problem. */
  public Problems add(String param, String message) {
    if (param == null || !has(param)) {
      found.add(Problem.of(param, message));
    }
    return this;
  }

  /** Records every problem of {@code e} (see {@link #add}). */
  public Problems addAll(InvalidRequestException e) {
    e.problems().forEach(p -> add(p.param().orElse(null), p.message()));
    return this;
  }

  public boolean has(String param) {
    return found.stream().anyMatch(p -> p.param().filter(param::equals).isPresent());
  }

  public boolean isEmpty() {
    return found.isEmpty();
  }

  public List<Problem> list() {
    return List.copyOf(found);
  }

  /** Runs a check that throws; its refusal is recorded and the answer is empty. */
  public <T> Optional<T> check(Supplier<T> check) {
    try {
      return Optional.ofNullable(check.get());
    } catch (InvalidRequestException e) {
      addAll(e);
      return Optional.empty();
    }
  }

  /** Throws one exception listing every problem, if there is any. */
  public void throwIfAny() {
    if (!found.isEmpty()) {
      throw new InvalidRequestException(found);
    }
  }

  /**
   * Builds the command unless anything is wrong: the problems recorded so far and those the
   * command's own validation finds are thrown together.
   */
  public <T> T build(Supplier<T> command) {
    Optional<T> built = check(command);
    throwIfAny();
    return built.orElseThrow();
  }
}

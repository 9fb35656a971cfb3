package io.llmgateway.core.identity;

import java.util.List;
import java.util.Optional;

/**
 * The port for the named operators of the admin UI ({@link Operator}), keyed by their normalized
 * name. A handful of rows, so listing is not paged. Implementations are thread-safe.
 */
public interface OperatorStore {

  /** Every operator, by name. */
  List<Operator> list();

  /** The operator with this name ({@link Operator#normalize normalized} by the caller). */
  Optional<Operator> find(String name);

  /** Adds an operator ({@code ConflictException} if the name exists). */
  void insert(Operator operator);

  /** Replaces an operator's grant ({@code NotFoundException} if the name does not exist). */
  void update(Operator operator);

  /** Removes an operator; false if there was none. */
  boolean delete(String name);
}

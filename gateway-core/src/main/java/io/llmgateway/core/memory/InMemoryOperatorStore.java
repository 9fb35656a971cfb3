package io.llmgateway.core.memory;

import io.llmgateway.core.error.ConflictException;
import io.llmgateway.core.error.NotFoundException;
import io.llmgateway.core.identity.Operator;
import io.llmgateway.core.identity.OperatorStore;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ConcurrentSkipListMap;

/** Named operators in this process's memory. Thread-safe (a concurrent sorted map). */
final class InMemoryOperatorStore implements OperatorStore {
  private final ConcurrentSkipListMap<String, Operator> operators = new ConcurrentSkipListMap<>();

  @Override
  public List<Operator> list() {
    return List.copyOf(operators.values());
  }

  @Override
  public Optional<Operator> find(String name) {
    return Optional.ofNullable(operators.get(name));
  }

  @Override
  public void insert(Operator operator) {
    if (operators.putIfAbsent(operator.name(), operator) != null) {
      throw new ConflictException("operator '" + operator.name() + "' already exists");
    }
  }

  @Override
  public void update(Operator operator) {
    if (operators.computeIfPresent(operator.name(), (k, v) -> operator) == null) {
      throw new NotFoundException("operator '" + operator.name() + "' does not exist");
    }
  }

  @Override
  public boolean delete(String name) {
    return operators.remove(name) != null;
  }
}

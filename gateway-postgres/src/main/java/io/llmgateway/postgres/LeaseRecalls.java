package io.llmgateway.postgres;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.llmgateway.core.InvalidationBus.Invalidation;
import io.llmgateway.core.budget.BudgetScope;
import io.llmgateway.core.budget.BudgetWindow;
import io.llmgateway.core.budget.CounterKey;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * A lease recall as a NOTIFY payload: {@code recall:} and a JSON array of counters, each {@code
 * [kind, id, window, period]} (a request draws on at most six counters, far below NOTIFY's 8,000
 * bytes). Stateless.
 */
final class LeaseRecalls {
  private static final String PREFIX = "recall:";
  private static final ObjectMapper MAPPER = new ObjectMapper();
  private static final TypeReference<List<List<String>>> ROWS = new TypeReference<>() {};

  private LeaseRecalls() {}

  static String encode(Invalidation.LeaseRecall recall) {
    List<List<String>> rows = new ArrayList<>(recall.counters().size());
    for (CounterKey k : recall.counters()) {
      rows.add(List.of(k.scope().kind().name(), k.scope().id(), k.window().name(), k.period()));
    }
    return PREFIX + Json.writeValue(rows);
  }

  /** The recall in {@code payload}, or empty if it is not one (or cannot be read). */
  static Optional<Invalidation> decode(String payload) {
    if (!payload.startsWith(PREFIX)) {
      return Optional.empty();
    }
    try {
      List<CounterKey> counters = new ArrayList<>();
      for (List<String> r : MAPPER.readValue(payload.substring(PREFIX.length()), ROWS)) {
        counters.add(
            new CounterKey(
                new BudgetScope(BudgetScope.Kind.valueOf(r.get(0)), r.get(1)),
                BudgetWindow.valueOf(r.get(2)),
                r.get(3)));
      }
      return Optional.of(new Invalidation.LeaseRecall(counters));
    } catch (Exception e) {
      return Optional.empty();
    }
  }
}

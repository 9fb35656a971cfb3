package io.llmgateway.core.contract;

import static io.llmgateway.core.testing.Fixtures.T0;
import static org.assertj.core.api.Assertions.assertThat;

import io.llmgateway.core.PageRequest;
import io.llmgateway.core.requestlog.Refusal;
import io.llmgateway.core.requestlog.RefusalLog;
import io.llmgateway.core.requestlog.RefusalQuery;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** What every {@link RefusalLog} must do. Subclass it with a factory for fresh, empty logs. */
public abstract class RefusalLogContract {

  protected abstract RefusalLog newLog();

  protected RefusalLog log;

  @BeforeEach
  void setUpLog() {
    log = newLog();
  }

  static Refusal refusal(
      String id, Instant at, String reason, String key, String user, String team) {
    return new Refusal(
        id,
        at,
        429,
        reason,
        Optional.of("daily user budget"),
        Optional.ofNullable(key),
        Optional.ofNullable(user),
        Optional.ofNullable(team),
        Optional.of("nova-micro"),
        Optional.of("203.0.113.7"),
        12);
  }

  static RefusalQuery query(PageRequest page) {
    return RefusalQuery.all(page);
  }

  @Test
  void keepsEveryFieldOfARefusal() {
    Refusal r = refusal("req-1", T0, "budget_exceeded", "key_a", "alice", "basic");
    log.append(List.of(r));

    assertThat(log.query(query(PageRequest.first(10))).items()).containsExactly(r);
  }

  @Test
  void keepsARefusalWithoutKeyUserTeamOrModel() {
    Refusal r =
        new Refusal(
            "req-2",
            T0,
            401,
            "invalid_api_key",
            Optional.empty(),
            Optional.empty(),
            Optional.empty(),
            Optional.empty(),
            Optional.empty(),
            Optional.empty(),
            0);
    log.append(List.of(r));

    assertThat(log.query(query(PageRequest.first(10))).items()).containsExactly(r);
  }

  @Test
  void listsNewestFirstAndPages() {
    List<Refusal> rows = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      rows.add(refusal("req-" + i, T0.plusSeconds(i), "rate_limit_exceeded", "k", "u", "t"));
    }
    log.append(rows);

    var first = log.query(query(new PageRequest(1, 2)));
    var third = log.query(query(new PageRequest(3, 2)));
    assertThat(first.total()).isEqualTo(5);
    assertThat(first.items()).extracting(Refusal::requestId).containsExactly("req-4", "req-3");
    assertThat(third.items()).extracting(Refusal::requestId).containsExactly("req-0");
  }

  @Test
  void filtersByKeyUserTeamModelReasonAndTime() {
    log.append(
        List.of(
            refusal("a", T0, "budget_exceeded", "k1", "alice", "basic"),
            refusal("b", T0.plusSeconds(60), "rate_limit_exceeded", "k2", "bob", "basic"),
            refusal("c", T0.plusSeconds(120), "model_not_allowed", "k3", "carol", "premium")));

    assertThat(ids(filter(Optional.of("k2"), none(), none(), none(), none(), null, null)))
        .containsExactly("b");
    assertThat(ids(filter(none(), Optional.of("alice"), none(), none(), none(), null, null)))
        .containsExactly("a");
    assertThat(ids(filter(none(), none(), Optional.of("basic"), none(), none(), null, null)))
        .containsExactly("b", "a");
    assertThat(ids(filter(none(), none(), none(), Optional.of("other"), none(), null, null)))
        .isEmpty();
    assertThat(
            ids(
                filter(
                    none(), none(), none(), none(), Optional.of("model_not_allowed"), null, null)))
        .containsExactly("c");
    assertThat(ids(filter(none(), none(), none(), none(), none(), T0.plusSeconds(60), null)))
        .containsExactly("c", "b");
    assertThat(ids(filter(none(), none(), none(), none(), none(), null, T0.plusSeconds(60))))
        .containsExactly("a");
  }

  @Test
  void purgesOnlyRowsOlderThanTheCutoffInBoundedBatches() {
    List<Refusal> rows = new ArrayList<>();
    for (int i = 0; i < 7; i++) {
      rows.add(refusal("old-" + i, T0.minusSeconds(100 + i), "invalid_api_key", null, null, null));
    }
    rows.add(refusal("new", T0, "invalid_api_key", null, null, null));
    log.append(rows);

    assertThat(log.purgeBefore(T0, 3)).isEqualTo(3);
    assertThat(log.purgeBefore(T0, 3)).isEqualTo(3);
    assertThat(log.purgeBefore(T0, 3)).isEqualTo(1);
    assertThat(log.purgeBefore(T0, 3)).isZero();
    assertThat(ids(log.query(query(PageRequest.first(10))).items())).containsExactly("new");
  }

  private static Optional<String> none() {
    return Optional.empty();
  }

  private List<Refusal> filter(
      Optional<String> key,
      Optional<String> user,
      Optional<String> team,
      Optional<String> model,
      Optional<String> reason,
      Instant from,
      Instant to) {
    return log.query(
            new RefusalQuery(
                key,
                user,
                team,
                model,
                reason,
                Optional.ofNullable(from),
                Optional.ofNullable(to),
                PageRequest.first(10)))
        .items();
  }

  private static List<String> ids(List<Refusal> rows) {
    return rows.stream().map(Refusal::requestId).toList();
  }
}

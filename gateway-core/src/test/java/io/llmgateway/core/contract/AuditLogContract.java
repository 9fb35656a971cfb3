package io.llmgateway.core.contract;

import static io.llmgateway.core.testing.Fixtures.T0;
import static org.assertj.core.api.Assertions.assertThat;

import io.llmgateway.core.PageRequest;
import io.llmgateway.core.Sort;
import io.llmgateway.core.Stores;
import io.llmgateway.core.audit.AuditEvent;
import io.llmgateway.core.audit.AuditLog;
import io.llmgateway.core.audit.AuditQuery;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** What every {@link AuditLog} must do. Subclass it with a factory for fresh, empty stores. */
public abstract class AuditLogContract {

  /** Fresh, empty stores for each test. */
  protected abstract Stores newStores();

  protected AuditLog audit;

  @BeforeEach
  void setUpStores() {
    audit = newStores().auditLog();
  }

  private static AuditEvent event(String id, int second, String type) {
    return new AuditEvent(
        id,
        T0.plusSeconds(second),
        "master",
        type + ".update",
        type,
        type + "-1",
        Map.of("alias", "before"),
        Map.of("alias", "after"));
  }

  @Test
  void listsEventsNewestFirst() {
    audit.append(event("e1", 1, "team"));
    audit.append(event("e2", 2, "key"));
    audit.append(event("e3", 3, "user"));

    var page = audit.list(Optional.empty(), PageRequest.first(10));

    assertThat(page.items()).extracting(AuditEvent::id).containsExactly("e3", "e2", "e1");
    assertThat(page.total()).isEqualTo(3);
  }

  @Test
  void roundTripsAnEventWithItsSnapshots() {
    AuditEvent e = event("e1", 1, "key");
    audit.append(e);

    assertThat(audit.list(Optional.empty(), PageRequest.first(10)).items()).containsExactly(e);
  }

  @Test
  void filtersByTargetType() {
    audit.append(event("e1", 1, "team"));
    audit.append(event("e2", 2, "key"));
    audit.append(event("e3", 3, "key"));

    var keys = audit.list(Optional.of("key"), PageRequest.first(10));

    assertThat(keys.items()).extracting(AuditEvent::id).containsExactly("e3", "e2");
    assertThat(keys.total()).isEqualTo(2);
  }

  @Test
  void pagesThroughEvents() {
    for (int i = 1; i <= 5; i++) {
      audit.append(event("e" + i, i, "team"));
    }

    var third = audit.list(Optional.empty(), new PageRequest(3, 2));

    assertThat(third.items()).extracting(AuditEvent::id).containsExactly("e1");
    assertThat(third.total()).isEqualTo(5);
  }

  private static AuditEvent event(
      String id, int second, String actor, String action, String type, String target) {
    return new AuditEvent(
        id, T0.plusSeconds(second), actor, action, type, target, Map.of(), Map.of());
  }

  private List<String> ids(AuditQuery.Builder query) {
    return audit.list(query.build()).items().stream().map(AuditEvent::id).toList();
  }

  private void appendMixed() {
    audit.append(event("e1", 1, "master", "team.create", "team", "Drafting"));
    audit.append(event("e2", 2, "ui:Ops@example.com", "key.block", "key", "key-100%_a"));
    audit.append(event("e3", 3, "key-admin-1", "user.update", "user", "alice"));
    audit.append(event("e4", 3, "master", "key.create", "key", "key-1000a"));
    audit.append(event("e5", 5, "ui:ops@example.com", "user.create", "user", "bob\\x!y"));
  }

  @Test
  void filtersByActorActionTargetTypeAndTimeRange() {
    appendMixed();
    PageRequest p = PageRequest.first(10);

    assertThat(ids(AuditQuery.builder(p).actor(Optional.of("master")))).containsExactly("e4", "e1");
    assertThat(ids(AuditQuery.builder(p).action(Optional.of("key.block")))).containsExactly("e2");
    assertThat(
            ids(
                AuditQuery.builder(p)
                    .targetType(Optional.of("key"))
                    .actor(Optional.of("ui:Ops@example.com"))))
        .containsExactly("e2");
    // from inclusive, to exclusive; equal instants keep append order, newest first.
    assertThat(
            ids(
                AuditQuery.builder(p)
                    .from(Optional.of(T0.plusSeconds(2)))
                    .to(Optional.of(T0.plusSeconds(5)))))
        .containsExactly("e4", "e3", "e2");
    var page =
        audit.list(AuditQuery.builder(new PageRequest(1, 2)).actor(Optional.of("master")).build());
    assertThat(page.total()).isEqualTo(2);
  }

  @Test
  void searchesActorActionAndTargetIdCaseInsensitivelyWithWildcardsTakenLiterally() {
    appendMixed();
    PageRequest p = PageRequest.first(10);

    assertThat(ids(AuditQuery.builder(p).search(Optional.of("OPS@EXAMPLE"))))
        .containsExactly("e5", "e2");
    assertThat(ids(AuditQuery.builder(p).search(Optional.of("  User.  "))))
        .containsExactly("e5", "e3");
    assertThat(ids(AuditQuery.builder(p).search(Optional.of("drafting")))).containsExactly("e1");
    // % and _ are characters, not LIKE wildcards; so are the backslash and the escape character.
    assertThat(ids(AuditQuery.builder(p).search(Optional.of("100%_")))).containsExactly("e2");
    assertThat(ids(AuditQuery.builder(p).search(Optional.of("%")))).containsExactly("e2");
    assertThat(ids(AuditQuery.builder(p).search(Optional.of("_")))).containsExactly("e2");
    assertThat(ids(AuditQuery.builder(p).search(Optional.of("\\x!")))).containsExactly("e5");
    assertThat(ids(AuditQuery.builder(p).search(Optional.of("!")))).containsExactly("e5");
    assertThat(audit.list(AuditQuery.builder(p).search(Optional.of("1000")).build()).total())
        .isEqualTo(1);
  }

  @Test
  void sortsByEveryFieldInBothDirectionsWithTiesNewestFirst() {
    appendMixed();
    PageRequest p = PageRequest.first(10);

    assertThat(ids(AuditQuery.builder(p).sort(Sort.asc(AuditQuery.By.TIME))))
        .containsExactly("e1", "e2", "e3", "e4", "e5");
    assertThat(ids(AuditQuery.builder(p).sort(Sort.desc(AuditQuery.By.TIME))))
        .containsExactly("e5", "e4", "e3", "e2", "e1");
    // By code point: upper case before lower case, as PostgreSQL's COLLATE "C".
    assertThat(ids(AuditQuery.builder(p).sort(Sort.asc(AuditQuery.By.ACTOR))))
        .containsExactly("e3", "e4", "e1", "e2", "e5");
    assertThat(ids(AuditQuery.builder(p).sort(Sort.desc(AuditQuery.By.ACTOR))))
        .containsExactly("e5", "e2", "e4", "e1", "e3");
    assertThat(ids(AuditQuery.builder(p).sort(Sort.asc(AuditQuery.By.ACTION))))
        .containsExactly("e2", "e4", "e1", "e5", "e3");
    assertThat(ids(AuditQuery.builder(p).sort(Sort.desc(AuditQuery.By.ACTION))))
        .containsExactly("e3", "e5", "e1", "e4", "e2");
    // Target: type, then id.
    assertThat(ids(AuditQuery.builder(p).sort(Sort.asc(AuditQuery.By.TARGET))))
        .containsExactly("e2", "e4", "e1", "e3", "e5");
    assertThat(ids(AuditQuery.builder(p).sort(Sort.desc(AuditQuery.By.TARGET))))
        .containsExactly("e5", "e3", "e1", "e4", "e2");
  }

  @Test
  void pagesStablyInASortWithTies() {
    for (int i = 1; i <= 5; i++) {
      audit.append(event("t" + i, i, "master", "team.update", "team", "same"));
    }

    var sort = Sort.asc(AuditQuery.By.ACTOR);
    var first = audit.list(AuditQuery.builder(new PageRequest(1, 2)).sort(sort).build());
    var second = audit.list(AuditQuery.builder(new PageRequest(2, 2)).sort(sort).build());
    var third = audit.list(AuditQuery.builder(new PageRequest(3, 2)).sort(sort).build());

    assertThat(first.items()).extracting(AuditEvent::id).containsExactly("t5", "t4");
    assertThat(second.items()).extracting(AuditEvent::id).containsExactly("t3", "t2");
    assertThat(third.items()).extracting(AuditEvent::id).containsExactly("t1");
    assertThat(third.total()).isEqualTo(5);
  }
}

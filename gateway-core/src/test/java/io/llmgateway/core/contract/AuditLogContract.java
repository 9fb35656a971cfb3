package io.llmgateway.core.contract;

import static io.llmgateway.core.testing.Fixtures.T0;
import static org.assertj.core.api.Assertions.assertThat;

import io.llmgateway.core.PageRequest;
import io.llmgateway.core.Stores;
import io.llmgateway.core.audit.AuditEvent;
import io.llmgateway.core.audit.AuditLog;
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
}

package io.llmgateway.postgres;

import static io.llmgateway.postgres.TestData.NOW;
import static io.llmgateway.postgres.TestData.id;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.llmgateway.core.PageRequest;
import io.llmgateway.core.audit.AuditEvent;
import io.llmgateway.core.error.ConflictException;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class PostgresAuditLogTest extends PostgresTestBase {

  @Test
  void listsNewestFirstAndFiltersByTargetType() {
    AuditEvent older =
        new AuditEvent(
            id("ev"),
            NOW,
            "master",
            "team.create",
            "team",
            "t1",
            Map.of(),
            Map.of("alias", "coding", "models", java.util.List.of("a", "b")));
    AuditEvent newer =
        new AuditEvent(
            id("ev"),
            NOW.plusSeconds(1),
            "master",
            "key.block",
            "key",
            "k1",
            Map.of("blocked", false),
            Map.of("blocked", true));
    stores.auditLog().append(older);
    stores.auditLog().append(newer);

    assertThat(stores.auditLog().list(Optional.empty(), PageRequest.first(10)).items())
        .containsExactly(newer, older);
    var teams = stores.auditLog().list(Optional.of("team"), PageRequest.first(10));
    assertThat(teams.items()).containsExactly(older);
    assertThat(teams.total()).isEqualTo(1);
    assertThatThrownBy(() -> stores.auditLog().append(older)).isInstanceOf(ConflictException.class);
  }
}

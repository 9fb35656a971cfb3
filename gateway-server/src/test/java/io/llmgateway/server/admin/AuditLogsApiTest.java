package io.llmgateway.server.admin;

import static io.llmgateway.server.admin.AdminTestServer.MASTER;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.llmgateway.core.admin.UserSpec;
import io.llmgateway.core.identity.Grant;
import io.llmgateway.core.identity.Principal;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * {@code GET /audit/logs} filtered by actor, action, text and time and sorted, over real HTTP on
 * real PostgreSQL (LiteLLM's {@code changed_by}, {@code action}, {@code start_date}, {@code
 * end_date}, {@code sort_by}, {@code sort_order}, plus {@code search}). Before, the route knew only
 * {@code object_type} and refused the rest as unknown parameters.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class AuditLogsApiTest {
  private AdminTestServer s;

  @BeforeAll
  void start() {
    s = AdminTestServer.start();
    assertThat(s.post("/user/new", MASTER, "{\"user_id\":\"zeta-api\"}").status()).isEqualTo(200);
    assertThat(s.post("/user/new", MASTER, "{\"user_id\":\"alpha-api\"}").status()).isEqualTo(200);
    s.server
        .services()
        .gateway()
        .admin()
        .createUser(
            Principal.person("ops@example.com", new Grant.ProxyAdmin()),
            UserSpec.builder().userId("mid-api").build());
  }

  @AfterAll
  void stop() {
    s.close();
  }

  private List<String> ids(String query) {
    AdminTestServer.Answer a = s.get("/audit/logs" + query, MASTER);
    assertThat(a.status()).as(a.text()).isEqualTo(200);
    List<String> out = new ArrayList<>();
    for (JsonNode row : a.json().get("data")) {
      out.add(row.get("object_id").asText());
    }
    return out;
  }

  @Test
  void filtersByActorActionTextAndTimeAndSorts() {
    assertThat(ids("?search=-API&sort_by=object_id&sort_order=asc"))
        .containsExactly("alpha-api", "mid-api", "zeta-api");
    assertThat(ids("?search=-api&sort_by=object_id&sort_order=desc"))
        .containsExactly("zeta-api", "mid-api", "alpha-api");
    assertThat(ids("?changed_by=ui:ops@example.com")).containsExactly("mid-api");
    assertThat(ids("?action=user.create&table_name=user&search=api&sort_by=changed_by"))
        .containsExactly("mid-api", "alpha-api", "zeta-api");
    assertThat(ids("?search=api&start_date=2999-01-01")).isEmpty();
    assertThat(ids("?search=api&end_date=2000-01-01")).isEmpty();
    assertThat(ids("?search=api&start_date=2000-01-01T00:00:00Z&end_date=2999-01-01")).hasSize(3);
    assertThat(ids("?search=%25")).isEmpty();
  }

  @Test
  void refusesAnUnknownSortAndABadDate() {
    AdminTestServer.Answer sort = s.get("/audit/logs?sort_by=before_value", MASTER);
    assertThat(sort.status()).isEqualTo(400);
    assertThat(sort.param()).isEqualTo("sort_by");
    AdminTestServer.Answer date = s.get("/audit/logs?start_date=yesterday", MASTER);
    assertThat(date.status()).isEqualTo(400);
    assertThat(date.param()).isEqualTo("start_date");
  }
}

package io.llmgateway.server.ui;

import static org.assertj.core.api.Assertions.assertThat;

import io.llmgateway.core.admin.AdminService;
import io.llmgateway.core.admin.UserSpec;
import io.llmgateway.core.identity.Grant;
import io.llmgateway.core.identity.Principal;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The audit log page searched and sorted over real HTTP on real PostgreSQL, as a viewer: the search
 * box matches actor, action and target id case-insensitively with {@code %} taken literally, the
 * column headers sort by the store, and the type filter and search stay in the links. Before the
 * page read only {@code ?type=} and listed everything newest first.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class UiAuditListTest {
  private static final Pattern TARGET = Pattern.compile("<td>user <code>([^<]+)</code></td>");
  private UiStack stack;
  private UiHttp viewer;

  @BeforeAll
  void start() {
    stack = UiStack.startWithSessions();
    AdminService admin = stack.server().gateway().admin();
    admin.createUser(Principal.MASTER, UserSpec.member("zeta-audit", "drafting"));
    admin.createUser(Principal.MASTER, UserSpec.member("alpha-audit", "drafting"));
    admin.createUser(
        Principal.person("ops@example.com", new Grant.ProxyAdmin()),
        UserSpec.member("mid-audit", "drafting"));
    viewer = new UiHttp(stack.baseUrl());
    viewer.cookies.put(
        Cookies.SESSION, stack.session("auditor@example.com", new Grant.Viewer()).cookie());
  }

  @AfterAll
  void stop() {
    stack.close();
  }

  private List<String> targets(String query) throws Exception {
    HttpResponse<String> r = viewer.get("/ui/audit" + query);
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    List<String> out = new ArrayList<>();
    Matcher m = TARGET.matcher(r.body());
    while (m.find()) {
      out.add(m.group(1));
    }
    return out;
  }

  @Test
  void searchesActorActionAndTargetCaseInsensitivelyAndSortsByTheClickedColumn() throws Exception {
    assertThat(targets("?q=-AUDIT&sort=target&dir=asc"))
        .containsExactly("alpha-audit", "mid-audit", "zeta-audit");
    assertThat(targets("?q=-audit&sort=target&dir=desc"))
        .containsExactly("zeta-audit", "mid-audit", "alpha-audit");
    // The actor and the action are searched too; a % is a character, not a wildcard.
    assertThat(targets("?q=OPS@example")).containsExactly("mid-audit");
    assertThat(targets("?q=user.create&sort=target&dir=asc"))
        .startsWith("alpha-audit", "mid-audit")
        .contains("zeta-audit");
    assertThat(targets("?q=%25")).isEmpty();
  }

  @Test
  void theHeadersSortAndKeepTheTypeFilterAndTheSearch() throws Exception {
    HttpResponse<String> r = viewer.get("/ui/audit?type=user&q=audit&sort=actor&dir=desc");
    String html = r.body().replace("&amp;", "&").replace("&#61;", "=").replace("&#x3D;", "=");
    assertThat(html)
        .contains("name=\"q\" value=\"audit\"")
        .contains("aria-sort=\"descending\"")
        .contains("href=\"/ui/audit?type=user&q=audit&sort=actor&dir=asc\"")
        .contains("href=\"/ui/audit?type=user&q=audit&sort=action&dir=asc\"");
    // Actor descending: "ui:ops@..." sorts after "master"; ties newest first.
    assertThat(targets("?type=user&q=audit&sort=actor&dir=desc"))
        .containsExactly("mid-audit", "alpha-audit", "zeta-audit");
    assertThat(targets("?type=key&q=audit")).isEmpty();
  }
}

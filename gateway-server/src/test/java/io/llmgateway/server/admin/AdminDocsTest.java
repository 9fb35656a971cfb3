package io.llmgateway.server.admin;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Test;

/**
 * Every registered admin route is documented: in {@code /openapi.json} (with its method) and in
 * docs/ADMIN_API.md (a heading with an example, and a row of the policy table naming the same
 * policy as the route table); and the admin OpenAPI fragment documents no route that does not
 * exist.
 */
class AdminDocsTest {

  @Test
  void everyAdminRouteIsInTheOpenApiDocumentAndOnTheDocsPage() throws Exception {
    try (AdminTestServer s = AdminTestServer.start()) {
      List<AdminRoute> table = new AdminRoutes(s.server.services()).routes();
      JsonNode doc = s.get("/openapi.json", null).json();
      String page = Files.readString(Path.of("..", "docs", "ADMIN_API.md"));
      List<String> headings = page.lines().filter(l -> l.startsWith("### ")).toList();
      for (AdminRoute r : table) {
        String route = r.method() + " " + r.path();
        assertThat(doc.at("/paths").has(r.path())).as(route + " in /openapi.json").isTrue();
        assertThat(doc.at("/paths").get(r.path()).has(r.method().name().toLowerCase(Locale.ROOT)))
            .as(route + " method in /openapi.json")
            .isTrue();
        assertThat(page)
            .as(route + " in the policy table of docs/ADMIN_API.md")
            .contains("| `" + route + "` | " + r.policy().name() + " |");
        assertThat(headings)
            .as(route + " has a section in docs/ADMIN_API.md")
            .anySatisfy(h -> assertThat(h).contains("`" + route + "`"));
      }
    }
  }

  @Test
  void theAdminOpenApiFragmentDocumentsOnlyRoutesThatExist() throws Exception {
    try (AdminTestServer s = AdminTestServer.start()) {
      List<String> table =
          new AdminRoutes(s.server.services())
              .routes().stream().map(r -> r.method().name() + " " + r.path()).toList();
      JsonNode fragment;
      try (var in = AdminRoutes.class.getResourceAsStream("/openapi/admin.json")) {
        fragment = AdminTestServer.JSON.readTree(in);
      }
      List<String> documented = new ArrayList<>();
      fragment
          .get("paths")
          .fields()
          .forEachRemaining(
              p ->
                  p.getValue()
                      .fieldNames()
                      .forEachRemaining(
                          m -> documented.add(m.toUpperCase(Locale.ROOT) + " " + p.getKey())));
      assertThat(documented).containsExactlyInAnyOrderElementsOf(table);
    }
  }
}

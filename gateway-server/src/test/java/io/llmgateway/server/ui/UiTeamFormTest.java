package io.llmgateway.server.ui;

import static org.assertj.core.api.Assertions.assertThat;

import io.llmgateway.core.admin.KeySpec;
import io.llmgateway.core.admin.UserSpec;
import io.llmgateway.core.identity.Principal;
import io.llmgateway.core.identity.Team;
import java.net.http.HttpResponse;
import java.util.HashMap;
import java.util.Map;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Issue 16 over the UI's HTTP: the team forms go through the same form model as the user and key
 * forms. A refused team save used to show only the first problem (a bad budget was thrown before
 * the models were ever checked) above a form reset to the stored values; now every problem is under
 * its input and in the summary line, and every typed value is kept. Also: the role drop-downs list
 * each role once (they used to repeat the current one).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class UiTeamFormTest {
  private UiStack stack;
  private UiHttp c;

  @BeforeAll
  void start() throws Exception {
    stack = UiStack.start();
    c = new UiHttp(stack.baseUrl());
    assertThat(c.signIn(UiStack.USER, UiStack.PASSWORD).statusCode()).isEqualTo(303);
  }

  @AfterAll
  void stop() {
    stack.close();
  }

  private Team drafting() {
    return stack.server().gateway().admin().team(Principal.MASTER, "drafting");
  }

  @Test
  void theTeamEditFormShowsATypoAndABadBudgetTogetherAndKeepsWhatWasTyped() throws Exception {
    Team before = drafting();
    Map<String, String> form = new HashMap<>();
    form.put("_csrf", c.csrf("/ui/team?id=drafting"));
    form.put("alias", "drafting");
    form.put("tier", "renamed-tier");
    form.put("models", "model-typo");
    form.put("member_daily", "ten dollars");
    form.put("member_monthly", "0.50");
    form.put("rpm_limit", "42");

    HttpResponse<String> r = c.post("/ui/team?id=drafting", form, c.sameOrigin());

    assertThat(r.statusCode()).isEqualTo(400);
    assertThat(r.headers().firstValue("Content-Type").orElse("")).startsWith("text/html");
    String html = r.body();
    assertThat(html)
        .doesNotContain("Team saved.")
        .doesNotContain("{\"error\"")
        .contains("Not saved (2 problems)")
        .contains("id=\"err-models\"")
        .contains("id=\"err-member_daily\"")
        .contains("unknown model &#39;model-typo&#39;".replace("&#39;", quote(html)))
        .containsPattern(value("models", "model-typo"))
        .containsPattern(value("member_daily", "ten dollars"))
        .containsPattern(value("tier", "renamed-tier"))
        .containsPattern(value("rpm_limit", "42"));
    assertThat(drafting()).isEqualTo(before);
  }

  @Test
  void theTeamCreateFormShowsEveryProblemAndKeepsWhatWasTyped() throws Exception {
    Map<String, String> form = new HashMap<>();
    form.put("_csrf", c.csrf("/ui/teams"));
    form.put("alias", "research");
    form.put("models", "model-typo");
    form.put("team_daily", "lots");
    form.put("member_monthly", "-1");

    HttpResponse<String> r = c.post("/ui/teams", form, c.sameOrigin());

    assertThat(r.statusCode()).isEqualTo(400);
    String html = r.body();
    assertThat(html)
        .doesNotContain("Team created.")
        .contains("Not saved (3 problems)")
        .contains("id=\"err-models\"")
        .contains("id=\"err-team_daily\"")
        .contains("id=\"err-member_monthly\"")
        .containsPattern(value("alias", "research"))
        .containsPattern(value("models", "model-typo"))
        .containsPattern(value("team_daily", "lots"));
    assertThat(
            stack
                .server()
                .gateway()
                .admin()
                .teams(Principal.MASTER, io.llmgateway.core.PageRequest.first(100))
                .items())
        .extracting(Team::alias)
        .doesNotContain("research");
  }

  @Test
  void theRoleDropDownsListEachRoleOnce() throws Exception {
    var admin = stack.server().gateway().admin();
    admin.createUser(
        Principal.MASTER, UserSpec.builder().userId("rolly").teamId("drafting").build());
    String keyId =
        admin
            .generateKey(
                Principal.MASTER, KeySpec.builder().userId("rolly").alias("rolly-key").build())
            .key()
            .id();

    String user = c.get("/ui/user?id=rolly").body();
    String key = c.get("/ui/key?id=" + keyId).body();

    assertThat(count(user, "<option value=\"internal_user\"")).isEqualTo(1);
    assertThat(count(user, "<option value=\"proxy_admin\"")).isEqualTo(1);
    assertThat(user).containsPattern("<option value=\"internal_user\" selected>");
    assertThat(count(key, "<option value=\"llm_api\"")).isEqualTo(1);
    assertThat(key).containsPattern("<option value=\"llm_api\" selected>");
  }

  /** How the page escapes a single quote (Mustache writes &#39;). */
  private static String quote(String html) {
    return html.contains("&#39;") ? "&#39;" : "'";
  }

  /** An input named {@code name} whose value is {@code typed}. */
  private static Pattern value(String name, String typed) {
    return Pattern.compile(
        "<input name=\"" + name + "\"[^>]*value=\"" + Pattern.quote(typed) + "\"");
  }

  private static int count(String s, String part) {
    int n = 0;
    for (int i = s.indexOf(part); i >= 0; i = s.indexOf(part, i + 1)) {
      n++;
    }
    return n;
  }
}

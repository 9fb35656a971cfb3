package io.llmgateway.server.ui;

import static org.assertj.core.api.Assertions.assertThat;

import io.llmgateway.core.identity.Grant;
import java.net.http.HttpResponse;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Issue 16: a person who is team admin of several teams opening Usage or Requests without a team
 * filter used to get the error "name one of your teams" (the core's scope rule, which refuses to
 * guess). The pages now pick the first of the person's teams and offer a team selector with only
 * their teams.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class UiMultiTeamAdminTest {
  private UiStack stack;
  private UiHttp c;

  @BeforeAll
  void start() {
    stack = UiStack.startWithBedrockStub();
    UiStack.TestSession s =
        stack.session("lead@example.com", new Grant.TeamAdmin(Set.of("drafting", "coding")));
    c = new UiHttp(stack.baseUrl());
    c.cookies.put(Cookies.SESSION, s.cookie());
  }

  @AfterAll
  void stop() {
    stack.close();
  }

  @Test
  void usageWithoutATeamShowsTheFirstOfTheirTeams() throws Exception {
    HttpResponse<String> r = c.get("/ui/usage");

    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    assertThat(r.body())
        .doesNotContain("name one of your teams")
        .doesNotContain("id=\"error\"")
        .contains("<option value=\"coding\" selected>")
        .contains("<option value=\"drafting\"")
        .doesNotContain("<option value=\"architect\"")
        .doesNotContain("all teams");
    assertThat(c.get("/ui/usage?team=drafting").body())
        .contains("<option value=\"drafting\" selected>");
  }

  @Test
  void requestsWithoutATeamShowTheFirstOfTheirTeams() throws Exception {
    HttpResponse<String> r = c.get("/ui/requests");

    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    assertThat(r.body())
        .doesNotContain("name one of your teams")
        .doesNotContain("id=\"error\"")
        .contains("<option value=\"coding\" selected>")
        .contains("<option value=\"drafting\"")
        .doesNotContain("<option value=\"architect\"");
    assertThat(c.get("/ui/requests?team=drafting").body())
        .contains("<option value=\"drafting\" selected>");
  }
}

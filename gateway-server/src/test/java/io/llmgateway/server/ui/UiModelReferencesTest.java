package io.llmgateway.server.ui;

import static org.assertj.core.api.Assertions.assertThat;

import io.llmgateway.core.identity.Principal;
import java.net.http.HttpResponse;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Issue 16 at the UI's HTTP level: the team form saved with a model the catalog does not have used
 * to redirect with "Team saved."; it is now the team page again with the error naming the model and
 * the known ones, and the team keeps its models.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class UiModelReferencesTest {
  private UiStack stack;

  @BeforeAll
  void start() {
    stack = UiStack.start();
  }

  @AfterAll
  void stop() {
    stack.close();
  }

  @Test
  void theTeamFormWithATypoShowsTheErrorAndDoesNotSaySaved() throws Exception {
    UiHttp c = new UiHttp(stack.baseUrl());
    assertThat(c.signIn(UiStack.USER, UiStack.PASSWORD).statusCode()).isEqualTo(303);
    Map<String, String> form = new HashMap<>();
    form.put("_csrf", c.csrf("/ui/team?id=drafting"));
    form.put("alias", "drafting");
    form.put("tier", "drafting");
    form.put("models", "model-typo");
    form.put("member_daily", "0.017");
    form.put("member_monthly", "0.50");
    form.put("team_daily", "");
    form.put("team_monthly", "");

    HttpResponse<String> r = c.post("/ui/team?id=drafting", form, c.sameOrigin());

    assertThat(r.statusCode()).isEqualTo(400);
    assertThat(r.headers().firstValue("Location")).isEmpty();
    assertThat(r.headers().firstValue("Content-Type").orElse("")).startsWith("text/html");
    assertThat(r.body())
        .contains("id=\"error\"")
        .contains("model-typo")
        .contains("known models: model-balanced, model-cheap, model-claude-haiku")
        .doesNotContain("Team saved.");
    assertThat(stack.server().gateway().admin().team(Principal.MASTER, "drafting").models())
        .containsExactly("model-cheap");
  }
}

package io.llmgateway.server.ui;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Issue 16: every error under {@code /ui} is an HTML page with the right status. The old code
 * answered unknown UI addresses (and a form naming an unknown team) with the API's JSON {@code
 * {"error":{"message":"no route ..."}}}.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class UiErrorPagesTest {
  private UiStack stack;
  private UiHttp c;
  private String token;

  @BeforeAll
  void start() throws Exception {
    stack = UiStack.start();
    c = new UiHttp(stack.baseUrl());
    assertThat(c.signIn(UiStack.USER, UiStack.PASSWORD).statusCode()).isEqualTo(303);
    token = c.csrf("/ui/users");
  }

  @AfterAll
  void stop() {
    stack.close();
  }

  private static void assertHtmlPage(HttpResponse<String> r, int status, String text) {
    assertThat(r.statusCode()).as(r.body()).isEqualTo(status);
    assertThat(r.headers().firstValue("content-type").orElse("")).startsWith("text/html");
    assertThat(r.body())
        .startsWith("<!doctype html>")
        .contains(text)
        .doesNotContain("{\"error\"")
        .doesNotContain("Exception")
        .doesNotContain("\tat ");
  }

  @Test
  void anUnknownUiAddressIsAnHtml404() throws Exception {
    assertHtmlPage(c.get("/ui/nope"), 404, "There is no page at this address.");
    assertHtmlPage(c.get("/ui/users/nope/deeper"), 404, "Not found");
  }

  @Test
  void aPostToAnUnknownUiAddressIsAnHtml404() throws Exception {
    assertHtmlPage(c.post("/ui/nope", Map.of("_csrf", token), c.sameOrigin()), 404, "Not found");
  }

  @Test
  void anUnknownUserOrKeyIdIsAnHtml404() throws Exception {
    assertHtmlPage(c.get("/ui/user?id=missing"), 404, "user &#39;missing&#39; does not exist");
    assertHtmlPage(c.get("/ui/key?id=key_000000000000000000000000"), 404, "key not found");
  }

  @Test
  void aMissingIdIsAnHtml400() throws Exception {
    assertHtmlPage(c.get("/ui/user"), 400, "id is required");
  }

  @Test
  void aFormNamingAnUnknownTeamComesBackAsTheFormNotJson() throws Exception {
    var r =
        c.post(
            "/ui/users",
            Map.of("_csrf", token, "user_id", "zed", "team_id", "no-such-team"),
            c.sameOrigin());

    assertHtmlPage(r, 404, "team &#39;no-such-team&#39; does not exist");
    assertThat(r.body()).contains("id=\"new-user\"").contains("value=\"no-such-team\"");
  }

  @Test
  void anApiAddressStillAnswersJson() throws Exception {
    var r = c.get("/nope");
    assertThat(r.statusCode()).isEqualTo(404);
    assertThat(r.body()).startsWith("{\"error\"");
  }
}

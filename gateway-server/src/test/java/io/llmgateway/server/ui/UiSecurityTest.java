package io.llmgateway.server.ui;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The UI's defences, through plain HTTP against a real server on real PostgreSQL: no browser is
 * needed, so these always run.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class UiSecurityTest {
  private UiStack stack;

  @BeforeAll
  void start() {
    // The test client is the "load balancer": X-Forwarded-For from it names the client.
    stack =
        UiStack.startBehindProxy(
            UiSettings.builder().admin(new UiSettings.Admin(UiStack.USER, UiStack.HASH)).build());
  }

  @AfterAll
  void stop() {
    stack.close();
  }

  private UiHttp client() {
    return new UiHttp(stack.baseUrl());
  }

  private UiHttp signedIn() throws Exception {
    UiHttp c = client();
    HttpResponse<String> r = c.signIn(UiStack.USER, UiStack.PASSWORD);
    assertThat(r.statusCode()).isEqualTo(303);
    assertThat(r.headers().firstValue("Location")).hasValue("/ui/overview");
    return c;
  }

  @Test
  void everyUiResponseCarriesTheSecurityHeaders() throws Exception {
    HttpResponse<String> r = client().get("/ui/login");

    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.headers().firstValue("Content-Security-Policy").orElseThrow())
        .contains("script-src 'self'")
        .contains("frame-ancestors 'none'")
        .doesNotContain("unsafe-inline");
    assertThat(r.headers().firstValue("X-Content-Type-Options")).hasValue("nosniff");
    assertThat(r.headers().firstValue("Referrer-Policy")).hasValue("same-origin");
    assertThat(r.headers().firstValue("X-Frame-Options")).hasValue("DENY");
    assertThat(r.body()).doesNotContain("<script>").doesNotContain("onclick");
  }

  @Test
  void pagesRedirectToSignInWithoutASession() throws Exception {
    for (String page : new String[] {"/ui/overview", "/ui/keys", "/ui/spend.csv", "/ui/audit"}) {
      HttpResponse<String> r = client().get(page);
      assertThat(r.statusCode()).as(page).isEqualTo(303);
      assertThat(r.headers().firstValue("Location")).as(page).hasValue("/ui/login");
    }
  }

  @Test
  void wrongPasswordIsRefusedWithoutASession() throws Exception {
    UiHttp c = client();

    HttpResponse<String> r = c.signIn(UiStack.USER, "wrong password");

    assertThat(r.statusCode()).isEqualTo(401);
    assertThat(r.body()).contains("Wrong user name or password.");
    assertThat(c.cookies).doesNotContainKey("gw-session");
    HttpResponse<String> unknownUser = client().signIn("nobody", UiStack.PASSWORD);
    assertThat(unknownUser.statusCode()).isEqualTo(401);
    assertThat(unknownUser.body()).contains("Wrong user name or password.");
  }

  @Test
  void theMasterKeyIsRefusedAsAPassword() throws Exception {
    HttpResponse<String> r = client().signIn(UiStack.USER, UiStack.MASTER_KEY);

    assertThat(r.statusCode()).isEqualTo(401);
    assertThat(r.body()).contains("The master key is not a UI password");
  }

  @Test
  void signInWithoutTheFormNonceOrFromAnotherSiteIsRefused() throws Exception {
    UiHttp c = client();
    String nonce = UiHttp.hidden(c.get("/ui/login").body(), "_login").orElseThrow();
    Map<String, String> form =
        Map.of("username", UiStack.USER, "password", UiStack.PASSWORD, "_login", nonce);

    assertThat(c.post("/ui/login", form, "Origin", "https://evil.example").statusCode())
        .isEqualTo(403);
    assertThat(c.post("/ui/login", form).statusCode()).isEqualTo(403); // no Origin, no Referer
    UiHttp fresh = client(); // no nonce cookie
    assertThat(fresh.post("/ui/login", form, fresh.sameOrigin()).statusCode()).isEqualTo(403);
  }

  @Test
  void aPostWithAValidSessionButNoCsrfTokenIsRefused() throws Exception {
    UiHttp c = signedIn();
    String token = c.csrf("/ui/teams");
    Map<String, String> team = Map.of("alias", "csrf-victim");

    HttpResponse<String> noToken = c.post("/ui/teams", team, c.sameOrigin());
    HttpResponse<String> wrongToken =
        c.post("/ui/teams", Map.of("alias", "csrf-victim", "_csrf", "x" + token), c.sameOrigin());
    HttpResponse<String> foreignOrigin =
        c.post(
            "/ui/teams",
            Map.of("alias", "csrf-victim", "_csrf", token),
            "Origin",
            "https://evil.example");
    HttpResponse<String> noOrigin =
        c.post("/ui/teams", Map.of("alias", "csrf-victim", "_csrf", token));

    assertThat(noToken.statusCode()).isEqualTo(403);
    assertThat(noToken.body()).contains("CSRF");
    assertThat(wrongToken.statusCode()).isEqualTo(403);
    assertThat(foreignOrigin.statusCode()).isEqualTo(403);
    assertThat(noOrigin.statusCode()).isEqualTo(403);
    assertThat(c.get("/ui/teams").body()).doesNotContain("csrf-victim");

    HttpResponse<String> ok =
        c.post("/ui/teams", Map.of("alias", "csrf-ok", "_csrf", token), c.sameOrigin());
    assertThat(ok.statusCode()).isEqualTo(303);
    assertThat(c.get("/ui/teams").body()).contains("csrf-ok");
  }

  @Test
  void theSessionIdIsRotatedAtSignInAndTheOldOneStopsWorking() throws Exception {
    String first = signedIn().cookies.get("gw-session");
    UiHttp c = client();
    String nonce = UiHttp.hidden(c.get("/ui/login").body(), "_login").orElseThrow();
    c.cookies.put("gw-session", first); // a browser that still has (or was planted) an old id

    HttpResponse<String> again =
        c.post(
            "/ui/login",
            Map.of("username", UiStack.USER, "password", UiStack.PASSWORD, "_login", nonce),
            c.sameOrigin());
    String second = c.cookies.get("gw-session");

    assertThat(again.statusCode()).isEqualTo(303);
    assertThat(second).isNotBlank().isNotEqualTo(first);
    UiHttp old = client();
    old.cookies.put("gw-session", first);
    assertThat(old.get("/ui/overview").statusCode()).isEqualTo(303);
    assertThat(c.get("/ui/overview").statusCode()).isEqualTo(200);
  }

  @Test
  void cookiesAreHttpOnlySameSiteStrictAndSecureHostPrefixedBehindTls() throws Exception {
    UiHttp plain = client();
    plain.signIn(UiStack.USER, UiStack.PASSWORD);
    String plainCookie =
        plain.cookies.keySet().stream()
            .filter(n -> n.contains("gw-session"))
            .findFirst()
            .orElseThrow();
    assertThat(plainCookie).isEqualTo("gw-session");

    UiHttp tls = client();
    HttpResponse<String> form = tls.get("/ui/login", "X-Forwarded-Proto", "https");
    String nonce = UiHttp.hidden(form.body(), "_login").orElseThrow();
    HttpResponse<String> r =
        tls.post(
            "/ui/login",
            Map.of("username", UiStack.USER, "password", UiStack.PASSWORD, "_login", nonce),
            "Origin",
            stack.baseUrl(),
            "X-Forwarded-Proto",
            "https");

    assertThat(r.statusCode()).isEqualTo(303);
    String session =
        UiHttp.setCookies(r).stream()
            .filter(c -> c.startsWith("__Host-gw-session=") && !c.startsWith("__Host-gw-session=;"))
            .findFirst()
            .orElseThrow();
    assertThat(session)
        .contains("; Path=/")
        .contains("; HttpOnly")
        .contains("; SameSite=Strict")
        .contains("; Secure")
        .doesNotContain("Domain=");
  }

  @Test
  void sessionsAreSharedAcrossInstancesAndSigningOutEndsThemEverywhere() throws Exception {
    try (UiStack other = stack.second()) {
      UiHttp onA = signedIn();
      UiHttp onB = new UiHttp(other.baseUrl());
      onB.cookies.putAll(onA.cookies);
      assertThat(onB.get("/ui/overview").statusCode()).isEqualTo(200);

      String token = onA.csrf("/ui/overview");
      HttpResponse<String> out = onA.post("/ui/logout", Map.of("_csrf", token), onA.sameOrigin());

      assertThat(out.statusCode()).isEqualTo(303);
      assertThat(out.headers().firstValue("Location")).hasValue("/ui/login?notice=signed-out");
      assertThat(onB.get("/ui/overview").statusCode()).isEqualTo(303);
    }
  }

  @Test
  void signInIsThrottledAfterFiveFailuresEvenWithTheRightPassword() throws Exception {
    String ip = "198.51.100.7";
    UiHttp c = client();
    for (int i = 0; i < 5; i++) {
      String nonce = UiHttp.hidden(c.get("/ui/login").body(), "_login").orElseThrow();
      HttpResponse<String> r =
          c.post(
              "/ui/login",
              Map.of("username", UiStack.USER, "password", "guess-" + i, "_login", nonce),
              "Origin",
              stack.baseUrl(),
              "X-Forwarded-For",
              ip);
      assertThat(r.statusCode()).isEqualTo(401);
    }
    String nonce = UiHttp.hidden(c.get("/ui/login").body(), "_login").orElseThrow();
    HttpResponse<String> blocked =
        c.post(
            "/ui/login",
            Map.of("username", UiStack.USER, "password", UiStack.PASSWORD, "_login", nonce),
            "Origin",
            stack.baseUrl(),
            "X-Forwarded-For",
            ip);

    assertThat(blocked.statusCode()).isEqualTo(429);
    assertThat(blocked.body()).contains("Too many failed sign-ins");
    // Another address is not locked out by this one's failures.
    assertThat(signedIn().get("/ui/overview").statusCode()).isEqualTo(200);
  }

  @Test
  void dataFromTheDatabaseIsHtmlEscaped() throws Exception {
    UiHttp c = signedIn();
    String token = c.csrf("/ui/teams");
    c.post(
        "/ui/teams",
        Map.of(
            "alias",
            "<script>alert(1)</script>",
            "tier",
            "\"><img src=x onerror=alert(1)>",
            "_csrf",
            token),
        c.sameOrigin());

    String page = c.get("/ui/teams").body();

    assertThat(page).contains("&lt;script&gt;alert(1)&lt;/script&gt;");
    assertThat(page).doesNotContain("<script>alert(1)").doesNotContain("<img src=x");
  }

  @Test
  void everyPageRendersForASignedInOperator() throws Exception {
    UiHttp c = signedIn();
    for (String page :
        new String[] {
          "/ui/overview",
          "/ui/teams",
          "/ui/team?id=drafting",
          "/ui/users",
          "/ui/keys",
          "/ui/models",
          "/ui/spend",
          "/ui/audit",
          "/ui/spend.csv"
        }) {
      HttpResponse<String> r = c.get(page);
      assertThat(r.statusCode()).as(page).isEqualTo(200);
      assertThat(r.headers().firstValue("Cache-Control")).as(page).hasValue("no-store");
    }
    assertThat(c.get("/ui/static/uPlot.iife.min.js").statusCode()).isEqualTo(200);
    assertThat(c.get("/ui/static/..%2Fapp.css").statusCode()).isEqualTo(404);
  }
}

package io.llmgateway.server.ui;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The single sign-on callback attacked over plain HTTP, against a real OIDC provider in-process
 * ({@link SsoIdp}) and a gateway with a break-glass account and single sign-on: a callback whose
 * state was tampered with, one without this browser's flow cookie (login CSRF), a replayed code and
 * an ID token for another client are refused with an HTML page and no session; the flow cookie is
 * HttpOnly, SameSite=Lax and short-lived. (Expired, forged and unsigned ID tokens, which this
 * provider does not issue, are in {@link SsoIdTokenTest}.)
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SsoFlowTest {
  private SsoIdp idp;
  private UiStack base;
  private UiStack sso;
  private final HttpClient raw =
      HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).build();

  @BeforeAll
  void start() throws Exception {
    idp = new SsoIdp();
    base = UiStack.start();
    int port;
    try (ServerSocket s = new ServerSocket(0)) {
      port = s.getLocalPort();
    }
    URI gateway = URI.create("http://127.0.0.1:" + port);
    RoleMapping roles = new RoleMapping(Set.of("gateway-admins"), Set.of(), Map.of());
    sso = base.second(base.ui.toBuilder().oidc(idp.settings(gateway, roles)).build(), port);
  }

  @AfterAll
  void stop() throws Exception {
    for (AutoCloseable c : new AutoCloseable[] {sso, base, idp}) {
      if (c != null) {
        c.close();
      }
    }
  }

  private static void admin(SsoIdp idp, String who) {
    idp.next(
        who,
        Map.of(
            "email",
            who + "@corp.example",
            "email_verified",
            true,
            "groups",
            List.of("gateway-admins")));
  }

  /** Starts a flow in {@code browser} and returns the provider's redirect back (path and query). */
  private String callbackFor(UiHttp browser) throws Exception {
    HttpResponse<String> start = browser.get("/ui/oidc/login");
    assertThat(start.statusCode()).isEqualTo(303);
    String authorize = start.headers().firstValue("Location").orElseThrow();
    assertThat(authorize)
        .startsWith(idp.issuer() + "/authorize?")
        .contains("code_challenge_method=S256")
        .contains("nonce=")
        .contains("state=");
    HttpResponse<String> back =
        raw.send(
            HttpRequest.newBuilder(URI.create(authorize)).GET().build(),
            HttpResponse.BodyHandlers.ofString());
    String location = back.headers().firstValue("Location").orElseThrow();
    assertThat(location).startsWith(sso.baseUrl() + OidcSettings.CALLBACK_PATH + "?");
    return location.substring(sso.baseUrl().length());
  }

  private int sessions() {
    return Integer.parseInt(sso.sqlString("SELECT count(*) FROM ui_sessions"));
  }

  @Test
  void theFlowCookieIsHttpOnlyLaxAndShortLived() throws Exception {
    HttpResponse<String> start = new UiHttp(sso.baseUrl()).get("/ui/oidc/login");

    assertThat(UiHttp.setCookies(start))
        .singleElement()
        .asString()
        .startsWith("gw-oidc=")
        .contains("HttpOnly", "SameSite=Lax", "Max-Age=600", "Path=/");
  }

  @Test
  void aSignInWithTheRightStateStartsASessionAndTheReplayedCodeIsRefused() throws Exception {
    admin(idp, "ann");
    UiHttp browser = new UiHttp(sso.baseUrl());
    String callback = callbackFor(browser);
    String flowCookie = browser.cookies.get("gw-oidc");

    HttpResponse<String> ok = browser.get(callback);
    assertThat(ok.statusCode()).as(ok.body()).isEqualTo(200);
    assertThat(ok.body()).contains("Signed in as ann@corp.example (proxy_admin)");
    assertThat(browser.cookies).containsKey("gw-session").doesNotContainKey("gw-oidc");
    assertThat(browser.get("/ui/overview").statusCode()).isEqualTo(200);

    // The same browser replays the callback: its flow cookie is gone, so nothing is exchanged.
    HttpResponse<String> again = browser.get(callback);
    assertThat(again.statusCode()).isEqualTo(403);
    assertThat(again.body()).contains("did not start in this browser");

    // Someone who also kept the flow cookie replays it: the provider refuses the used code.
    int before = sessions();
    UiHttp thief = new UiHttp(sso.baseUrl());
    thief.cookies.put("gw-oidc", flowCookie);
    HttpResponse<String> replay = thief.get(callback);
    assertThat(replay.statusCode()).as(replay.body()).isEqualTo(401);
    assertThat(replay.body()).contains("refused the code").doesNotContain("{\"");
    assertThat(thief.cookies).doesNotContainKey("gw-session");
    assertThat(sessions()).isEqualTo(before);
  }

  @Test
  void aTamperedStateIsRefused() throws Exception {
    // No person enqueued: the code is never exchanged, so the provider's default would do.
    UiHttp browser = new UiHttp(sso.baseUrl());
    String callback = callbackFor(browser);
    String tampered = callback.replaceAll("state=[^&]+", "state=" + "A".repeat(43));
    int before = sessions();

    HttpResponse<String> r = browser.get(tampered);

    assertThat(r.statusCode()).isEqualTo(403);
    assertThat(r.headers().firstValue("Content-Type"))
        .hasValueSatisfying(t -> assertThat(t).startsWith("text/html"));
    assertThat(r.body()).contains("Sign-in refused", "did not start in this browser");
    assertThat(browser.cookies).doesNotContainKey("gw-session");
    assertThat(sessions()).isEqualTo(before);
  }

  @Test
  void aCallbackWithoutThisBrowsersFlowCookieIsRefused() throws Exception {
    // Login CSRF: the attacker's own code and state, delivered to the victim's browser.
    String attackers = callbackFor(new UiHttp(sso.baseUrl()));
    UiHttp victim = new UiHttp(sso.baseUrl());

    HttpResponse<String> r = victim.get(attackers);

    assertThat(r.statusCode()).isEqualTo(403);
    assertThat(victim.cookies).doesNotContainKey("gw-session");
  }

  @Test
  void theBreakGlassAccountStillSignsInBesideSingleSignOn() throws Exception {
    UiHttp browser = new UiHttp(sso.baseUrl());
    assertThat(browser.get("/ui/login").body()).contains("id=\"sso\"").contains("id=\"password\"");

    assertThat(browser.signIn(UiStack.USER, UiStack.PASSWORD).statusCode()).isEqualTo(303);
    assertThat(browser.get("/ui/overview").statusCode()).isEqualTo(200);
  }
}

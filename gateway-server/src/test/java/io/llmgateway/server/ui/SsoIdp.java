package io.llmgateway.server.ui;

import io.llmgateway.server.ServerConfig;
import java.net.InetAddress;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import no.nav.security.mock.oauth2.MockOAuth2Server;
import no.nav.security.mock.oauth2.token.DefaultOAuth2TokenCallback;

/**
 * A real OpenID Connect provider in-process ({@code no.nav.security:mock-oauth2-server}) on
 * 127.0.0.1, addressed as {@code localhost}: a different site from the gateway's {@code 127.0.0.1}
 * for the browser, so SameSite rules apply as with a real provider. Each sign-in takes the next
 * enqueued person (claims); without one the provider signs in a default subject with no groups.
 */
final class SsoIdp implements AutoCloseable {
  static final String ISSUER_ID = "corp";
  static final String CLIENT_ID = "llm-gateway-ui";
  static final String CLIENT_SECRET = "sso-test-client-secret-0123456789";

  private final MockOAuth2Server server = new MockOAuth2Server();

  SsoIdp() throws Exception {
    server.start(InetAddress.getByName("127.0.0.1"), 0);
    // The provider builds its keys and templates on the first request, which on a busy machine
    // takes longer than the gateway's 5 s timeout: warm it up so tests measure the gateway.
    java.net.http.HttpClient.newHttpClient()
        .send(
            java.net.http.HttpRequest.newBuilder(
                    URI.create(issuer() + "/.well-known/openid-configuration"))
                .timeout(Duration.ofSeconds(60))
                .build(),
            java.net.http.HttpResponse.BodyHandlers.discarding());
  }

  URI issuer() {
    return URI.create("http://localhost:" + server.baseUrl().port() + "/" + ISSUER_ID);
  }

  /** The gateway's SSO settings for this provider, with the test's role mapping. */
  OidcSettings settings(URI gatewayBase, RoleMapping roles) {
    return new OidcSettings(
        issuer(),
        CLIENT_ID,
        new ServerConfig.Secret(CLIENT_SECRET),
        gatewayBase.resolve(OidcSettings.CALLBACK_PATH),
        List.of("openid", "email", "profile"),
        "groups",
        "Corp SSO",
        OidcSettings.ClientAuth.CLIENT_SECRET_BASIC,
        OidcSettings.EmailTrust.IF_CLAIMED,
        roles,
        Duration.ofSeconds(5));
  }

  /** The next sign-in is this person. */
  void next(String subject, Map<String, Object> claims) {
    next(subject, claims, List.of(CLIENT_ID), 3600);
  }

  /** The next sign-in is this person, with an ID token for {@code audience} valid this long. */
  void next(String subject, Map<String, Object> claims, List<String> audience, long expirySeconds) {
    server.enqueueCallback(
        new DefaultOAuth2TokenCallback(ISSUER_ID, subject, "JWT", audience, claims, expirySeconds));
  }

  @Override
  public void close() {
    server.shutdown();
  }
}

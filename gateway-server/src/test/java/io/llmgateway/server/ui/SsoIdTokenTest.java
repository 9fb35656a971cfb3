package io.llmgateway.server.ui;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.PlainJWT;
import com.nimbusds.jwt.SignedJWT;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.llmgateway.server.ServerConfig;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The ID token checks of {@link OidcClient#redeem}, with tokens this test signs itself (Nimbus) and
 * serves from a small provider on 127.0.0.1 (discovery, JWKS, token endpoint over real HTTP): a
 * valid token passes; another issuer, another audience, an expired one, a forged signature, an HMAC
 * or unsigned token and another nonce are refused; a token under a new key id makes the client
 * fetch the JWKS again.
 */
class SsoIdTokenTest {
  private HttpServer server;
  private String issuer;
  private RSAKey key;
  private final AtomicInteger jwksFetches = new AtomicInteger();
  private volatile String nextIdToken;

  @BeforeEach
  void start() throws Exception {
    key = new RSAKeyGenerator(2048).keyID("k1").generate();
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    issuer = "http://127.0.0.1:" + server.getAddress().getPort();
    server.createContext(
        "/.well-known/openid-configuration",
        x ->
            json(
                x,
                "{\"issuer\":\"%s\",\"authorization_endpoint\":\"%s/authorize\",\"token_endpoint\":\"%s/token\",\"jwks_uri\":\"%s/jwks\",\"response_types_supported\":[\"code\"],\"subject_types_supported\":[\"public\"],\"id_token_signing_alg_values_supported\":[\"RS256\"]}"
                    .formatted(issuer, issuer, issuer, issuer)));
    server.createContext(
        "/jwks",
        x -> {
          jwksFetches.incrementAndGet();
          json(x, new JWKSet(key.toPublicJWK()).toString());
        });
    server.createContext(
        "/token",
        x ->
            json(
                x,
                "{\"access_token\":\"at\",\"token_type\":\"Bearer\",\"id_token\":\""
                    + nextIdToken
                    + "\"}"));
    server.start();
  }

  @AfterEach
  void stop() {
    server.stop(0);
  }

  private static void json(HttpExchange x, String body) throws IOException {
    byte[] b = body.getBytes(StandardCharsets.UTF_8);
    x.getResponseHeaders().set("Content-Type", "application/json");
    x.sendResponseHeaders(200, b.length);
    x.getResponseBody().write(b);
    x.close();
  }

  private OidcClient client(OidcSettings.EmailTrust trust) {
    return new OidcClient(
        new OidcSettings(
            URI.create(issuer),
            SsoIdp.CLIENT_ID,
            new ServerConfig.Secret(SsoIdp.CLIENT_SECRET),
            URI.create("http://127.0.0.1:1/ui/oidc/callback"),
            List.of("openid"),
            "groups",
            "Test",
            OidcSettings.ClientAuth.CLIENT_SECRET_POST,
            trust,
            RoleMapping.none(),
            Duration.ofSeconds(5)),
        Clock.systemUTC());
  }

  private JWTClaimsSet.Builder claims(OidcFlow flow) {
    Instant now = Instant.now();
    return new JWTClaimsSet.Builder()
        .issuer(issuer)
        .subject("sub-1")
        .audience(SsoIdp.CLIENT_ID)
        .issueTime(Date.from(now))
        .expirationTime(Date.from(now.plusSeconds(300)))
        .claim("nonce", flow.nonce().getValue())
        .claim("email", "pat@corp.example")
        .claim("groups", List.of("g1", "g2"));
  }

  private String signed(RSAKey with, JWTClaimsSet claims) throws Exception {
    SignedJWT jwt =
        new SignedJWT(
            new JWSHeader.Builder(JWSAlgorithm.RS256).keyID(with.getKeyID()).build(), claims);
    jwt.sign(new RSASSASigner(with));
    return jwt.serialize();
  }

  private SsoPerson redeem(UnaryOperator<JWTClaimsSet.Builder> change) throws Exception {
    OidcFlow flow = OidcFlow.start();
    nextIdToken = signed(key, change.apply(claims(flow)).build());
    return client(OidcSettings.EmailTrust.IF_CLAIMED).redeem("code", flow);
  }

  @Test
  void aValidIdTokenGivesThePerson() throws Exception {
    SsoPerson p = redeem(c -> c);

    assertThat(p.subject()).isEqualTo("sub-1");
    assertThat(p.verifiedEmail()).hasValue("pat@corp.example");
    assertThat(p.groups()).containsExactly("g1", "g2");
  }

  @Test
  void anotherIssuerIsRefused() {
    assertThatThrownBy(() -> redeem(c -> c.issuer("https://evil.example")))
        .isInstanceOf(OidcClient.SignInFailed.class)
        .hasMessageContaining("issuer");
  }

  @Test
  void anotherAudienceIsRefused() {
    assertThatThrownBy(() -> redeem(c -> c.audience("another-client")))
        .isInstanceOf(OidcClient.SignInFailed.class)
        .hasMessageContaining("audience");
  }

  @Test
  void anExpiredTokenIsRefusedBeyondTheSkew() throws Exception {
    Instant past = Instant.now().minusSeconds(OidcClient.SKEW_SECONDS + 30);
    assertThatThrownBy(() -> redeem(c -> c.expirationTime(Date.from(past))))
        .isInstanceOf(OidcClient.SignInFailed.class)
        .hasMessageContaining("Expired");
    // Within the skew it still passes (clocks differ a little).
    Instant recent = Instant.now().minusSeconds(OidcClient.SKEW_SECONDS / 2);
    assertThat(redeem(c -> c.expirationTime(Date.from(recent))).subject()).isEqualTo("sub-1");
  }

  @Test
  void aTokenIssuedInTheFutureIsRefused() {
    Instant future = Instant.now().plusSeconds(OidcClient.SKEW_SECONDS + 120);
    assertThatThrownBy(
            () ->
                redeem(
                    c ->
                        c.issueTime(Date.from(future))
                            .expirationTime(Date.from(future.plusSeconds(300)))))
        .isInstanceOf(OidcClient.SignInFailed.class);
  }

  @Test
  void anotherNonceIsRefused() {
    assertThatThrownBy(() -> redeem(c -> c.claim("nonce", "someone-elses-nonce")))
        .isInstanceOf(OidcClient.SignInFailed.class)
        .hasMessageContaining("nonce");
  }

  @Test
  void aSignatureByAnotherKeyUnderThePublishedKeyIdIsRefused() throws Exception {
    RSAKey forger = new RSAKeyGenerator(2048).keyID("k1").generate();
    OidcFlow flow = OidcFlow.start();
    nextIdToken = signed(forger, claims(flow).build());

    assertThatThrownBy(() -> client(OidcSettings.EmailTrust.IF_CLAIMED).redeem("code", flow))
        .isInstanceOf(OidcClient.SignInFailed.class)
        .hasMessageContaining("ID token was refused");
  }

  @Test
  void anHmacTokenKeyedWithTheClientSecretIsRefused() throws Exception {
    OidcFlow flow = OidcFlow.start();
    SignedJWT jwt = new SignedJWT(new JWSHeader(JWSAlgorithm.HS256), claims(flow).build());
    jwt.sign(new MACSigner(SsoIdp.CLIENT_SECRET.repeat(2).getBytes(StandardCharsets.UTF_8)));
    nextIdToken = jwt.serialize();

    assertThatThrownBy(() -> client(OidcSettings.EmailTrust.IF_CLAIMED).redeem("code", flow))
        .isInstanceOf(OidcClient.SignInFailed.class);
  }

  @Test
  void anUnsignedTokenIsRefused() {
    OidcFlow flow = OidcFlow.start();
    nextIdToken = new PlainJWT(claims(flow).build()).serialize();

    assertThatThrownBy(() -> client(OidcSettings.EmailTrust.IF_CLAIMED).redeem("code", flow))
        .isInstanceOf(OidcClient.SignInFailed.class);
  }

  @Test
  void aTokenUnderANewKeyIdMakesTheClientFetchTheKeysAgain() throws Exception {
    OidcClient client = client(OidcSettings.EmailTrust.IF_CLAIMED);
    OidcFlow first = OidcFlow.start();
    nextIdToken = signed(key, claims(first).build());
    client.redeem("code", first);
    assertThat(jwksFetches.get()).isEqualTo(1);

    // The provider rotates its signing key.
    key = new RSAKeyGenerator(2048).keyID("k2").generate();
    OidcFlow second = OidcFlow.start();
    nextIdToken = signed(key, claims(second).build());

    assertThat(client.redeem("code", second).subject()).isEqualTo("sub-1");
    assertThat(jwksFetches.get()).isEqualTo(2);
  }

  @Test
  void anEmailIsTrustedOnlyWhenTheProviderVouchesForIt() throws Exception {
    assertThat(redeem(c -> c.claim("email_verified", false)).verifiedEmail()).isEmpty();
    assertThat(redeem(c -> c.claim("email_verified", true)).verifiedEmail()).isPresent();
    // Cognito's string form.
    assertThat(redeem(c -> c.claim("email_verified", "true")).verifiedEmail()).isPresent();
    // Absent (Entra ID): trusted under IF_CLAIMED, not under REQUIRED.
    assertThat(redeem(c -> c).verifiedEmail()).isPresent();
    OidcFlow flow = OidcFlow.start();
    nextIdToken = signed(key, claims(flow).build());
    assertThat(client(OidcSettings.EmailTrust.REQUIRED).redeem("code", flow).verifiedEmail())
        .isEmpty();
  }

  @Test
  void theGroupsClaimMayBeOneString() throws Exception {
    assertThat(redeem(c -> c.claim("groups", "solo")).groups()).containsExactly("solo");
    assertThat(redeem(c -> c.claim("groups", Map.of("x", 1))).groups()).isEmpty();
  }
}

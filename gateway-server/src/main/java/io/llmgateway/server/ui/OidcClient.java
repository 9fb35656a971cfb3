package io.llmgateway.server.ui;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.source.JWKSource;
import com.nimbusds.jose.jwk.source.JWKSourceBuilder;
import com.nimbusds.jose.proc.BadJOSEException;
import com.nimbusds.jose.proc.JWSVerificationKeySelector;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jose.util.DefaultResourceRetriever;
import com.nimbusds.oauth2.sdk.AuthorizationCode;
import com.nimbusds.oauth2.sdk.AuthorizationCodeGrant;
import com.nimbusds.oauth2.sdk.GeneralException;
import com.nimbusds.oauth2.sdk.ParseException;
import com.nimbusds.oauth2.sdk.ResponseType;
import com.nimbusds.oauth2.sdk.Scope;
import com.nimbusds.oauth2.sdk.TokenRequest;
import com.nimbusds.oauth2.sdk.TokenResponse;
import com.nimbusds.oauth2.sdk.auth.ClientAuthentication;
import com.nimbusds.oauth2.sdk.auth.ClientSecretBasic;
import com.nimbusds.oauth2.sdk.auth.ClientSecretPost;
import com.nimbusds.oauth2.sdk.auth.Secret;
import com.nimbusds.oauth2.sdk.http.HTTPRequest;
import com.nimbusds.oauth2.sdk.id.ClientID;
import com.nimbusds.oauth2.sdk.id.Issuer;
import com.nimbusds.oauth2.sdk.pkce.CodeChallengeMethod;
import com.nimbusds.openid.connect.sdk.AuthenticationRequest;
import com.nimbusds.openid.connect.sdk.OIDCTokenResponse;
import com.nimbusds.openid.connect.sdk.OIDCTokenResponseParser;
import com.nimbusds.openid.connect.sdk.claims.IDTokenClaimsSet;
import com.nimbusds.openid.connect.sdk.op.OIDCProviderMetadata;
import com.nimbusds.openid.connect.sdk.validators.IDTokenValidator;
import java.io.IOException;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The relying party's side of the OpenID Connect authorization code flow with PKCE, on the Nimbus
 * OAuth 2.0 / OIDC SDK (no hand-written JWT or OIDC code): the provider's discovery document
 * (fetched with a timeout, cached for an hour, fetched again after a failure), the authorization
 * URL (state, nonce, S256 code challenge), the code exchange (client secret and PKCE verifier) and
 * the ID token's validation: signature against the provider's JWKS (cached; fetched again when a
 * token names an unknown key id, at most twice per 30 s), {@code iss}, {@code aud}, {@code exp} and
 * {@code iat} with {@value #SKEW_SECONDS} s of skew, and the nonce. Only asymmetric signatures are
 * accepted ({@code none} and HMAC never). Neither the ID token nor the access token is kept.
 * Thread-safe.
 */
final class OidcClient {
  private static final Logger log = LoggerFactory.getLogger(OidcClient.class);
  static final int SKEW_SECONDS = 60;
  private static final Duration METADATA_TTL = Duration.ofHours(1);
  private static final long JWKS_TTL_MS = Duration.ofMinutes(15).toMillis();
  private static final int MAX_GROUPS = 1000;

  /** A sign-in that cannot go on; the message is safe to show and to log (never a token). */
  static final class SignInFailed extends Exception {
    SignInFailed(String message) {
      super(message);
    }
  }

  /** The provider as discovered: its endpoints and the validator bound to its keys. */
  private record Provider(
      OIDCProviderMetadata metadata, IDTokenValidator validator, Instant fetchedAt) {}

  private final OidcSettings settings;
  private final Clock clock;
  private volatile Provider provider;

  OidcClient(OidcSettings settings, Clock clock) {
    this.settings = settings;
    this.clock = clock;
  }

  /** Where to send the browser to sign in, for this flow. */
  URI authorizationUrl(OidcFlow flow) throws SignInFailed {
    OIDCProviderMetadata md = provider().metadata();
    return new AuthenticationRequest.Builder(
            ResponseType.CODE,
            new Scope(settings.scopes().toArray(String[]::new)),
            new ClientID(settings.clientId()),
            settings.redirectUri())
        .endpointURI(md.getAuthorizationEndpointURI())
        .state(flow.state())
        .nonce(flow.nonce())
        .codeChallenge(flow.verifier(), CodeChallengeMethod.S256)
        .build()
        .toURI();
  }

  /** Exchanges the code for tokens and returns who the valid ID token says signed in. */
  SsoPerson redeem(String code, OidcFlow flow) throws SignInFailed {
    Provider p = provider();
    ClientID id = new ClientID(settings.clientId());
    Secret secret = new Secret(settings.clientSecret().value());
    ClientAuthentication auth =
        switch (settings.clientAuth()) {
          case CLIENT_SECRET_BASIC -> new ClientSecretBasic(id, secret);
          case CLIENT_SECRET_POST -> new ClientSecretPost(id, secret);
        };
    HTTPRequest request =
        new TokenRequest(
                p.metadata().getTokenEndpointURI(),
                auth,
                new AuthorizationCodeGrant(
                    new AuthorizationCode(code), settings.redirectUri(), flow.verifier()))
            .toHTTPRequest();
    int ms = (int) settings.httpTimeout().toMillis();
    request.setConnectTimeout(ms);
    request.setReadTimeout(ms);
    TokenResponse response;
    try {
      response = OIDCTokenResponseParser.parse(request.send());
    } catch (IOException e) {
      throw new SignInFailed("the sign-in provider's token endpoint did not answer");
    } catch (ParseException e) {
      log.warn("OIDC token response not understood: {}", e.getMessage());
      throw new SignInFailed("the sign-in provider's token response was not understood");
    }
    if (!response.indicatesSuccess()) {
      // The code was already used, expired, or the PKCE verifier or client secret did not match.
      String error = response.toErrorResponse().getErrorObject().getCode();
      throw new SignInFailed("the sign-in provider refused the code (" + safe(error) + ")");
    }
    if (!(response.toSuccessResponse() instanceof OIDCTokenResponse tokens)
        || tokens.getOIDCTokens().getIDToken() == null) {
      throw new SignInFailed("the sign-in provider sent no ID token");
    }
    IDTokenClaimsSet claims;
    try {
      claims = p.validator().validate(tokens.getOIDCTokens().getIDToken(), flow.nonce());
    } catch (BadJOSEException e) {
      // Nimbus' messages name the failed check ("Expired JWT", "Unexpected JWT audience", ...).
      throw new SignInFailed("the ID token was refused: " + e.getMessage());
    } catch (com.nimbusds.jose.JOSEException e) {
      throw new SignInFailed("the ID token could not be checked");
    }
    return person(claims);
  }

  /** The claims that matter, as {@link SsoPerson}; the e-mail only when it may be trusted. */
  private SsoPerson person(IDTokenClaimsSet claims) {
    String email = claims.getStringClaim("email");
    Object verified = claims.getClaim("email_verified");
    // Cognito has sent the flag as the string "true"; accept both spellings of true only.
    boolean claimedTrue = Boolean.TRUE.equals(verified) || "true".equals(verified);
    boolean trusted =
        switch (settings.emailTrust()) {
          case IF_CLAIMED -> verified == null || claimedTrue;
          case REQUIRED -> claimedTrue;
        };
    Optional<String> verifiedEmail =
        Optional.ofNullable(email)
            .filter(e -> trusted && !e.isBlank() && e.length() <= 256 && e.contains("@"));
    Optional<String> username =
        Optional.ofNullable(claims.getStringClaim("preferred_username"))
            .filter(u -> !u.isBlank() && u.length() <= 256);
    return new SsoPerson(
        claims.getSubject().getValue(),
        verifiedEmail,
        username,
        groups(claims.getClaim(settings.groupsClaim())));
  }

  /** A list of strings (the usual form) or one string; anything else gives no groups. */
  private static List<String> groups(Object claim) {
    List<String> out = new ArrayList<>();
    if (claim instanceof String s) {
      out.add(s);
    } else if (claim instanceof List<?> list) {
      for (Object o : list) {
        if (o instanceof String s && out.size() < MAX_GROUPS) {
          out.add(s);
        }
      }
    }
    return out;
  }

  /** The discovered provider, fetched again after an hour or after a failed fetch. */
  private Provider provider() throws SignInFailed {
    Provider p = provider;
    Instant now = clock.instant();
    if (p != null && now.isBefore(p.fetchedAt().plus(METADATA_TTL))) {
      return p;
    }
    synchronized (this) {
      p = provider;
      if (p != null && now.isBefore(p.fetchedAt().plus(METADATA_TTL))) {
        return p;
      }
      try {
        p = discover(now);
      } catch (SignInFailed e) {
        if (p != null) {
          // Keep signing people in with what the provider said an hour ago; try again next time.
          log.warn("OIDC discovery failed, keeping the cached document: {}", e.getMessage());
          return p;
        }
        throw e;
      }
      provider = p;
      return p;
    }
  }

  private Provider discover(Instant now) throws SignInFailed {
    int ms = (int) settings.httpTimeout().toMillis();
    Issuer issuer = new Issuer(settings.issuer());
    OIDCProviderMetadata md;
    try {
      // Also checks that the document's issuer is exactly the configured one.
      md = OIDCProviderMetadata.resolve(issuer, ms, ms);
    } catch (IOException e) {
      log.warn("OIDC discovery at {} failed: {}", settings.issuer(), e.getClass().getSimpleName());
      throw new SignInFailed("the sign-in provider could not be reached");
    } catch (GeneralException e) {
      log.warn("OIDC discovery at {} failed: {}", settings.issuer(), e.getMessage());
      throw new SignInFailed("the sign-in provider's discovery document is not valid");
    }
    if (md.getAuthorizationEndpointURI() == null
        || md.getTokenEndpointURI() == null
        || md.getJWKSetURI() == null) {
      throw new SignInFailed("the sign-in provider's discovery document lacks an endpoint");
    }
    Set<JWSAlgorithm> algs = asymmetric(md.getIDTokenJWSAlgs());
    JWKSource<SecurityContext> keys;
    try {
      keys =
          JWKSourceBuilder.<SecurityContext>create(
                  md.getJWKSetURI().toURL(), new DefaultResourceRetriever(ms, ms, 512 * 1024))
              .cache(JWKS_TTL_MS, ms)
              .build();
    } catch (java.net.MalformedURLException e) {
      throw new SignInFailed("the sign-in provider's jwks_uri is not a URL");
    }
    IDTokenValidator validator =
        new IDTokenValidator(
            issuer,
            new ClientID(settings.clientId()),
            new JWSVerificationKeySelector<>(algs, keys),
            null);
    validator.setMaxClockSkew(SKEW_SECONDS);
    log.info("OIDC provider {} discovered; ID token algorithms {}", settings.issuer(), algs);
    return new Provider(md, validator, now);
  }

  /**
   * The provider's ID token algorithms that use a public key (RS256 when it lists none, the spec's
   * default); {@code none} and HMAC (keyed with the client secret) are never accepted.
   */
  static Set<JWSAlgorithm> asymmetric(List<JWSAlgorithm> advertised) {
    Set<JWSAlgorithm> out =
        Optional.ofNullable(advertised).orElse(List.of()).stream()
            .filter(
                a ->
                    JWSAlgorithm.Family.RSA.contains(a)
                        || JWSAlgorithm.Family.EC.contains(a)
                        || JWSAlgorithm.Family.ED.contains(a))
            .collect(Collectors.toSet());
    return out.isEmpty() ? Set.of(JWSAlgorithm.RS256) : out;
  }

  /** An OAuth error code as sent, if it looks like one (it is shown on a page). */
  static String safe(String code) {
    return code != null && code.matches("[a-z_]{1,64}") ? code : "error";
  }
}

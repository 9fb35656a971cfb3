package io.llmgateway.server.ui;

import io.llmgateway.server.ServerConfig;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;

/**
 * Single sign-on to the admin UI with an OpenID Connect provider (authorization code flow with
 * PKCE): where the provider is, this gateway's client registration there, which claim carries the
 * person's groups and which groups give which role. Immutable and thread-safe; {@link #toString()}
 * never shows the client secret.
 *
 * @param issuer the provider's issuer URL; its discovery document is {@code
 *     <issuer>/.well-known/openid-configuration} and every ID token's {@code iss} must equal it
 * @param clientId this gateway's client id at the provider (every ID token's {@code aud} has it)
 * @param clientSecret the client secret, sent only to the token endpoint
 * @param redirectUri where the provider sends the browser back: {@code
 *     https://<gateway>/ui/oidc/callback}, registered at the provider exactly so
 * @param scopes requested scopes, {@code openid} among them
 * @param groupsClaim the ID token claim with the person's groups ({@code groups}, Cognito's {@code
 *     cognito:groups})
 * @param displayName the provider's name on the sign-in button ("Sign in with ...")
 * @param clientAuth how the client secret is sent to the token endpoint
 * @param emailTrust when the {@code email} claim is believed (for self-service and named operators)
 * @param roles which groups give which role
 * @param httpTimeout connect and read timeout for every call to the provider
 */
public record OidcSettings(
    URI issuer,
    String clientId,
    ServerConfig.Secret clientSecret,
    URI redirectUri,
    List<String> scopes,
    String groupsClaim,
    String displayName,
    ClientAuth clientAuth,
    EmailTrust emailTrust,
    RoleMapping roles,
    Duration httpTimeout) {

  /** The path the callback is served at; the redirect URI must end in it. */
  public static final String CALLBACK_PATH = "/ui/oidc/callback";

  /** How the client authenticates at the token endpoint (RFC 6749 section 2.3.1). */
  public enum ClientAuth {
    /** HTTP Basic with the client id and secret: the spec's default. */
    CLIENT_SECRET_BASIC,
    /** The client id and secret as form fields of the token request. */
    CLIENT_SECRET_POST
  }

  /**
   * When the ID token's {@code email} is taken as the person's. It maps a person to a gateway user
   * (and to a named operator), so an address the provider did not verify must never count: anyone
   * could register one at a provider with open sign-up.
   */
  public enum EmailTrust {
    /**
     * {@code email_verified} must be true when the provider sends it; an e-mail without the claim
     * counts (Entra ID never sends it: its addresses come from the tenant's directory).
     */
    IF_CLAIMED,
    /**
     * {@code email_verified} must be present and true (Okta, Cognito, Google, Keycloak send it).
     */
    REQUIRED
  }

  public OidcSettings {
    Objects.requireNonNull(clientSecret, "clientSecret");
    Objects.requireNonNull(emailTrust, "emailTrust");
    Objects.requireNonNull(clientAuth, "clientAuth");
    Objects.requireNonNull(roles, "roles");
    requireWebUrl("issuer", issuer);
    requireWebUrl("redirect URI", redirectUri);
    if (issuer.getQuery() != null || issuer.getFragment() != null) {
      throw new IllegalArgumentException("the issuer URL has no query or fragment");
    }
    if (!CALLBACK_PATH.equals(redirectUri.getPath()) || redirectUri.getQuery() != null) {
      throw new IllegalArgumentException(
          "the redirect URI must be https://<this gateway's public host>" + CALLBACK_PATH);
    }
    if (clientId == null || clientId.isBlank() || clientId.length() > 256) {
      throw new IllegalArgumentException("the client id must be 1 to 256 characters");
    }
    if (clientSecret.value().isBlank()) {
      throw new IllegalArgumentException("the client secret is empty");
    }
    scopes = List.copyOf(scopes);
    if (!scopes.contains("openid")) {
      throw new IllegalArgumentException("the scopes must include openid");
    }
    if (groupsClaim == null || groupsClaim.isBlank()) {
      throw new IllegalArgumentException("the groups claim name is empty");
    }
    if (displayName == null || displayName.isBlank() || displayName.length() > 64) {
      throw new IllegalArgumentException("the display name must be 1 to 64 characters");
    }
    if (httpTimeout == null || httpTimeout.isNegative() || httpTimeout.isZero()) {
      throw new IllegalArgumentException("the timeout must be positive");
    }
  }

  /**
   * The credential SSO sessions are bound to: changes when the issuer, the client id or the role
   * mapping does, so such a change ends every SSO session (on every instance, at start) and no
   * other. The client secret is left out on purpose: rotating it changes no one's rights.
   */
  public String credential() {
    return Secrets.sha256Hex(
        "ui-oidc\n" + issuer + "\n" + clientId + "\n" + groupsClaim + "\n" + roles.canonical());
  }

  /** Plain http is allowed only to a loopback provider (local development and tests). */
  private static void requireWebUrl(String what, URI uri) {
    if (uri == null || !uri.isAbsolute() || uri.getHost() == null) {
      throw new IllegalArgumentException("the " + what + " must be an absolute https URL");
    }
    String scheme = uri.getScheme().toLowerCase(Locale.ROOT);
    boolean loopback = Set.of("localhost", "127.0.0.1", "[::1]").contains(uri.getHost());
    if (!scheme.equals("https") && !(scheme.equals("http") && loopback)) {
      throw new IllegalArgumentException(
          "the " + what + " must be https (http only for localhost): " + uri);
    }
    if (uri.getUserInfo() != null) {
      throw new IllegalArgumentException("the " + what + " must not carry a user name");
    }
  }

  @Override
  public String toString() {
    return "OidcSettings["
        + issuer
        + ", client "
        + clientId
        + ", secret redacted, "
        + redirectUri
        + ", groups claim "
        + groupsClaim
        + "]";
  }
}

package io.llmgateway.server.ui;

import com.nimbusds.oauth2.sdk.id.State;
import com.nimbusds.oauth2.sdk.pkce.CodeVerifier;
import com.nimbusds.openid.connect.sdk.Nonce;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;

/**
 * One sign-in attempt: a random 256-bit secret kept only in the browser's short-lived HttpOnly
 * {@code gw-oidc} cookie, from which the {@code state}, the {@code nonce} and the PKCE verifier are
 * derived (SHA-256 under distinct labels). So nothing is stored on the server and the callback may
 * land on any instance; the state and nonce travel through the provider but reveal neither the
 * secret nor the verifier. Immutable and thread-safe.
 *
 * @param secret the cookie's value (43 base64url characters)
 */
record OidcFlow(String secret) {

  OidcFlow {
    if (secret == null || !secret.matches("[A-Za-z0-9_-]{43}")) {
      throw new IllegalArgumentException("not a flow secret");
    }
  }

  static OidcFlow start() {
    return new OidcFlow(Secrets.token());
  }

  State state() {
    return new State(derive("state"));
  }

  Nonce nonce() {
    return new Nonce(derive("nonce"));
  }

  /** 43 base64url characters: the shortest verifier RFC 7636 allows, with 256 bits. */
  CodeVerifier verifier() {
    return new CodeVerifier(derive("pkce-verifier"));
  }

  private String derive(String label) {
    try {
      byte[] d =
          MessageDigest.getInstance("SHA-256")
              .digest(("gw-oidc\n" + label + "\n" + secret).getBytes(StandardCharsets.UTF_8));
      return Base64.getUrlEncoder().withoutPadding().encodeToString(d);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is missing from this JVM", e);
    }
  }

  @Override
  public String toString() {
    return "OidcFlow[redacted]";
  }
}

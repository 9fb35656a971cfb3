package io.llmgateway.server.alerts;

import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The webhook's signature header, in Stripe's style: {@code X-Gateway-Signature: t=<unix
 * seconds>,v1=<hex HMAC-SHA256>} over {@code "<t>.<raw body>"} with the shared secret. The
 * timestamp is signed so a captured request cannot be replayed later than the receiver's tolerance.
 * Receivers compare in constant time (docs/ALERTS.md has a Python and a Node example).
 */
public final class WebhookSignature {
  public static final String HEADER = "X-Gateway-Signature";

  private WebhookSignature() {}

  public static String header(String secret, Instant at, byte[] body) {
    long t = at.getEpochSecond();
    return "t=" + t + ",v1=" + HexFormat.of().formatHex(hmac(secret, t, body));
  }

  /** Whether {@code header} signs {@code body} with {@code secret}, within {@code tolerance}. */
  public static boolean verify(
      String secret, String header, byte[] body, Instant now, Duration tolerance) {
    Long t = null;
    String v1 = null;
    for (String part : header.split(",")) {
      if (part.startsWith("t=")) {
        try {
          t = Long.parseLong(part.substring(2));
        } catch (NumberFormatException e) {
          return false;
        }
      } else if (part.startsWith("v1=")) {
        v1 = part.substring(3);
      }
    }
    if (t == null || v1 == null || !v1.matches("[0-9a-f]{64}")) {
      return false;
    }
    if (Math.abs(now.getEpochSecond() - t) > tolerance.toSeconds()) {
      return false;
    }
    return MessageDigest.isEqual(hmac(secret, t, body), HexFormat.of().parseHex(v1));
  }

  private static byte[] hmac(String secret, long t, byte[] body) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
      mac.update((t + ".").getBytes(StandardCharsets.US_ASCII));
      return mac.doFinal(body);
    } catch (NoSuchAlgorithmException | InvalidKeyException e) {
      throw new IllegalStateException(e);
    }
  }
}

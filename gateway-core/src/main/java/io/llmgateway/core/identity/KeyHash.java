package io.llmgateway.core.identity;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.regex.Pattern;

/**
 * SHA-256 of a virtual key, as lower-case hex (LiteLLM's {@code token}). A 128-bit-plus random key
 * needs no slow KDF: a single SHA-256 cannot be brute-forced. Immutable and thread-safe.
 */
public record KeyHash(String hex) {
  private static final Pattern HEX64 = Pattern.compile("[0-9a-f]{64}");

  public KeyHash {
    if (hex == null || !HEX64.matcher(hex).matches()) {
      throw new IllegalArgumentException("not a SHA-256 hex digest");
    }
  }

  public static KeyHash of(String plaintextKey) {
    try {
      byte[] digest =
          MessageDigest.getInstance("SHA-256")
              .digest(plaintextKey.getBytes(StandardCharsets.UTF_8));
      return new KeyHash(HexFormat.of().formatHex(digest));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is required by every JDK", e);
    }
  }

  /** True when {@code text} already looks like a hash rather than a key. */
  public static boolean looksLikeHash(String text) {
    return text != null && HEX64.matcher(text).matches();
  }

  /** Constant-time comparison, for secrets compared outside an index lookup. */
  public boolean matches(KeyHash other) {
    return MessageDigest.isEqual(
        hex.getBytes(StandardCharsets.US_ASCII), other.hex.getBytes(StandardCharsets.US_ASCII));
  }

  @Override
  public String toString() {
    return "KeyHash[" + hex.substring(0, 8) + "...]";
  }
}

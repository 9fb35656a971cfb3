package io.llmgateway.core.identity;

import java.security.SecureRandom;
import java.util.Base64;

/**
 * Generates virtual keys: {@code sk-} followed by 32 random bytes in URL-safe base64 (256 bits,
 * twice LiteLLM's). Thread-safe.
 */
public final class ApiKeys {
  private static final SecureRandom RANDOM = new SecureRandom();
  public static final String PREFIX = "sk-";

  private ApiKeys() {}

  public static String generate() {
    byte[] bytes = new byte[32];
    RANDOM.nextBytes(bytes);
    return PREFIX + Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
  }

  /** A display form that is not secret: {@code sk-...abcd}. */
  public static String displayPrefix(String plaintextKey) {
    String tail =
        plaintextKey.length() > 4 ? plaintextKey.substring(plaintextKey.length() - 4) : "";
    return PREFIX + "..." + tail;
  }

  /** Random opaque identifier with a readable prefix, e.g. {@code key_3f9a...}. */
  public static String newId(String prefix) {
    byte[] bytes = new byte[12];
    RANDOM.nextBytes(bytes);
    return prefix + "_" + java.util.HexFormat.of().formatHex(bytes);
  }
}

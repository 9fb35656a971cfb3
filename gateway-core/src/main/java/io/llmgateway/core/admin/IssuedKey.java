package io.llmgateway.core.admin;

import io.llmgateway.core.identity.VirtualKey;
import java.util.Objects;

/**
 * A key as just generated or regenerated: the only place its plaintext ever exists. Show it to the
 * caller once; it is never stored or logged. Immutable and thread-safe; {@link #toString()} hides
 * the plaintext.
 */
public record IssuedKey(String plaintext, VirtualKey key) {
  public IssuedKey {
    Objects.requireNonNull(plaintext, "plaintext");
    Objects.requireNonNull(key, "key");
  }

  @Override
  public String toString() {
    return "IssuedKey[key=" + key.id() + ", " + key.displayPrefix() + "]";
  }
}

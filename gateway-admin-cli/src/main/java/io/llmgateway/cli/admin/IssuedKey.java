package io.llmgateway.cli.admin;

import io.llmgateway.core.identity.VirtualKey;
import java.util.Objects;

/**
 * A key just created or rotated, with its plaintext: the only moment it exists. {@link #toString()}
 * hides the plaintext so it cannot reach a log line. Immutable and thread-safe.
 */
public record IssuedKey(VirtualKey key, String plaintext) {
  public IssuedKey {
    Objects.requireNonNull(key, "key");
    Objects.requireNonNull(plaintext, "plaintext");
  }

  @Override
  public String toString() {
    return "IssuedKey[" + key.id() + ", " + key.displayPrefix() + "]";
  }
}

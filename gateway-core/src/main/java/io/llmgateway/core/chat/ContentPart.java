package io.llmgateway.core.chat;

import java.util.Objects;
import java.util.Set;

/** A piece of user content: text or an inline image. Immutable and thread-safe. */
public sealed interface ContentPart {

  /** Plain text. */
  record Text(String text) implements ContentPart {
    public Text {
      Objects.requireNonNull(text, "text");
    }
  }

  /**
   * An image given inline (never a URL the gateway would fetch). {@code format} is one of png,
   * jpeg, gif, webp.
   */
  record Image(String format, byte[] data) implements ContentPart {
    public static final Set<String> FORMATS = Set.of("png", "jpeg", "gif", "webp");

    public Image {
      if (!FORMATS.contains(format)) {
        throw new IllegalArgumentException("image format must be one of png, jpeg, gif, webp");
      }
      if (data == null || data.length == 0) {
        throw new IllegalArgumentException("image has no data");
      }
      data = data.clone();
    }

    @Override
    public byte[] data() {
      return data.clone();
    }

    public int size() {
      return data.length;
    }
  }
}

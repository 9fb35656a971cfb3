package io.llmgateway.core.chat;

import java.util.Objects;
import java.util.Optional;

/** The shape the caller wants the answer in. Immutable and thread-safe. */
public sealed interface ResponseFormat {
  /** Free text (the default). */
  record Text() implements ResponseFormat {}

  /** Any JSON object. */
  record JsonObject() implements ResponseFormat {}

  /** A JSON object matching a schema (JSON object text). */
  record JsonSchema(String name, Optional<String> description, String schemaJson, boolean strict)
      implements ResponseFormat {
    public JsonSchema {
      Objects.requireNonNull(name, "name");
      Objects.requireNonNull(description, "description");
      Objects.requireNonNull(schemaJson, "schemaJson");
    }
  }

  ResponseFormat TEXT = new Text();
}

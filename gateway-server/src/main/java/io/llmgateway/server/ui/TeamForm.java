package io.llmgateway.server.ui;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.javalin.http.Context;
import io.llmgateway.core.error.InvalidRequestException;
import io.llmgateway.core.identity.RateLimits;
import java.util.Map;
import java.util.OptionalLong;

/**
 * The team form's fields beyond names and budgets: rate limits (blank = unlimited) and metadata (a
 * JSON object, blank = empty). Range and size rules are the core's ({@link RateLimits}, the patch's
 * metadata check), the same the admin API applies. Stateless.
 */
final class TeamForm {
  // Numbers as BigDecimal, as the admin API reads JSON bodies.
  private static final ObjectMapper JSON =
      new ObjectMapper().enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS);

  private TeamForm() {}

  static RateLimits rateLimits(Context ctx) {
    return new RateLimits(
        whole(ctx, "rpm"), whole(ctx, "tpm"), whole(ctx, "max_parallel_requests"));
  }

  private static OptionalLong whole(Context ctx, String field) {
    var v = Forms.text(ctx, field);
    if (v.isEmpty()) {
      return OptionalLong.empty();
    }
    try {
      return OptionalLong.of(Long.parseLong(v.get()));
    } catch (NumberFormatException e) {
      throw new InvalidRequestException(field + " must be a whole number", field);
    }
  }

  @SuppressWarnings("unchecked")
  static Map<String, Object> metadata(Context ctx) {
    var v = Forms.text(ctx, "metadata");
    if (v.isEmpty()) {
      return Map.of();
    }
    try {
      Object parsed = JSON.readValue(v.get(), Object.class);
      if (!(parsed instanceof Map<?, ?> m)) {
        throw new InvalidRequestException("metadata must be a JSON object", "metadata");
      }
      return (Map<String, Object>) m;
    } catch (JsonProcessingException e) {
      // Never the parser's message: it quotes the input back.
      throw new InvalidRequestException("metadata must be a JSON object", "metadata");
    }
  }

  static String metadataText(Map<String, Object> metadata) {
    if (metadata.isEmpty()) {
      return "";
    }
    try {
      return JSON.writeValueAsString(metadata);
    } catch (JsonProcessingException e) {
      return "";
    }
  }
}

package io.llmgateway.server.http;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.datatype.jdk8.Jdk8Module;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import io.llmgateway.server.ServerConfig;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * The server's one JSON setup: a Jackson {@link ObjectMapper} whose parser refuses hostile input
 * early (nesting depth, document, string and number length limits from {@link
 * ServerConfig.Limits}), snake_case property names (OpenAI's and LiteLLM's), ISO-8601 times, and
 * absent {@code Optional}s left out. Thread-safe once built.
 */
public final class Json {
  private final ObjectMapper mapper;

  public Json(ServerConfig.Limits limits) {
    StreamReadConstraints constraints =
        StreamReadConstraints.builder()
            .maxNestingDepth(limits.maxJsonDepth())
            .maxDocumentLength(limits.maxBodyBytes())
            .maxStringLength(limits.maxBodyBytes())
            .maxNumberLength(64)
            .maxNameLength(1_000)
            .build();
    JsonFactory factory =
        JsonFactory.builder()
            .streamReadConstraints(constraints)
            // Duplicate keys are an ambiguity attackers use to slip fields past a validator.
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .build();
    this.mapper =
        JsonMapper.builder(factory)
            .addModule(new JavaTimeModule())
            .addModule(new Jdk8Module())
            .propertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
            .serializationInclusion(JsonInclude.Include.NON_ABSENT)
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .build();
  }

  public ObjectMapper mapper() {
    return mapper;
  }

  /** Parses a request body; throws Jackson's exceptions, which {@link ErrorMapper} maps to 400. */
  public JsonNode parse(byte[] body) throws IOException {
    if (body.length == 0) {
      throw HttpProblem.badRequest("request body is empty; send a JSON object");
    }
    return mapper.readTree(body);
  }

  public byte[] write(Object value) {
    try {
      return mapper.writeValueAsBytes(value);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Writes JSON by hand, for hot paths and exact shapes (explicit nulls). */
  public byte[] write(JsonWriter writer) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(512);
    try (JsonGenerator g = mapper.getFactory().createGenerator(out)) {
      writer.write(g);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toByteArray();
  }

  /** Writes one JSON value with a generator. */
  @FunctionalInterface
  public interface JsonWriter {
    void write(JsonGenerator g) throws IOException;
  }
}

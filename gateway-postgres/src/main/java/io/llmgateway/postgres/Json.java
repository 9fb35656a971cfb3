package io.llmgateway.postgres;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.llmgateway.core.error.InvalidRequestException;
import java.util.LinkedHashMap;
import java.util.Map;

/** Metadata maps to and from jsonb text. Thread-safe (ObjectMapper is, once configured). */
final class Json {
  private static final ObjectMapper MAPPER = new ObjectMapper();
  private static final TypeReference<LinkedHashMap<String, Object>> MAP = new TypeReference<>() {};

  private Json() {}

  static String write(Map<String, ?> map) {
    try {
      return MAPPER.writeValueAsString(map);
    } catch (JsonProcessingException e) {
      throw new InvalidRequestException("metadata cannot be stored as JSON");
    }
  }

  /** Any JSON-able value (lists and maps of strings, numbers, nulls) as JSON text. */
  static String writeValue(Object value) {
    try {
      return MAPPER.writeValueAsString(value);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot write JSON: " + e.getOriginalMessage());
    }
  }

  /** Reads a JSON object; null values are dropped since domain maps hold no nulls. */
  static Map<String, Object> read(String json) {
    if (json == null || json.isEmpty()) {
      return Map.of();
    }
    try {
      Map<String, Object> map = MAPPER.readValue(json, MAP);
      map.values().removeIf(java.util.Objects::isNull);
      return map;
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("stored JSON is not an object", e);
    }
  }
}

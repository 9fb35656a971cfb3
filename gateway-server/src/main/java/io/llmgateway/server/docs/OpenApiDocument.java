package io.llmgateway.server.docs;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Collection;
import java.util.Iterator;
import java.util.Map;

/**
 * Builds the OpenAPI 3 document from {@code /openapi/base.json} plus the fragments each route group
 * lists: a fragment's {@code paths} and every {@code components} section are merged in (a fragment
 * may not redefine a path another one defines). To document new routes, add a JSON fragment and
 * return it from {@code Routes#openApiFragments()}. Stateless.
 */
public final class OpenApiDocument {
  private OpenApiDocument() {}

  public static byte[] build(ObjectMapper mapper, Collection<String> fragments) {
    ObjectNode doc = (ObjectNode) read(mapper, "/openapi/base.json");
    ObjectNode paths = doc.withObject("/paths");
    ObjectNode components = doc.withObject("/components");
    for (String name : new java.util.LinkedHashSet<>(fragments)) {
      JsonNode fragment = read(mapper, name);
      for (Iterator<Map.Entry<String, JsonNode>> it = fragment.path("paths").fields();
          it.hasNext(); ) {
        Map.Entry<String, JsonNode> e = it.next();
        if (paths.has(e.getKey())) {
          throw new IllegalStateException(
              "OpenAPI path " + e.getKey() + " is defined twice (" + name + ")");
        }
        paths.set(e.getKey(), e.getValue());
      }
      for (Iterator<Map.Entry<String, JsonNode>> it = fragment.path("components").fields();
          it.hasNext(); ) {
        Map.Entry<String, JsonNode> section = it.next();
        ObjectNode target = components.withObject("/" + section.getKey());
        target.setAll((ObjectNode) section.getValue());
      }
    }
    try {
      return mapper.writerWithDefaultPrettyPrinter().writeValueAsBytes(doc);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static JsonNode read(ObjectMapper mapper, String resource) {
    try (InputStream in = OpenApiDocument.class.getResourceAsStream(resource)) {
      if (in == null) {
        throw new IllegalStateException("missing OpenAPI resource " + resource);
      }
      return mapper.readTree(in);
    } catch (IOException e) {
      throw new UncheckedIOException("unreadable OpenAPI resource " + resource, e);
    }
  }
}

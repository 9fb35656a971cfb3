package io.llmgateway.server.admin;

import com.fasterxml.jackson.databind.JsonNode;
import io.javalin.http.Context;
import io.llmgateway.core.PageRequest;
import io.llmgateway.core.identity.Principal;
import io.llmgateway.server.http.BodyReader;
import java.io.IOException;
import java.util.Optional;
import java.util.Set;

/**
 * One admin request as its handler sees it: the authenticated caller, the JSON body (read once,
 * size-limited, every unknown field refused) and the query string (unknown parameters refused too).
 * Not thread-safe (one per request).
 */
final class AdminCall {
  /** Admin bodies are small; anything larger is refused before parsing. */
  static final int MAX_BODY_BYTES = 256 * 1024;

  private final Context ctx;
  private final Principal actor;
  private final AdminJson json;
  private JsonNode body;
  private int status = 200;

  AdminCall(Context ctx, Principal actor, AdminJson json) {
    this.ctx = ctx;
    this.actor = actor;
    this.json = json;
  }

  Principal actor() {
    return actor;
  }

  Context ctx() {
    return ctx;
  }

  int status() {
    return status;
  }

  void status(int value) {
    status = value;
  }

  /** The body as a JSON object, refusing fields outside {@code allowed}. */
  Body body(Set<String> allowed) throws IOException {
    return Body.of(rawBody(), allowed);
  }

  /** The body, or empty when none was sent. */
  Optional<JsonNode> optionalBody() throws IOException {
    if (body == null) {
      byte[] bytes = BodyReader.read(ctx, MAX_BODY_BYTES);
      if (bytes.length == 0
          || new String(bytes, java.nio.charset.StandardCharsets.UTF_8).isBlank()) {
        return Optional.empty();
      }
      body = json.parseObject(bytes);
    }
    return Optional.of(body);
  }

  private JsonNode rawBody() throws IOException {
    if (body == null) {
      body = json.parseObject(BodyReader.read(ctx, MAX_BODY_BYTES));
    }
    return body;
  }

  /** The query string, refusing parameters outside {@code allowed}. */
  Query query(Set<String> allowed) {
    return new Query(ctx, allowed);
  }

  /** Query parameters, each given at most once and bounded in length. */
  static final class Query {
    private final Context ctx;

    Query(Context ctx, Set<String> allowed) {
      this.ctx = ctx;
      for (var e : ctx.queryParamMap().entrySet()) {
        String name = e.getKey();
        if (!allowed.contains(name)) {
          String shown = name.length() > 64 ? name.substring(0, 64) + "..." : name;
          throw Body.invalid(
              shown,
              "unknown query parameter '"
                  + shown
                  + "'; accepted: "
                  + String.join(", ", allowed.stream().sorted().toList()));
        }
        if (e.getValue().size() > 1) {
          throw Body.invalid(name, "query parameter '" + name + "' is given more than once");
        }
      }
    }

    Optional<String> text(String name) {
      String v = ctx.queryParam(name);
      if (v == null || v.isBlank()) {
        return Optional.empty();
      }
      if (v.length() > 512) {
        throw Body.invalid(name, name + " is longer than 512 characters");
      }
      return Optional.of(v);
    }

    int integer(String name, int dflt, int min, int max) {
      Optional<String> v = text(name);
      if (v.isEmpty()) {
        return dflt;
      }
      try {
        int i = Integer.parseInt(v.get().trim());
        if (i < min || i > max) {
          throw new NumberFormatException();
        }
        return i;
      } catch (NumberFormatException e) {
        throw Body.invalid(name, name + " must be a whole number between " + min + " and " + max);
      }
    }

    boolean bool(String name) {
      return text(name).map(v -> v.equalsIgnoreCase("true") || v.equals("1")).orElse(false);
    }

    /** {@code page} (1-based) and a size parameter, bounded. */
    PageRequest page(String sizeName, int dflt, int max) {
      int page = integer("page", 1, 1, 1_000_000);
      int size = integer(sizeName, dflt, 1, max);
      return new PageRequest(page, size);
    }
  }
}

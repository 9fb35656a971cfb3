package io.llmgateway.server.http;

import io.javalin.http.Context;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends errors to clients in OpenAI's envelope and logs them without secrets: 5xx with the
 * exception (stack trace in the log only), 4xx as one line with the request id. Thread-safe.
 */
public final class ErrorResponder {
  private static final Logger log = LoggerFactory.getLogger(ErrorResponder.class);

  private final ErrorMapper mapper;
  private final Json json;

  public ErrorResponder(ErrorMapper mapper, Json json) {
    this.mapper = mapper;
    this.json = json;
  }

  /** Maps {@code error} and writes it as the response. */
  public void respond(Throwable error, Context ctx) {
    ApiError api = mapper.map(error);
    if (api.status() >= 500 && api.type().equals("internal_error")) {
      log.error(
          "request {} failed: {} {}",
          RequestIds.of(ctx),
          ctx.method(),
          ctx.endpoint() == null ? "-" : ctx.endpoint().path,
          error);
    }
    ctx.attribute(RequestAttributes.ERROR_CODE, api.code());
    ctx.attribute(RequestAttributes.ERROR, error);
    write(ctx, api);
  }

  public void write(Context ctx, ApiError api) {
    ctx.status(api.status());
    api.headers().forEach(ctx::header);
    ctx.contentType("application/json");
    ctx.result(body(api));
  }

  public byte[] body(ApiError api) {
    return json.write(
        g -> {
          g.writeStartObject();
          g.writeObjectFieldStart("error");
          g.writeStringField("message", api.message());
          g.writeStringField("type", api.type());
          if (api.param().isPresent()) {
            g.writeStringField("param", api.param().get());
          } else {
            g.writeNullField("param");
          }
          g.writeStringField("code", api.code());
          if (api.problems().size() > 1) {
            // Every problem of a request refused for several at once (docs/ADMIN_API.md).
            g.writeArrayFieldStart("problems");
            for (var p : api.problems()) {
              g.writeStartObject();
              g.writeStringField("param", p.param().orElse(null));
              g.writeStringField("message", p.message());
              g.writeEndObject();
            }
            g.writeEndArray();
          }
          g.writeEndObject();
          g.writeEndObject();
        });
  }

  public ErrorMapper mapper() {
    return mapper;
  }
}

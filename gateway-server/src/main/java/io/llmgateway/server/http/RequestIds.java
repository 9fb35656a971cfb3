package io.llmgateway.server.http;

import io.javalin.http.Context;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * The {@code x-request-id} of a request: the caller's, if it is short and harmless (letters,
 * digits, {@code - _ . :}, at most 128 characters: nothing that could forge a log line), else a
 * fresh UUID. Echoed on every response and carried in every log line. Stateless.
 */
public final class RequestIds {
  public static final String HEADER = "x-request-id";
  private static final Pattern SANE = Pattern.compile("[A-Za-z0-9._:-]{1,128}");

  private RequestIds() {}

  /** Assigns the request id (before handlers run) and sets the response header. */
  public static String assign(Context ctx) {
    String incoming = ctx.header(HEADER);
    String id = incoming != null && SANE.matcher(incoming).matches() ? incoming : fresh();
    ctx.attribute(RequestAttributes.REQUEST_ID, id);
    ctx.header(HEADER, id);
    return id;
  }

  /** The id assigned to this request (assigning one if none was). */
  public static String of(Context ctx) {
    String id = ctx.attribute(RequestAttributes.REQUEST_ID);
    return id != null ? id : assign(ctx);
  }

  static String fresh() {
    return UUID.randomUUID().toString();
  }
}

package io.llmgateway.server.http;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.handler.ErrorHandler;
import org.eclipse.jetty.util.Callback;

/**
 * Jetty's own error answers (a request it refused before any route ran: headers too large, no or
 * bad {@code Host}, URI too long, a malformed request line or body framing, a throwable that
 * escaped a handler) in the gateway's shapes instead of Jetty's HTML page: OpenAI's JSON error
 * envelope on every path, and a plain page with the UI's security headers under {@code /ui}. The
 * message is a fixed text per status, never Jetty's reason or the request's bytes. Thread-safe.
 */
public final class ProtocolErrors extends ErrorHandler {
  private final ErrorResponder errors;

  public ProtocolErrors(ErrorResponder errors) {
    this.errors = errors;
  }

  /** Every method gets a body (Jetty's default answers PUT or DELETE with an empty one). */
  @Override
  public boolean errorPageForMethod(String method) {
    return true;
  }

  @Override
  protected void generateResponse(
      Request request,
      Response response,
      int code,
      String message,
      Throwable cause,
      Callback callback)
      throws IOException {
    ApiError api = of(code);
    String id = RequestIds.fresh();
    response.getHeaders().put(RequestIds.HEADER, id);
    response.getHeaders().put(HttpHeader.CACHE_CONTROL, "no-store");
    String path = request.getHttpURI() == null ? null : request.getHttpURI().getPath();
    byte[] body;
    if (path != null && (path.equals("/ui") || path.startsWith("/ui/"))) {
      response.getHeaders().put(HttpHeader.CONTENT_TYPE, "text/html; charset=utf-8");
      response
          .getHeaders()
          .put("Content-Security-Policy", "default-src 'none'; frame-ancestors 'none'");
      response.getHeaders().put("X-Content-Type-Options", "nosniff");
      response.getHeaders().put("X-Frame-Options", "DENY");
      body = page(api).getBytes(StandardCharsets.UTF_8);
    } else {
      response.getHeaders().put(HttpHeader.CONTENT_TYPE, "application/json");
      body = errors.body(api);
    }
    response.write(true, ByteBuffer.wrap(body), callback);
  }

  /** A fixed, safe error for each status Jetty may produce on its own. */
  static ApiError of(int status) {
    String request = "invalid_request_error";
    return switch (status) {
      case 400 -> new ApiError(400, request, "bad_request", "the HTTP request is malformed");
      case 404 -> new ApiError(404, "not_found_error", "not_found", "no such route");
      case 405 -> new ApiError(405, request, "method_not_allowed", "method not allowed here");
      case 408 ->
          new ApiError(408, request, "request_timeout", "the request did not arrive in time");
      case 413 -> new ApiError(413, request, "request_too_large", "the request body is too large");
      case 414 -> new ApiError(414, request, "uri_too_long", "the request URI is too long");
      case 431 ->
          new ApiError(
              431, request, "headers_too_large", "the request headers are too large (8 KiB)");
      case 503 ->
          new ApiError(
              503, "service_unavailable_error", "service_unavailable", "service unavailable");
      default ->
          status >= 500
              ? new ApiError(status, "internal_error", "internal_error", "internal error")
              : new ApiError(status, request, "http_" + status, "the request was refused");
    };
  }

  private static String page(ApiError api) {
    return """
        <!doctype html>
        <html lang="en"><head><meta charset="utf-8"><title>LLM Gateway: %1$d</title></head>
        <body><h1>%1$d</h1><p>%2$s.</p><p><a href="/ui">Back to the gateway UI</a></p></body>
        </html>
        """
        .formatted(api.status(), api.message());
  }
}

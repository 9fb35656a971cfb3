package io.llmgateway.server.otel;

import io.javalin.http.Context;
import io.llmgateway.core.identity.Principal;
import io.llmgateway.server.http.RequestAttributes;
import io.llmgateway.server.http.RequestIds;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Scope;
import io.opentelemetry.context.propagation.TextMapGetter;
import io.opentelemetry.context.propagation.TextMapPropagator;
import io.opentelemetry.sdk.trace.ReadableSpan;
import java.util.List;

/**
 * The request's span: a SERVER span started before any handler (its parent is the client's W3C
 * {@code traceparent}, if any), current on the handler thread so the core's phase spans nest under
 * it, and ended once the response is written with the HTTP status, route, error type and the
 * caller's key, user and team ids (never the key itself). Thread-safe.
 */
final class HttpTracing {
  private static final String SPAN = "gw.otel.span";
  private static final String SCOPE = "gw.otel.scope";

  private static final TextMapGetter<Context> HEADERS =
      new TextMapGetter<>() {
        @Override
        public Iterable<String> keys(Context ctx) {
          return List.copyOf(ctx.headerMap().keySet());
        }

        @Override
        public String get(Context ctx, String key) {
          return ctx == null ? null : ctx.header(key);
        }
      };

  private final Tracer tracer;
  private final TextMapPropagator propagator;

  HttpTracing(Tracer tracer, TextMapPropagator propagator) {
    this.tracer = tracer;
    this.propagator = propagator;
  }

  void begin(Context ctx) {
    io.opentelemetry.context.Context parent =
        propagator.extract(io.opentelemetry.context.Context.root(), ctx, HEADERS);
    Span span = start(parent, ctx.method().name(), ctx.path());
    ctx.attribute(SPAN, span);
    ctx.attribute(SCOPE, new Attached(parent.with(span).makeCurrent(), Thread.currentThread()));
  }

  /** The request's span, child of {@code parent} (the client's, or the root). */
  Span start(io.opentelemetry.context.Context parent, String method, String path) {
    return tracer
        .spanBuilder(method)
        .setParent(parent)
        .setSpanKind(SpanKind.SERVER)
        .setAttribute(GenAi.HTTP_METHOD, method)
        .setAttribute(GenAi.URL_PATH, path)
        .startSpan();
  }

  /**
   * The span stops being current on this thread. Only on the thread that made it current: a scope
   * closed elsewhere would put that thread's context, not this one's, back.
   */
  void detach(Context ctx) {
    Attached attached = ctx.attribute(SCOPE);
    if (attached != null && attached.thread() == Thread.currentThread()) {
      ctx.attribute(SCOPE, null);
      attached.scope().close();
    }
  }

  /** The scope that made the span current, and the thread it did so on. */
  private record Attached(Scope scope, Thread thread) {}

  void end(Context ctx) {
    // Normally done by the "after" handler already; a request that never got there (cut off by
    // an error in the pipeline) must not leave its span current on a reused thread.
    detach(ctx);
    Span span = ctx.attribute(SPAN);
    if (span == null) {
      return;
    }
    ctx.attribute(SPAN, null);
    finish(
        span,
        ctx.method().name(),
        route(ctx),
        ctx.statusCode(),
        RequestIds.of(ctx),
        ctx.attribute(RequestAttributes.ERROR_CODE),
        ctx.attribute(RequestAttributes.PRINCIPAL));
  }

  /**
   * The response's attributes on the request's span, which then ends: what {@link #end} does once
   * the response is written, apart from reading them off the request (so ExportCostBench replays
   * this very code).
   */
  static void finish(
      Span span,
      String method,
      String route,
      int status,
      String requestId,
      String error,
      Object principal) {
    span.setAttribute(GenAi.HTTP_ROUTE, route);
    span.setAttribute(GenAi.HTTP_STATUS, status);
    // The access log's request id (the client's x-request-id, else a fresh one): joins the two.
    span.setAttribute(GenAi.GATEWAY_REQUEST_ID, requestId);
    ReadableSpan read = span instanceof ReadableSpan r ? r : null;
    if (read == null || read.getAttribute(GenAi.OPERATION_NAME) == null) {
      // Not a model request (or refused before the core saw it): name it after its route.
      span.updateName(method + " " + route);
    }
    if (error != null) {
      span.setAttribute(GenAi.ERROR_TYPE, error);
    }
    if (status >= 500 || error != null) {
      span.setStatus(StatusCode.ERROR);
      if (read == null || read.getAttribute(GenAi.GATEWAY_OUTCOME) == null) {
        // Refused before admission, or failed without a settlement: settled requests say more.
        span.setAttribute(GenAi.GATEWAY_OUTCOME, status >= 500 ? "error" : "refused");
      }
    }
    if (principal instanceof Principal.Keyed k
        && (read == null || read.getAttribute(GenAi.GATEWAY_KEY_ID) == null)) {
      // Settled requests have them already (OtelGatewayTracing.settled): refused ones get them
      // here.
      span.setAttribute(GenAi.GATEWAY_KEY_ID, k.key().id());
      k.user().ifPresent(u -> span.setAttribute(GenAi.GATEWAY_USER_ID, u.id()));
      k.team().ifPresent(t -> span.setAttribute(GenAi.GATEWAY_TEAM_ID, t.id()));
    }
    span.end();
  }

  private static String route(Context ctx) {
    try {
      var endpoint = ctx.endpoints().matchedHttpEndpoint();
      return endpoint == null ? "unmatched" : endpoint.path;
    } catch (RuntimeException e) {
      return "unmatched";
    }
  }
}

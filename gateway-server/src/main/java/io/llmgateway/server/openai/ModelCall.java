package io.llmgateway.server.openai;

import com.fasterxml.jackson.databind.JsonNode;
import io.javalin.http.Context;
import io.llmgateway.core.AdmissionListener;
import io.llmgateway.core.identity.Principal;
import io.llmgateway.server.ServerServices;
import io.llmgateway.server.http.BodyReader;
import io.llmgateway.server.http.RequestAttributes;
import java.io.IOException;
import java.time.Clock;
import java.util.Objects;
import java.util.function.Function;

/**
 * One model request's prelude, shared by every model route (chat completions, the Responses API,
 * embeddings, Anthropic Messages and its token count), so that each route keeps only its parser and
 * its responder: {@link #read} authenticates, reads the bounded body and parses it; {@link
 * #admission} names the request for the logs and gives the listener the core calls on admission.
 * Errors propagate to the route, which answers them in its API's own shape. Immutable; one per
 * request.
 *
 * @param principal the authenticated caller
 * @param request what the route's parser made of the body
 */
public record ModelCall<R>(Context ctx, Clock clock, Principal principal, R request) {
  public ModelCall {
    Objects.requireNonNull(ctx, "ctx");
    Objects.requireNonNull(clock, "clock");
    Objects.requireNonNull(principal, "principal");
    Objects.requireNonNull(request, "request");
  }

  /**
   * The key first, from the headers: nobody unauthenticated gets the server to wait for or buffer a
   * body. Then the body, bounded in size and time, parsed by {@code parser}; the request's {@code
   * model} is recorded for the access and request logs.
   */
  public static <R> ModelCall<R> read(
      ServerServices s, Context ctx, Function<JsonNode, R> parser, Function<R, String> model)
      throws IOException {
    Principal principal = s.auth().require(ctx);
    byte[] body =
        BodyReader.read(
            ctx, s.config().limits().maxBodyBytes(), s.config().http().requestTimeout());
    R request = parser.apply(s.json().parse(body));
    ctx.attribute(RequestAttributes.MODEL, model.apply(request));
    return new ModelCall<>(ctx, s.clock(), principal, request);
  }

  /**
   * Names the request {@code requestId} (its spend row's id) for the logs, sets the key's
   * configured {@code x-ratelimit-*} headers (so a refusal carries them too) and answers the
   * listener to pass to the core: on admission it marks the request admitted (from then on the
   * spend log has it, so the request log must not also call it refused) and sets what the rate
   * limiter reported ({@link RateLimitHeaders}).
   */
  public AdmissionListener admission(String requestId) {
    ctx.attribute(RequestAttributes.COMPLETION_ID, requestId);
    RateLimitHeaders.configured(ctx, principal);
    AdmissionListener headers = RateLimitHeaders.onAdmission(ctx, clock);
    return grant -> {
      ctx.attribute(RequestAttributes.ADMITTED, Boolean.TRUE);
      headers.admitted(grant);
    };
  }
}

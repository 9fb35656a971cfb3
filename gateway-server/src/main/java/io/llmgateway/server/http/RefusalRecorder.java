package io.llmgateway.server.http;

import io.javalin.http.Context;
import io.javalin.http.HandlerType;
import io.llmgateway.core.Gateway;
import io.llmgateway.core.error.AuthenticationException;
import io.llmgateway.core.error.GatewayException;
import io.llmgateway.core.identity.Principal;
import io.llmgateway.core.identity.Team;
import io.llmgateway.core.identity.User;
import io.llmgateway.core.requestlog.Refusal;
import io.llmgateway.core.requestlog.RefusalReasons;
import java.util.Objects;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Hands a refused chat request to the gateway's request log, once its answer is written: a chat
 * route answered with an error before admission (afterwards the spend log has it). What is known is
 * recorded: the error code and which limit, the key, user and team (a blocked or expired key is
 * known; an unknown or missing key is not, and nothing of the presented value is kept, not even a
 * prefix: it may be a typo of a real key or another system's secret), the model asked for, the
 * client address and the latency. Never the body. Stateless; thread-safe.
 */
public final class RefusalRecorder {
  private static final Logger log = LoggerFactory.getLogger(RefusalRecorder.class);

  private RefusalRecorder() {}

  /** Records the request of {@code ctx} if it is a refused chat request; never throws. */
  public static void record(Context ctx, Gateway gateway, ClientAddress clients) {
    try {
      int status = ctx.statusCode();
      if (status < 400
          || status > 599
          || ctx.attribute(RequestAttributes.ADMITTED) != null
          || !chatRoute(ctx)) {
        return;
      }
      gateway.recordRefusal(refusal(ctx, gateway, clients, status));
    } catch (RuntimeException e) {
      // A refusal we cannot describe is not worth a failed request log line.
      log.debug("refusal not recorded: {}", e.toString());
    }
  }

  private static Refusal refusal(Context ctx, Gateway gateway, ClientAddress clients, int status) {
    Throwable error = ctx.attribute(RequestAttributes.ERROR);
    Principal p = ctx.attribute(RequestAttributes.PRINCIPAL);
    if (p == null && error instanceof AuthenticationException a && a.key().isPresent()) {
      p = a.key().get();
    }
    Optional<String> keyId = Optional.empty();
    Optional<String> userId = Optional.empty();
    Optional<String> teamId = Optional.empty();
    if (p instanceof Principal.Keyed k) {
      keyId = Optional.of(k.key().id());
      userId = k.user().map(User::id).or(() -> k.key().userId());
      teamId = k.team().map(Team::id).or(() -> k.key().teamId());
    } else if (p instanceof Principal.Master m) {
      keyId = Optional.of(m.name());
    }
    Long started = ctx.attribute(RequestAttributes.STARTED_NANOS);
    long ms = started == null ? 0 : Math.max(0, (System.nanoTime() - started) / 1_000_000);
    String code = Objects.requireNonNullElse(ctx.attribute(RequestAttributes.ERROR_CODE), "error");
    return new Refusal(
        Objects.requireNonNullElse(
            ctx.attribute(RequestAttributes.COMPLETION_ID), RequestIds.of(ctx)),
        gateway.clock().instant(),
        status,
        code,
        error instanceof GatewayException g ? RefusalReasons.detail(g) : Optional.empty(),
        keyId,
        userId,
        teamId,
        Optional.ofNullable(ctx.attribute(RequestAttributes.MODEL)),
        Optional.of(clients.of(ctx)),
        ms);
  }

  private static boolean chatRoute(Context ctx) {
    if (ctx.method() != HandlerType.POST) {
      return false;
    }
    try {
      var endpoint = ctx.endpoints().matchedHttpEndpoint();
      return endpoint != null && endpoint.path.endsWith("/chat/completions");
    } catch (RuntimeException e) {
      return false;
    }
  }
}

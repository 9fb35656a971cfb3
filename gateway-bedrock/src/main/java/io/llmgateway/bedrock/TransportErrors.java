package io.llmgateway.bedrock;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.llmgateway.core.error.Billing;
import io.llmgateway.core.error.GatewayException;
import io.llmgateway.core.error.ProviderUnavailableException;
import io.llmgateway.core.error.ProviderUnavailableException.Kind;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.nio.channels.ClosedByInterruptException;
import java.time.Duration;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeoutException;
import javax.net.ssl.SSLException;
import org.apache.hc.core5.http.NoHttpResponseException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Failures of a Bedrock call that are not Bedrock's answer (those are {@link BedrockErrors}): the
 * transport (connect, reset, TLS, timeouts), an unreadable 200, an interrupted caller, this
 * instance's own bound of concurrent calls, missing credentials. Whether Bedrock may have billed
 * the call follows from whether the whole request went out ({@code requestSent}). Messages are safe
 * for clients; logs get exception classes and messages of our own stack, never Bedrock's text.
 * Stateless and thread-safe.
 */
final class TransportErrors {
  private static final Logger LOG = LoggerFactory.getLogger(TransportErrors.class);

  private TransportErrors() {}

  /**
   * A transport or parsing failure of one call. {@code requestSent}: the whole request body went
   * out, so Bedrock may have run (and billed) it.
   */
  static GatewayException map(Throwable failure, boolean requestSent) {
    Throwable t = unwrap(failure);
    if (t instanceof GatewayException g) {
      return g;
    }
    Billing billing = requestSent ? Billing.MAYBE_BILLED : Billing.NOT_BILLED;
    if (Thread.currentThread().isInterrupted()
        || has(t, InterruptedException.class)
        || has(t, ClosedByInterruptException.class)
        || mentions(t, "interrupt")) {
      // The caller's thread was interrupted (client gone); on a virtual thread that also closed
      // the socket, so the upstream call is abandoned. Not retryable: nobody is waiting.
      return new ProviderUnavailableException(
          Kind.UNAVAILABLE, billing, false, "the Bedrock call was interrupted", null, t);
    }
    if (has(t, JsonProcessingException.class)) {
      // Only a 200's body is parsed: the model did the work.
      LOG.warn("Bedrock sent unreadable JSON: {}", describe(t));
      return new ProviderUnavailableException(
          Kind.BAD_RESPONSE,
          Billing.MAYBE_BILLED,
          true,
          "Bedrock sent an answer the gateway could not read",
          null,
          t);
    }
    if (has(t, SocketTimeoutException.class)
        || has(t, TimeoutException.class)
        || mentions(t, "timed out")
        || mentions(t, "timeout")) {
      return timeout("Bedrock did not answer in time", billing, t);
    }
    if (has(t, ConnectException.class)
        || has(t, UnknownHostException.class)
        || has(t, NoRouteToHostException.class)
        || has(t, NoHttpResponseException.class)
        || has(t, SocketException.class)
        || has(t, SSLException.class)
        || mentions(t, "Connection refused")) {
      // Refused, reset, a stale keep-alive connection the server closed, TLS failures: another
      // attempt (on a fresh connection) or another deployment may work.
      // Billed or not by whether the request went out: a reset after it was sent may follow the
      // model's work.
      LOG.warn("Bedrock unreachable: {}", describe(t));
      return new ProviderUnavailableException(
          Kind.UNAVAILABLE, billing, true, "Bedrock is unreachable", null, t);
    }
    LOG.warn("Bedrock call failed: {}", describe(t));
    return new ProviderUnavailableException(
        Kind.BAD_RESPONSE,
        billing,
        true,
        "Bedrock sent an answer the gateway could not read",
        null,
        t);
  }

  /**
   * This instance already has its bound of concurrent Bedrock calls open: refused before anything
   * was sent (503, {@code retry-after: 1}; another deployment of another provider may still serve
   * it). Logged at most by the caller's access log: under overload a line per refusal is noise.
   */
  static ProviderUnavailableException saturated(int bound) {
    return new ProviderUnavailableException(
        Kind.UNAVAILABLE,
        Billing.NOT_BILLED,
        true,
        "this gateway instance is serving its limit of "
            + bound
            + " concurrent Bedrock calls; retry shortly",
        Duration.ofSeconds(1),
        null);
  }

  /**
   * No identity to sign with (the default credential chain found nothing). The SDK's message names
   * the providers it tried, never a secret; it is logged, the client gets a fixed text.
   */
  static ProviderUnavailableException unauthenticated(RuntimeException e) {
    LOG.warn("Bedrock call not sent: {}", describe(e));
    return new ProviderUnavailableException(
        Kind.UNAVAILABLE,
        Billing.NOT_BILLED,
        false,
        "no AWS credentials could be resolved for Bedrock; check the AWS configuration",
        null,
        null);
  }

  static ProviderUnavailableException timeout(String message, Billing billing, Throwable cause) {
    return new ProviderUnavailableException(Kind.TIMEOUT, billing, true, message, null, cause);
  }

  static Throwable unwrap(Throwable t) {
    Throwable cur = t;
    while ((cur instanceof CompletionException || cur instanceof ExecutionException)
        && cur.getCause() != null) {
      cur = cur.getCause();
    }
    return cur;
  }

  private static boolean has(Throwable t, Class<? extends Throwable> type) {
    for (Throwable c = t; c != null; c = c.getCause()) {
      if (type.isInstance(c)) {
        return true;
      }
      if (c.getCause() == c) {
        break;
      }
    }
    return false;
  }

  private static boolean mentions(Throwable t, String text) {
    for (Throwable c = t; c != null; c = c.getCause()) {
      if (c.getMessage() != null && c.getMessage().contains(text)) {
        return true;
      }
      if (c.getCause() == c) {
        break;
      }
    }
    return false;
  }

  private static String describe(Throwable t) {
    StringBuilder sb = new StringBuilder();
    for (Throwable c = t; c != null && sb.length() < 500; c = c.getCause()) {
      sb.append(c.getClass().getSimpleName()).append(": ").append(c.getMessage()).append("; ");
      if (c.getCause() == c) {
        break;
      }
    }
    return sb.toString();
  }
}

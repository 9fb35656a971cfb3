package io.llmgateway.bedrock;

import io.llmgateway.core.error.GatewayException;
import io.llmgateway.core.error.ProviderRejectedException;
import io.llmgateway.core.error.ProviderUnavailableException;
import io.llmgateway.core.error.ProviderUnavailableException.Kind;
import java.net.ConnectException;
import java.net.SocketTimeoutException;
import java.nio.channels.ClosedByInterruptException;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeoutException;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.AbortedException;
import software.amazon.awssdk.core.exception.ApiCallAttemptTimeoutException;
import software.amazon.awssdk.core.exception.ApiCallTimeoutException;
import software.amazon.awssdk.services.bedrockruntime.model.AccessDeniedException;
import software.amazon.awssdk.services.bedrockruntime.model.InternalServerException;
import software.amazon.awssdk.services.bedrockruntime.model.ModelErrorException;
import software.amazon.awssdk.services.bedrockruntime.model.ModelNotReadyException;
import software.amazon.awssdk.services.bedrockruntime.model.ModelStreamErrorException;
import software.amazon.awssdk.services.bedrockruntime.model.ModelTimeoutException;
import software.amazon.awssdk.services.bedrockruntime.model.ResourceNotFoundException;
import software.amazon.awssdk.services.bedrockruntime.model.ServiceQuotaExceededException;
import software.amazon.awssdk.services.bedrockruntime.model.ServiceUnavailableException;
import software.amazon.awssdk.services.bedrockruntime.model.ThrottlingException;
import software.amazon.awssdk.services.bedrockruntime.model.ValidationException;

/**
 * Every documented Bedrock error (reference doc 3.2) and transport failure to the core's typed
 * errors. Client-side errors become {@link ProviderRejectedException} with the upstream status;
 * throttling, outages, timeouts and broken answers become {@link ProviderUnavailableException}.
 * Messages are safe for clients: no request ids, ARNs, account ids or credentials; the full
 * upstream text is logged. Decisions use the exception type and status, never {@code retryable()},
 * which the SDK reports as false for everything (reference doc 0.6). Stateless and thread-safe.
 */
final class BedrockErrors {
  private static final Logger LOG = LoggerFactory.getLogger(BedrockErrors.class);

  // Bedrock sends no Retry-After on Converse (reference doc 3.1), so these are our hints.
  static final Duration THROTTLE_HINT = Duration.ofSeconds(2);
  static final Duration NOT_READY_HINT = Duration.ofSeconds(5);
  static final Duration QUOTA_HINT = Duration.ofSeconds(60);

  private static final Pattern ARN = Pattern.compile("arn:aws[a-zA-Z-]*:[^\\s,;\"']*");
  private static final Pattern ACCESS_KEY = Pattern.compile("\\b(AKIA|ASIA)[A-Z0-9]{12,}\\b");
  private static final Pattern ACCOUNT = Pattern.compile("\\b\\d{12}\\b");
  private static final int MAX_MESSAGE = 300;

  private BedrockErrors() {}

  static GatewayException map(Throwable failure) {
    Throwable t = unwrap(failure);
    if (t instanceof GatewayException g) {
      return g;
    }
    if (t instanceof AwsServiceException e) {
      return service(e);
    }
    if (t instanceof ApiCallTimeoutException || t instanceof ApiCallAttemptTimeoutException) {
      return timeout("Bedrock did not finish within the call timeout", t);
    }
    if (has(t, InterruptedException.class)
        || has(t, AbortedException.class)
        || has(t, ClosedByInterruptException.class)
        || mentions(t, "interrupt")) {
      // The caller's thread was interrupted (client gone); on a virtual thread that also closed
      // the socket, so the upstream call is abandoned. Not retryable: nobody is waiting.
      return new ProviderUnavailableException(
          Kind.UNAVAILABLE, false, "the Bedrock call was interrupted", null, t);
    }
    if (has(t, SocketTimeoutException.class)
        || has(t, TimeoutException.class)
        || has(t, io.netty.handler.timeout.TimeoutException.class)
        || mentions(t, "timed out")
        || mentions(t, "timeout")) {
      return timeout("Bedrock did not answer in time", t);
    }
    if (has(t, ConnectException.class)
        || mentions(t, "Connection refused")
        || mentions(t, "Unable to execute HTTP request")) {
      LOG.warn("Bedrock unreachable: {}", describe(t));
      return new ProviderUnavailableException(
          Kind.UNAVAILABLE, true, "Bedrock is unreachable", null, t);
    }
    LOG.warn("Bedrock call failed: {}", describe(t));
    return new ProviderUnavailableException(
        Kind.BAD_RESPONSE, true, "Bedrock sent an answer the gateway could not read", null, t);
  }

  private static GatewayException service(AwsServiceException e) {
    String upstream = upstreamMessage(e);
    LOG.warn(
        "Bedrock error {} (HTTP {}): {}", errorCode(e).orElse("unknown"), e.statusCode(), upstream);
    return switch (e) {
      case ThrottlingException x ->
          new ProviderUnavailableException(
              Kind.THROTTLED,
              true,
              "Bedrock is throttling requests: " + safe(upstream),
              retryAfter(e).orElse(THROTTLE_HINT),
              e);
      case ModelNotReadyException x ->
          new ProviderUnavailableException(
              Kind.UNAVAILABLE,
              true,
              "the Bedrock model is not ready yet; retry shortly",
              retryAfter(e).orElse(NOT_READY_HINT),
              e);
      case ServiceQuotaExceededException x ->
          // Another deployment (region, account) may have quota left; this one will not soon.
          new ProviderUnavailableException(
              Kind.THROTTLED,
              true,
              "the Bedrock service quota of this deployment is exhausted: " + safe(upstream),
              QUOTA_HINT,
              e);
      case ValidationException x ->
          new ProviderRejectedException(400, "Bedrock rejected the request: " + safe(upstream));
      case AccessDeniedException x ->
          new ProviderRejectedException(
              403,
              "Bedrock denied access to the model; check the IAM permissions"
                  + " (bedrock:InvokeModel, bedrock:InvokeModelWithResponseStream) and that model"
                  + " access is granted in this region");
      case ResourceNotFoundException x ->
          new ProviderRejectedException(
              404,
              "Bedrock does not know the configured model in this region; check the model or"
                  + " inference profile id");
      case ModelTimeoutException x -> timeout("the Bedrock model took too long to answer", e);
      case ModelErrorException x ->
          new ProviderUnavailableException(
              Kind.BAD_RESPONSE, true, "the Bedrock model failed to produce an answer", null, e);
      case ModelStreamErrorException x ->
          new ProviderUnavailableException(
              Kind.BAD_RESPONSE, true, "the Bedrock model failed while streaming", null, e);
      case InternalServerException x ->
          new ProviderUnavailableException(
              Kind.UNAVAILABLE, true, "Bedrock had an internal error", null, e);
      case ServiceUnavailableException x ->
          new ProviderUnavailableException(
              Kind.UNAVAILABLE, true, "Bedrock is unavailable", null, e);
      default -> byStatus(e, upstream);
    };
  }

  /** Unmodelled codes (e.g. UnrecognizedClientException, a bare 502) by HTTP status. */
  private static GatewayException byStatus(AwsServiceException e, String upstream) {
    int status = e.statusCode();
    if (status == 429) {
      return new ProviderUnavailableException(
          Kind.THROTTLED,
          true,
          "Bedrock is throttling requests",
          retryAfter(e).orElse(THROTTLE_HINT),
          e);
    }
    if (status == 401 || status == 403) {
      return new ProviderRejectedException(
          status, "Bedrock refused the gateway's credentials; check the AWS configuration");
    }
    if (status == 408 || status == 504) {
      return timeout("Bedrock did not answer in time", e);
    }
    if (status >= 400 && status < 500) {
      return new ProviderRejectedException(
          status, "Bedrock rejected the request: " + safe(upstream));
    }
    if (status == 502 || status == 503 || status == 500) {
      return new ProviderUnavailableException(
          Kind.UNAVAILABLE, true, "Bedrock is unavailable (HTTP " + status + ")", null, e);
    }
    return new ProviderUnavailableException(
        Kind.BAD_RESPONSE, true, "Bedrock answered with HTTP " + status, null, e);
  }

  private static ProviderUnavailableException timeout(String message, Throwable cause) {
    return new ProviderUnavailableException(Kind.TIMEOUT, true, message, null, cause);
  }

  static Throwable unwrap(Throwable t) {
    Throwable cur = t;
    while ((cur instanceof CompletionException || cur instanceof ExecutionException)
        && cur.getCause() != null) {
      cur = cur.getCause();
    }
    // The SDK wraps service errors raised inside the async pipeline in SdkClientException.
    for (Throwable c = cur; c != null; c = c.getCause()) {
      if (c instanceof AwsServiceException || c instanceof GatewayException) {
        return c;
      }
      if (c.getCause() == c) {
        break;
      }
    }
    return cur;
  }

  static boolean isCancellation(Throwable t) {
    return unwrap(t) instanceof CancellationException;
  }

  private static Optional<String> errorCode(AwsServiceException e) {
    return Optional.ofNullable(e.awsErrorDetails()).map(d -> d.errorCode());
  }

  private static String upstreamMessage(AwsServiceException e) {
    if (e.awsErrorDetails() != null && e.awsErrorDetails().errorMessage() != null) {
      return e.awsErrorDetails().errorMessage();
    }
    return "(no message)";
  }

  private static Optional<Duration> retryAfter(AwsServiceException e) {
    if (e.awsErrorDetails() == null || e.awsErrorDetails().sdkHttpResponse() == null) {
      return Optional.empty();
    }
    return e.awsErrorDetails()
        .sdkHttpResponse()
        .firstMatchingHeader("Retry-After")
        .flatMap(
            v -> {
              try {
                return Optional.of(Duration.ofSeconds(Math.max(1, Long.parseLong(v.trim()))));
              } catch (NumberFormatException ex) {
                return Optional.empty();
              }
            });
  }

  /** An upstream message made fit for a client: no ARNs, account ids or keys; bounded length. */
  static String safe(String upstream) {
    String s = ARN.matcher(upstream).replaceAll("<arn>");
    s = ACCESS_KEY.matcher(s).replaceAll("<key>");
    s = ACCOUNT.matcher(s).replaceAll("<account>");
    return s.length() > MAX_MESSAGE ? s.substring(0, MAX_MESSAGE) + "..." : s;
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

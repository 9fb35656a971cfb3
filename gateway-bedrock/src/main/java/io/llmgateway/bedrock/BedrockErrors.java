package io.llmgateway.bedrock;

import com.fasterxml.jackson.databind.JsonNode;
import io.llmgateway.core.error.Billing;
import io.llmgateway.core.error.GatewayException;
import io.llmgateway.core.error.ProviderRejectedException;
import io.llmgateway.core.error.ProviderUnavailableException;
import io.llmgateway.core.error.ProviderUnavailableException.Kind;
import java.time.Duration;
import java.util.Optional;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Every documented Bedrock error answer (reference doc 3.2), HTTP or in-stream, to the core's typed
 * errors; failures that are not Bedrock's answer (transport, timeouts, the instance's own bound)
 * are {@link TransportErrors}'. Client-side errors become {@link ProviderRejectedException} with
 * the upstream status; throttling, outages, timeouts and broken answers become {@link
 * ProviderUnavailableException}.
 *
 * <p>Each error says whether Bedrock may have billed the call ({@link Billing}), which decides what
 * the gateway charges and whether it fails over: an HTTP error status before any body is {@code
 * NOT_BILLED} (Bedrock does not bill throttled, refused or failed-to-start calls), except timeouts
 * (408, 504, ModelTimeoutException) and ModelErrorException, where the model ran; a transport
 * failure is {@code NOT_BILLED} only if the request body never went out whole (connect, TLS, pool
 * failures), else {@code MAYBE_BILLED}; anything wrong inside a 200 (an unreadable answer, an error
 * frame in the stream, a cut body) is {@code MAYBE_BILLED}. Messages are safe for clients: no
 * request ids, ARNs, account ids or credentials; logs get the error code and status only (Bedrock's
 * text may quote the prompt). Decisions use the error code and status, as the SDK's modelled
 * exceptions did (reference doc 3.2). Stateless and thread-safe.
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

  /**
   * An HTTP error answer as Bedrock sends it (reference doc 3.1): the code from {@code
   * x-amzn-ErrorType} (everything after ':' dropped), else from the body's {@code __type}
   * (namespace before '#' dropped); the message from the body's {@code message} (or {@code
   * Message}).
   */
  static GatewayException fromHttp(
      int status, String errorTypeHeader, byte[] body, String retryAfterHeader) {
    String code = errorTypeHeader == null ? null : cut(errorTypeHeader, ':');
    String message = null;
    try {
      JsonNode json = body.length == 0 ? null : Json.MAPPER.readTree(body);
      if (json != null && json.isObject()) {
        if (code == null || code.isBlank()) {
          JsonNode type = json.has("__type") ? json.get("__type") : json.get("code");
          if (type != null && type.isTextual()) {
            String t = type.asText();
            code = cut(t.substring(t.lastIndexOf('#') + 1), ':');
          }
        }
        JsonNode m = json.has("message") ? json.get("message") : json.get("Message");
        if (m != null && m.isTextual()) {
          message = m.asText();
        }
      }
    } catch (java.io.IOException notJson) {
      // An HTML 502 from a proxy, say: the status decides.
    }
    return upstream(
        status,
        code == null || code.isBlank() ? "unknown" : code,
        message == null ? "(no message)" : message,
        retryAfter(retryAfterHeader),
        false);
  }

  /**
   * An in-stream exception frame: {@code :exception-type} is the lowerCamel member name ({@code
   * throttlingException}), the payload {@code {"message":...}}. The stream's HTTP status was 200.
   */
  static GatewayException fromStreamException(String exceptionType, byte[] payload) {
    String code =
        exceptionType == null || exceptionType.isEmpty()
            ? "unknown"
            : Character.toUpperCase(exceptionType.charAt(0)) + exceptionType.substring(1);
    String message = "(no message)";
    try {
      JsonNode m = Json.MAPPER.readTree(payload).get("message");
      if (m != null && m.isTextual()) {
        message = m.asText();
      }
    } catch (java.io.IOException | RuntimeException notJson) {
      // The type decides.
    }
    return upstream(200, code, message, Optional.empty(), true);
  }

  /** An in-stream {@code :message-type error} frame: code and message come as headers. */
  static GatewayException fromStreamError(String code, String message) {
    return upstream(
        200,
        code == null || code.isBlank() ? "unknown" : code,
        message == null ? "(no message)" : message,
        Optional.empty(),
        true);
  }

  private static String cut(String s, char at) {
    int i = s.indexOf(at);
    return (i < 0 ? s : s.substring(0, i)).trim();
  }

  /**
   * One mapping for every documented error code (reference doc 3.2), whatever carried it. {@code
   * inStream}: it came inside a 200 event stream, after Bedrock accepted the call, so whatever it
   * says the call may have been billed; as an HTTP error status it was not, unless the model ran
   * (timeouts, model errors).
   */
  private static GatewayException upstream(
      int status, String code, String upstream, Optional<Duration> retryAfter, boolean inStream) {
    // Only the error code and status are logged: Bedrock's message text can quote request content
    // (a validation error may echo part of a prompt), and prompts never go to logs.
    LOG.warn("Bedrock error {} (HTTP {})", code, status);
    GatewayException e = byCode(status, code, upstream, retryAfter);
    return inStream ? billed(e) : e;
  }

  /** The same error, marked as possibly billed. */
  private static GatewayException billed(GatewayException e) {
    return switch (e) {
      case ProviderUnavailableException p ->
          p.billing() == Billing.MAYBE_BILLED
              ? p
              : new ProviderUnavailableException(
                  p.kind(),
                  Billing.MAYBE_BILLED,
                  p.retryable(),
                  p.getMessage(),
                  p.retryAfter().orElse(null),
                  null);
      case ProviderRejectedException r ->
          new ProviderRejectedException(r.upstreamStatus(), Billing.MAYBE_BILLED, r.getMessage());
      default -> e;
    };
  }

  private static GatewayException byCode(
      int status, String code, String upstream, Optional<Duration> retryAfter) {
    return switch (code) {
      case "ThrottlingException" ->
          new ProviderUnavailableException(
              Kind.THROTTLED,
              Billing.NOT_BILLED,
              true,
              "Bedrock is throttling requests: " + safe(upstream),
              retryAfter.orElse(THROTTLE_HINT),
              null);
      case "ModelNotReadyException" ->
          new ProviderUnavailableException(
              Kind.UNAVAILABLE,
              Billing.NOT_BILLED,
              true,
              "the Bedrock model is not ready yet; retry shortly",
              retryAfter.orElse(NOT_READY_HINT),
              null);
      case "ServiceQuotaExceededException" ->
          // Another deployment (region, account) may have quota left; this one will not soon.
          new ProviderUnavailableException(
              Kind.THROTTLED,
              Billing.NOT_BILLED,
              true,
              "the Bedrock service quota of this deployment is exhausted: " + safe(upstream),
              QUOTA_HINT,
              null);
      case "ValidationException" ->
          new ProviderRejectedException(400, "Bedrock rejected the request: " + safe(upstream));
      case "AccessDeniedException" ->
          new ProviderRejectedException(
              403,
              "Bedrock denied access to the model; check the IAM permissions"
                  + " (bedrock:InvokeModel, bedrock:InvokeModelWithResponseStream) and that model"
                  + " access is granted in this region");
      case "ResourceNotFoundException" ->
          new ProviderRejectedException(
              404,
              "Bedrock does not know the configured model in this region; check the model or"
                  + " inference profile id");
      // The model ran (and may have been billed) before it timed out or failed.
      case "ModelTimeoutException" ->
          TransportErrors.timeout(
              "the Bedrock model took too long to answer", Billing.MAYBE_BILLED, null);
      case "ModelErrorException" ->
          new ProviderUnavailableException(
              Kind.BAD_RESPONSE,
              Billing.MAYBE_BILLED,
              true,
              "the Bedrock model failed to produce an answer",
              null,
              null);
      case "ModelStreamErrorException" ->
          new ProviderUnavailableException(
              Kind.BAD_RESPONSE,
              Billing.MAYBE_BILLED,
              true,
              "the Bedrock model failed while streaming",
              null,
              null);
      case "InternalServerException" ->
          new ProviderUnavailableException(
              Kind.UNAVAILABLE,
              Billing.NOT_BILLED,
              true,
              "Bedrock had an internal error",
              null,
              null);
      case "ServiceUnavailableException" ->
          new ProviderUnavailableException(
              Kind.UNAVAILABLE, Billing.NOT_BILLED, true, "Bedrock is unavailable", null, null);
      default -> byStatus(status, upstream, retryAfter);
    };
  }

  /** Unmodelled codes (e.g. UnrecognizedClientException, a bare 502) by HTTP status. */
  private static GatewayException byStatus(
      int status, String upstream, Optional<Duration> retryAfter) {
    if (status == 429) {
      return new ProviderUnavailableException(
          Kind.THROTTLED,
          Billing.NOT_BILLED,
          true,
          "Bedrock is throttling requests",
          retryAfter.orElse(THROTTLE_HINT),
          null);
    }
    if (status == 401 || status == 403) {
      return new ProviderRejectedException(
          status, "Bedrock refused the gateway's credentials; check the AWS configuration");
    }
    if (status == 408 || status == 504) {
      // A gateway timeout: the call may have run behind it.
      return TransportErrors.timeout("Bedrock did not answer in time", Billing.MAYBE_BILLED, null);
    }
    if (status >= 400 && status < 500) {
      return new ProviderRejectedException(
          status, "Bedrock rejected the request: " + safe(upstream));
    }
    if (status >= 500) {
      return new ProviderUnavailableException(
          Kind.UNAVAILABLE,
          Billing.NOT_BILLED,
          true,
          "Bedrock is unavailable (HTTP " + status + ")",
          null,
          null);
    }
    // An unknown non-error status (a redirect, a 2xx other than 200): it may follow work.
    return new ProviderUnavailableException(
        Kind.BAD_RESPONSE,
        Billing.MAYBE_BILLED,
        true,
        "Bedrock answered with HTTP " + status,
        null,
        null);
  }

  private static Optional<Duration> retryAfter(String header) {
    if (header == null) {
      return Optional.empty();
    }
    try {
      return Optional.of(Duration.ofSeconds(Math.max(1, Long.parseLong(header.trim()))));
    } catch (NumberFormatException ex) {
      return Optional.empty();
    }
  }

  /** An upstream message made fit for a client: no ARNs, account ids or keys; bounded length. */
  static String safe(String upstream) {
    String s = ARN.matcher(upstream).replaceAll("<arn>");
    s = ACCESS_KEY.matcher(s).replaceAll("<key>");
    s = ACCOUNT.matcher(s).replaceAll("<account>");
    return s.length() > MAX_MESSAGE ? s.substring(0, MAX_MESSAGE) + "..." : s;
  }
}

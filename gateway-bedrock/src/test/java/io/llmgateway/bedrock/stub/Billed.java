package io.llmgateway.bedrock.stub;

/**
 * What the stub billed for one call, as Bedrock would: the usage of the answer it started sending
 * with a 200, in full, even when the body was cut or the client went away before the end (the model
 * generates, and Bedrock bills, what was asked). It carries the request it answered. Immutable.
 */
public record Billed(
    ReceivedRequest request,
    long inputTokens,
    long outputTokens,
    long cacheReadTokens,
    long cacheWriteTokens) {

  /** The request's raw path, which names the model. */
  public String path() {
    return request.path();
  }

  /** The provider model id of the call, e.g. {@code us.amazon.nova-micro-v1:0}. */
  public String modelId() {
    String encoded = request.path().replaceFirst("^/model/([^/]+)/.*$", "$1");
    return java.net.URLDecoder.decode(encoded, java.nio.charset.StandardCharsets.UTF_8);
  }
}

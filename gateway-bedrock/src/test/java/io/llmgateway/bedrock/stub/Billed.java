package io.llmgateway.bedrock.stub;

/**
 * What the stub billed for one call, as Bedrock would: the usage of the answer it started sending
 * with a 200, in full, even when the body was cut or the client went away before the end (the model
 * generates, and Bedrock bills, what was asked). {@code path} is the request's raw path, which
 * names the model. Immutable.
 */
public record Billed(
    String path,
    long inputTokens,
    long outputTokens,
    long cacheReadTokens,
    long cacheWriteTokens) {}

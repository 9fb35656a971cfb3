package io.llmgateway.server.http;

/** Names of the per-request attributes handlers share (for logs and metrics). */
public final class RequestAttributes {
  public static final String REQUEST_ID = "gw.requestId";
  public static final String PRINCIPAL = "gw.principal";
  public static final String MODEL = "gw.model";
  public static final String COMPLETION_ID = "gw.completionId";
  public static final String ERROR_CODE = "gw.errorCode";
  public static final String STARTED_NANOS = "gw.startedNanos";
  public static final String ERROR = "gw.error";
  public static final String ADMITTED = "gw.admitted";

  private RequestAttributes() {}
}

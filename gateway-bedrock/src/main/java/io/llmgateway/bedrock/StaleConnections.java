package io.llmgateway.bedrock;

import java.io.IOException;
import java.net.SocketException;
import org.apache.hc.core5.http.EndpointDetails;
import org.apache.hc.core5.http.NoHttpResponseException;
import org.apache.hc.core5.http.protocol.HttpCoreContext;

/**
 * Tells a pooled keep-alive connection that the far end closed while it was idle from a failed
 * call. The signature: the connection had already carried a whole exchange (so it came from the
 * pool, not a fresh connect) and the call failed with end-of-stream ({@link
 * NoHttpResponseException}) or a reset before one byte of an answer to it arrived. A server that
 * closed the connection before the request arrived cannot have run it, so one retry on a fresh
 * connection is safe. Stateless.
 */
final class StaleConnections {
  private StaleConnections() {}

  static boolean closedWhileIdle(IOException e, HttpCoreContext context) {
    if (!(e instanceof NoHttpResponseException) && !(e instanceof SocketException)) {
      return false;
    }
    EndpointDetails d = context.getEndpointDetails();
    // responses >= 1: reused. At most this request unanswered (its head may not have gone out).
    return d != null
        && d.getResponseCount() >= 1
        && d.getRequestCount() - d.getResponseCount() <= 1;
  }
}

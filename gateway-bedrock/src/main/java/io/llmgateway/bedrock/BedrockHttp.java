package io.llmgateway.bedrock;

import io.llmgateway.core.catalog.Deployment;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ProxySelector;
import java.net.URI;
import java.time.Duration;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.hc.client5.http.classic.methods.HttpPost;
import org.apache.hc.client5.http.config.ConnectionConfig;
import org.apache.hc.client5.http.config.RequestConfig;
import org.apache.hc.client5.http.impl.classic.CloseableHttpClient;
import org.apache.hc.client5.http.impl.classic.CloseableHttpResponse;
import org.apache.hc.client5.http.impl.classic.HttpClients;
import org.apache.hc.client5.http.impl.io.PoolingHttpClientConnectionManager;
import org.apache.hc.client5.http.impl.io.PoolingHttpClientConnectionManagerBuilder;
import org.apache.hc.client5.http.impl.routing.SystemDefaultRoutePlanner;
import org.apache.hc.client5.http.protocol.HttpClientContext;
import org.apache.hc.client5.http.ssl.DefaultClientTlsStrategy;
import org.apache.hc.core5.http.ContentType;
import org.apache.hc.core5.http.Header;
import org.apache.hc.core5.http.HttpEntity;
import org.apache.hc.core5.http.io.SocketConfig;
import org.apache.hc.core5.http.io.entity.ByteArrayEntity;
import org.apache.hc.core5.http.io.entity.HttpEntityWrapper;
import org.apache.hc.core5.io.CloseMode;
import org.apache.hc.core5.util.TimeValue;
import org.apache.hc.core5.util.Timeout;
import software.amazon.awssdk.http.SdkHttpMethod;
import software.amazon.awssdk.http.SdkHttpRequest;

/**
 * The lean transport for Converse and ConverseStream: one pooled Apache HttpClient 5 (classic,
 * HTTP/1.1 keep-alive) per provider, requests authenticated by {@link BedrockAuth}, no automatic
 * retries (the gateway retries before the first byte only; reference doc 0.3), no redirects,
 * cookies, auth caching or compression. Blocking I/O on the caller's (virtual) thread. {@link
 * Deadlines} aborts exchanges that outlive their call timeout. Thread-safe; {@link #close()}
 * releases the pool, the deadline thread and the credential chain.
 *
 * <p>At most {@link #maxConnections()} exchanges are open at once (configured, else sized from the
 * machine: {@link ConnectionBound}); the pool holds as many connections, so an admitted exchange
 * never waits for one. One more is refused at once ({@link BedrockErrors#saturated}: 503 with
 * {@code retry-after}, nothing sent, nothing billed) instead of queueing behind streams that may
 * last minutes.
 */
final class BedrockHttp implements AutoCloseable {
  private static final ContentType JSON = ContentType.APPLICATION_JSON.withCharset((String) null);
  private static final int MAX_ERROR_BODY = 64 * 1024;

  private final BedrockAuth auth;
  private final BedrockEndpoints endpoints;
  private final PoolingHttpClientConnectionManager pool;
  private final CloseableHttpClient client;
  private final Deadlines deadlines = new Deadlines();
  private final RequestConfig streamConfig;
  private final int maxConnections;
  private final Semaphore permits;

  BedrockHttp(BedrockSettings settings) {
    this.auth = BedrockAuth.from(settings);
    this.endpoints = new BedrockEndpoints(settings.endpoint());
    this.maxConnections = ConnectionBound.resolve(settings.maxConnections());
    this.permits = new Semaphore(maxConnections);
    this.pool =
        PoolingHttpClientConnectionManagerBuilder.create()
            .setMaxConnTotal(maxConnections)
            .setMaxConnPerRoute(maxConnections)
            .setDefaultSocketConfig(
                SocketConfig.custom().setTcpNoDelay(true).setSoKeepAlive(true).build())
            // The JDK's trust store and https.protocols / https.cipherSuites, like the SDK client.
            .setTlsSocketStrategy(DefaultClientTlsStrategy.createSystemDefault())
            .setDefaultConnectionConfig(
                ConnectionConfig.custom()
                    .setConnectTimeout(timeout(settings.connectTimeout()))
                    // The blocking answer arrives after generation: reads wait first-byte long.
                    .setSocketTimeout(timeout(settings.firstByteTimeout()))
                    // A keep-alive connection idle this long is checked before reuse, so one the
                    // server closed meanwhile is replaced instead of failing the call.
                    .setValidateAfterInactivity(TimeValue.ofSeconds(2))
                    .build())
            .build();
    RequestConfig blocking =
        RequestConfig.custom()
            .setConnectionRequestTimeout(timeout(settings.connectTimeout()))
            .setResponseTimeout(timeout(settings.firstByteTimeout()))
            .setExpectContinueEnabled(false)
            .setRedirectsEnabled(false)
            .build();
    // A stream's reads are timed per phase by BedrockChatStream; the socket timeout is a backstop.
    Duration longer =
        settings.firstByteTimeout().compareTo(settings.streamIdleTimeout()) > 0
            ? settings.firstByteTimeout()
            : settings.streamIdleTimeout();
    this.streamConfig =
        RequestConfig.copy(blocking).setResponseTimeout(timeout(longer.plusSeconds(5))).build();
    var builder =
        HttpClients.custom()
            .setConnectionManager(pool)
            .setDefaultRequestConfig(blocking)
            .disableAutomaticRetries()
            .disableRedirectHandling()
            .disableCookieManagement()
            .disableAuthCaching()
            .disableContentCompression()
            .disableConnectionState()
            .setUserAgent("llm-gateway-bedrock")
            .evictIdleConnections(TimeValue.ofSeconds(50));
    if (proxyConfigured()) {
      // -Dhttps.proxyHost and friends, as the JDK reads them; checked per request only then.
      builder.setRoutePlanner(new SystemDefaultRoutePlanner(ProxySelector.getDefault()));
    }
    this.client = builder.build();
  }

  private static boolean proxyConfigured() {
    for (String p :
        new String[] {"https.proxyHost", "http.proxyHost", "java.net.useSystemProxies"}) {
      String v = System.getProperty(p);
      if (v != null && !v.isBlank() && !v.equals("false")) {
        return true;
      }
    }
    return false;
  }

  private static Timeout timeout(Duration d) {
    return Timeout.ofMilliseconds(Math.max(1, d.toMillis()));
  }

  /** Builds and authenticates a call; {@link Exchange#execute()} sends it. */
  Exchange prepare(Deployment d, ConverseCall call, boolean stream) {
    return prepare(d, call, stream ? "converse-stream" : "converse");
  }

  /** Builds and authenticates a call of {@code /model/{id}/{operation}}. */
  Exchange prepare(Deployment d, ConverseCall call, String operation) {
    boolean stream = operation.equals("converse-stream");
    BedrockEndpoints.Target t = endpoints.target(d);
    return prepare(t, endpoints.path(t, call.modelId(), operation), call.body(), stream);
  }

  /** Builds and authenticates an InvokeModel call (JSON body, JSON answer). */
  Exchange prepareInvoke(Deployment d, String modelId, byte[] body) {
    BedrockEndpoints.Target t = endpoints.target(d);
    return prepare(t, endpoints.invokePath(t, modelId), body, false);
  }

  private Exchange prepare(BedrockEndpoints.Target t, String path, byte[] body, boolean stream) {
    SdkHttpRequest.Builder unsigned =
        SdkHttpRequest.builder()
            .method(SdkHttpMethod.POST)
            .protocol(t.scheme())
            .host(t.host())
            .encodedPath(path)
            // As few headers as possible: the signer canonicalises every one (the SDK client sent
            // no Accept either; the stream's content type is not checked, reference doc 2.2).
            .putHeader("Content-Type", "application/json");
    if (t.port() >= 0) {
      unsigned.port(t.port());
    }
    SdkHttpRequest signed = auth.authenticate(unsigned.build(), body, t.region());
    HttpPost post = new HttpPost(URI.create(base(t) + path));
    signed.forEachHeader(
        (name, values) -> {
          if (!name.equalsIgnoreCase("Content-Length")) {
            values.forEach(v -> post.addHeader(name, v));
          }
        });
    SentEntity entity = new SentEntity(new ByteArrayEntity(body, JSON));
    post.setEntity(entity);
    if (stream) {
      post.setConfig(streamConfig);
    }
    return new Exchange(post, entity);
  }

  /**
   * The request body, noting when it has been written out whole: until then Bedrock cannot have run
   * the call (it needs the signed body), so a failure is certainly not billed.
   */
  private static final class SentEntity extends HttpEntityWrapper {
    volatile boolean sent;

    SentEntity(HttpEntity body) {
      super(body);
    }

    @Override
    public void writeTo(OutputStream out) throws IOException {
      super.writeTo(out);
      sent = true;
    }
  }

  private static String base(BedrockEndpoints.Target t) {
    return t.scheme() + "://" + t.host() + (t.port() >= 0 ? ":" + t.port() : "");
  }

  /** How many exchanges may be open at once. */
  int maxConnections() {
    return maxConnections;
  }

  /** The deadlines of this provider's calls in flight. */
  Deadlines deadlines() {
    return deadlines;
  }

  /**
   * One HTTP exchange. {@link #abort} and {@link #close} may be called from any thread (both shut
   * the connection unless the body was read to its end); the rest from one thread. As a {@link
   * Deadlines.Watched} it aborts itself at its call deadline, once {@link #watchUntil} armed it.
   */
  final class Exchange implements AutoCloseable, Deadlines.Watched {
    private final HttpPost request;
    private final SentEntity entity;
    private volatile long callDeadline;
    private volatile String callTimeoutReason;
    private volatile String abortReason;
    private volatile CloseableHttpResponse response;
    private volatile boolean complete;
    private final AtomicBoolean holdsPermit = new AtomicBoolean();

    private Exchange(HttpPost request, SentEntity entity) {
      this.request = request;
      this.entity = entity;
    }

    /**
     * Whether the whole request body went out: after that Bedrock may have run (and billed) the
     * call, whatever then fails; before it, nothing can have been billed.
     */
    boolean requestSent() {
      return entity.sent;
    }

    /** Aborts the exchange with {@code reason} if it is still open {@code timeout} from now. */
    void watchUntil(Duration timeout, String reason) {
      callDeadline = System.nanoTime() + timeout.toNanos();
      callTimeoutReason = reason;
      deadlines.add(this);
    }

    @Override
    public boolean check(long now) {
      if (now - callDeadline < 0) {
        return true;
      }
      abort(callTimeoutReason);
      return false;
    }

    /**
     * Sends the request and reads the answer's head. Refused at once when {@link #maxConnections()}
     * exchanges are open. A keep-alive connection the far end closed while it sat in the pool
     * (closed before our request reached it: it answers with end-of-stream or a reset and not one
     * byte of an answer) is retried once on a fresh connection, so the race between the pool's
     * inactivity check and the server's idle close never fails a call.
     */
    void execute() throws IOException {
      if (!permits.tryAcquire()) {
        throw TransportErrors.saturated(maxConnections);
      }
      holdsPermit.set(true);
      HttpClientContext context = HttpClientContext.create();
      try {
        response = client.execute(request, context);
      } catch (IOException e) {
        if (abortReason != null || !StaleConnections.closedWhileIdle(e, context)) {
          throw e;
        }
        // Where one pooled connection went stale its idle siblings likely did too (a server that
        // closes idle connections, or caps them: the JDK's server keeps 200): drop them all, so
        // the retry connects afresh instead of meeting the next dead one.
        pool.closeIdle(TimeValue.ZERO_MILLISECONDS);
        entity.sent = false;
        response = client.execute(request, HttpClientContext.create());
      }
    }

    int status() {
      return response.getCode();
    }

    String header(String name) {
      Header h = response.getFirstHeader(name);
      return h == null ? null : h.getValue();
    }

    /** The body stream; reading it to the end returns the connection to the pool. */
    InputStream body() throws IOException {
      HttpEntity e = response.getEntity();
      return e == null ? InputStream.nullInputStream() : e.getContent();
    }

    byte[] readBody() throws IOException {
      try (InputStream in = body()) {
        byte[] all = in.readAllBytes();
        complete = true;
        return all;
      }
    }

    /** Says the body was read to its end, so closing may keep the connection. */
    void markComplete() {
      complete = true;
    }

    /** The error answer's mapped exception (its body is small; reading it frees the connection). */
    io.llmgateway.core.error.GatewayException error() throws IOException {
      byte[] body;
      InputStream in = body();
      body = in.readNBytes(MAX_ERROR_BODY);
      complete = in.read() < 0;
      if (complete) {
        in.close();
      }
      return BedrockErrors.fromHttp(
          status(), header("x-amzn-ErrorType"), body, header("Retry-After"));
    }

    /**
     * Stops the exchange now: the connection is shut down (never reused) and a blocked read fails.
     * {@code reason}, if not null, says which timeout fired.
     */
    void abort(String reason) {
      if (reason != null && abortReason == null) {
        abortReason = reason;
      }
      request.cancel();
    }

    /** Which timeout aborted the exchange, or null. */
    String abortReason() {
      return abortReason;
    }

    @Override
    public void close() {
      deadlines.remove(this);
      if (!complete) {
        // Closing an unfinished chunked body would first drain it (a whole generation); shut the
        // connection instead, so it is not reused either.
        request.cancel();
      }
      CloseableHttpResponse r = response;
      if (r != null) {
        // A body read to its end already returned the connection to the pool.
        r.close(CloseMode.IMMEDIATE);
      }
      // After the connection went back (or was shut): the pool never holds more than the bound.
      if (holdsPermit.compareAndSet(true, false)) {
        permits.release();
      }
    }
  }

  @Override
  public void close() {
    deadlines.close();
    client.close(CloseMode.GRACEFUL);
    auth.close();
  }
}

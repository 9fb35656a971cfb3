package io.llmgateway.bedrock.stub;

import static java.nio.charset.StandardCharsets.UTF_8;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.llmgateway.bedrock.BedrockSettings;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A local Bedrock runtime speaking the real wire format: {@code POST /model/{id}/converse} (JSON),
 * {@code /converse-stream} (binary event stream with CRCs and {@code p} padding) and {@code
 * /invoke} for the embedding models ({@link StubEmbeddings}), on 127.0.0.1 and a random port,
 * HTTP/1.1 only. It records every request and answers with the scripted {@link StubResponse}s in
 * order, then with the default: an echo of the last user text (at most maxTokens words) with the
 * input usage Bedrock would bill ({@link StubResponse#echo}); {@link #billed()} lists the usage of
 * every answer. Requests signed with {@link #ACCESS_KEY_ID} must carry a correct SigV4 signature
 * ({@link SigV4Check}), else they get 403 InvalidSignatureException. Point a provider at it with
 * {@link #settings()}.
 *
 * <pre>{@code
 * try (BedrockStub stub = BedrockStub.start()) {
 *   stub.enqueue(StubResponse.error(429, "ThrottlingException", "Too many tokens"));
 *   ModelProvider p = Providers.bedrock(stub.settings());
 *   ...
 *   assertThat(stub.lastRequest().path()).isEqualTo("/model/us.amazon.nova-micro-v1%3A0/converse");
 * }
 * }</pre>
 *
 * Thread-safe.
 */
public final class BedrockStub implements AutoCloseable {
  /** The fake credentials {@link #settings()} uses. */
  public static final String ACCESS_KEY_ID = "AKIDSTUBEXAMPLE";

  public static final String SECRET_ACCESS_KEY = "stub-secret";

  private final HttpServer server;
  private final ExecutorService executor;
  private final ConcurrentLinkedQueue<StubResponse> script = new ConcurrentLinkedQueue<>();

  /**
   * The latest {@link #HISTORY} requests, oldest first. Bounded (and not copy-on-write) so that a
   * stub serving a load test for minutes stays as cheap per request as in its first second.
   */
  private final java.util.ArrayDeque<ReceivedRequest> requests = new java.util.ArrayDeque<>();

  private final java.util.concurrent.atomic.AtomicLong requestCount =
      new java.util.concurrent.atomic.AtomicLong();

  /** How many received requests {@link #requests()} remembers. */
  public static final int HISTORY = 10_000;

  private final ConcurrentLinkedQueue<Billed> billed = new ConcurrentLinkedQueue<>();
  private final AtomicInteger billedCount = new AtomicInteger();

  /** Told of every billed call as it is billed (besides {@link #billed()}); none by default. */
  private volatile java.util.function.Consumer<Billed> billing = b -> {};

  private final AtomicInteger aborted = new AtomicInteger();
  private final java.util.Set<Integer> clientPorts =
      java.util.concurrent.ConcurrentHashMap.newKeySet();
  private final Semaphore abortSignals = new Semaphore(0);

  private BedrockStub(HttpServer server, ExecutorService executor) {
    this.server = server;
    this.executor = executor;
  }

  /** Starts a stub on 127.0.0.1 and a free port. */
  public static BedrockStub start() {
    // The JDK server leaves Nagle's algorithm on: small event frames then wait for delayed ACKs
    // (about 50 ms per stream measured). Read once when the server classes initialise.
    if (System.getProperty("sun.net.httpserver.nodelay") == null) {
      System.setProperty("sun.net.httpserver.nodelay", "true");
    }
    try {
      HttpServer server =
          HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 4096);
      ExecutorService executor = Executors.newCachedThreadPool(daemonThreads());
      BedrockStub stub = new BedrockStub(server, executor);
      server.createContext("/", stub::handle);
      server.setExecutor(executor);
      server.start();
      return stub;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static java.util.concurrent.ThreadFactory daemonThreads() {
    AtomicInteger n = new AtomicInteger();
    return r -> {
      Thread t = new Thread(r, "bedrock-stub-" + n.incrementAndGet());
      t.setDaemon(true);
      return t;
    };
  }

  /** {@code http://127.0.0.1:<port>}. */
  public URI endpoint() {
    return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
  }

  /**
   * Provider settings for this stub: its endpoint, static fake credentials (which also keep a
   * Bedrock API key in the environment from being used) and short timeouts.
   */
  public BedrockSettings settings() {
    return BedrockSettings.builder()
        .endpoint(endpoint())
        .staticCredentials(ACCESS_KEY_ID, SECRET_ACCESS_KEY)
        .connectTimeout(Duration.ofSeconds(2))
        .firstByteTimeout(Duration.ofSeconds(10))
        .streamIdleTimeout(Duration.ofSeconds(10))
        .callTimeout(Duration.ofSeconds(30))
        .probeTimeout(Duration.ofSeconds(5))
        .build();
  }

  /** Queues answers for the next calls, in order. */
  public BedrockStub enqueue(StubResponse... responses) {
    script.addAll(Arrays.asList(responses));
    return this;
  }

  /** The requests received so far (the latest {@link #HISTORY}), in order. */
  public List<ReceivedRequest> requests() {
    synchronized (requests) {
      return List.copyOf(requests);
    }
  }

  public ReceivedRequest lastRequest() {
    synchronized (requests) {
      if (requests.isEmpty()) {
        throw new IllegalStateException("the stub has received no request");
      }
      return requests.getLast();
    }
  }

  /** How many requests were received since the last reset (not bounded by the history). */
  public int requestCount() {
    return (int) requestCount.get();
  }

  /**
   * How many distinct client connections (client ports) sent requests since the last reset: with a
   * keep-alive pool, many sequential calls use one.
   */
  public int connectionCount() {
    return clientPorts.size();
  }

  /** Forgets received requests, scripted answers, billed usage, aborts and connections. */
  public void reset() {
    synchronized (requests) {
      requests.clear();
      requestCount.set(0);
    }
    clientPorts.clear();
    script.clear();
    billed.clear();
    billedCount.set(0);
    aborted.set(0);
    abortSignals.drainPermits();
  }

  /**
   * What the stub billed since the last reset, one entry per answered (200) call, in order: the
   * last {@link #HISTORY} of them (a load test keeps the stub's memory flat; use {@link #onBilled}
   * for totals over more calls).
   */
  public List<Billed> billed() {
    return List.copyOf(billed);
  }

  /** Tells {@code listener} of every call billed from now on, as it is billed. */
  public BedrockStub onBilled(java.util.function.Consumer<Billed> listener) {
    this.billing = java.util.Objects.requireNonNull(listener, "listener");
    return this;
  }

  /** How many streams the client abandoned before the stub finished writing them. */
  public int abortedStreams() {
    return aborted.get();
  }

  /** Waits until a client abandons a stream; true if one did within {@code timeout}. */
  public boolean awaitAbortedStream(Duration timeout) throws InterruptedException {
    return abortSignals.tryAcquire(timeout.toMillis(), TimeUnit.MILLISECONDS);
  }

  private void handle(HttpExchange ex) throws IOException {
    try (ex) {
      String body = new String(ex.getRequestBody().readAllBytes(), UTF_8);
      Map<String, List<String>> headers = new HashMap<>();
      ex.getRequestHeaders()
          .forEach((k, v) -> headers.put(k.toLowerCase(Locale.ROOT), new ArrayList<>(v)));
      String path = ex.getRequestURI().getRawPath();
      ReceivedRequest req = new ReceivedRequest(ex.getRequestMethod(), path, headers, body);
      synchronized (requests) {
        if (requests.size() == HISTORY) {
          requests.removeFirst();
        }
        requests.addLast(req);
        requestCount.incrementAndGet();
      }
      clientPorts.add(ex.getRemoteAddress().getPort());
      StubExchange x =
          new StubExchange(
              ex,
              req,
              () -> {
                aborted.incrementAndGet();
                abortSignals.release();
              },
              b -> {
                billed.add(b);
                if (billedCount.incrementAndGet() > HISTORY && billed.poll() != null) {
                  billedCount.decrementAndGet();
                }
                billing.accept(b);
              });
      if (!"POST".equals(ex.getRequestMethod())
          || !(path.matches("/model/[^/]+/(converse(-stream)?|invoke)")
              || CountTokensStub.handles(path))) {
        x.error(404, "UnknownOperationException", "no such operation");
        return;
      }
      // Requests signed with the stub's own key are checked as AWS would: a wrong signature gets
      // the 403 Bedrock sends. Other keys (e.g. a benchmark's) and bearer tokens pass unchecked.
      if (req.header("Authorization").orElse("").contains("Credential=" + ACCESS_KEY_ID + "/")) {
        java.util.Optional<String> problem = SigV4Check.problem(req, SECRET_ACCESS_KEY);
        if (problem.isPresent()) {
          x.error(403, "InvalidSignatureException", "stub: " + problem.get());
          return;
        }
      }
      if (CountTokensStub.handles(path)) {
        CountTokensStub.answer(x, path);
        return;
      }
      StubResponse next = script.poll();
      if (next == null && path.endsWith("/invoke")) {
        StubEmbeddings.render(x); // InvokeModel answers embeddings
        return;
      }
      (next != null ? next : StubResponse.echo()).render(x);
    } catch (IOException | RuntimeException e) {
      // The client may have gone away; nothing else to do for this exchange.
    }
  }

  @Override
  public void close() {
    server.stop(0);
    executor.shutdownNow();
  }
}

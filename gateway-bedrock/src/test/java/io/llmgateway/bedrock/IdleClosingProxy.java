package io.llmgateway.bedrock;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A TCP relay in front of the stub that closes a keep-alive connection once nothing crossed it for
 * {@code idle}, as load balancers and servers with a short keep-alive do: the client's pooled
 * connection is then dead while it looks reusable. Test support; closed once.
 */
final class IdleClosingProxy implements AutoCloseable {
  private final ServerSocket server;
  private final URI upstream;
  private final long idleNanos;
  private final Set<Pair> pairs = ConcurrentHashMap.newKeySet();
  private final AtomicInteger accepted = new AtomicInteger();
  private final AtomicInteger idleClosed = new AtomicInteger();
  private volatile boolean closed;

  private final class Pair {
    final Socket client;
    final Socket up;
    volatile long last = System.nanoTime();

    Pair(Socket client, Socket up) {
      this.client = client;
      this.up = up;
    }

    void close() {
      pairs.remove(this);
      quietly(client);
      quietly(up);
    }
  }

  IdleClosingProxy(URI upstream, Duration idle) throws IOException {
    this.upstream = upstream;
    this.idleNanos = idle.toNanos();
    this.server = new ServerSocket(0, 200, InetAddress.getLoopbackAddress());
    Thread.ofVirtual().start(this::accept);
    Thread.ofVirtual().start(this::reap);
  }

  URI endpoint() {
    return URI.create("http://127.0.0.1:" + server.getLocalPort());
  }

  int connections() {
    return accepted.get();
  }

  int closedIdle() {
    return idleClosed.get();
  }

  private void accept() {
    while (!closed) {
      try {
        Socket c = server.accept();
        accepted.incrementAndGet();
        Pair p = new Pair(c, new Socket(upstream.getHost(), upstream.getPort()));
        pairs.add(p);
        Thread.ofVirtual().start(() -> pump(p, p.client, p.up));
        Thread.ofVirtual().start(() -> pump(p, p.up, p.client));
      } catch (IOException e) {
        return;
      }
    }
  }

  private void pump(Pair p, Socket from, Socket to) {
    byte[] buf = new byte[8192];
    try {
      InputStream in = from.getInputStream();
      OutputStream out = to.getOutputStream();
      for (int n; (n = in.read(buf)) >= 0; ) {
        p.last = System.nanoTime();
        out.write(buf, 0, n);
        out.flush();
      }
    } catch (IOException e) {
      // closed by the reaper or the other side
    }
    p.close();
  }

  private void reap() {
    while (!closed) {
      try {
        Thread.sleep(10);
      } catch (InterruptedException e) {
        return;
      }
      long now = System.nanoTime();
      for (Pair p : pairs) {
        if (now - p.last > idleNanos) {
          idleClosed.incrementAndGet();
          p.close();
        }
      }
    }
  }

  private static void quietly(Socket s) {
    try {
      s.close();
    } catch (IOException ignored) {
      // closing anyway
    }
  }

  @Override
  public void close() throws IOException {
    closed = true;
    server.close();
    pairs.forEach(Pair::close);
  }
}

package io.llmgateway.server.alerts;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;

/** A real local HTTP receiver on 127.0.0.1 recording every POST; answers {@link #status}. */
final class Receiver implements AutoCloseable {
  record Received(String path, byte[] body, String signature, String idempotencyKey) {}

  final List<Received> received = new CopyOnWriteArrayList<>();
  volatile int status = 200;
  private final HttpServer server;

  Receiver() throws IOException {
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
    server.createContext(
        "/",
        x -> {
          byte[] body = x.getRequestBody().readAllBytes();
          received.add(
              new Received(
                  x.getRequestURI().getPath(),
                  body,
                  x.getRequestHeaders().getFirst(WebhookSignature.HEADER),
                  x.getRequestHeaders().getFirst("Idempotency-Key")));
          x.sendResponseHeaders(status, -1);
          x.close();
        });
    server.start();
  }

  URI url(String path) {
    return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + path);
  }

  List<Received> at(String path) {
    return received.stream().filter(r -> r.path().equals(path)).toList();
  }

  @Override
  public void close() {
    server.stop(0);
  }
}

package io.llmgateway.server.streams;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;

/**
 * A raw-socket streaming chat client: one request per connection ({@code Connection: close}), so
 * thousands of them cost one socket and one virtual thread each, and a test can stop reading
 * whenever it likes. Test support.
 */
final class SseClient implements AutoCloseable {
  private final Socket socket;
  private final InputStream in;

  private SseClient(Socket socket) throws IOException {
    this.socket = socket;
    this.in = socket.getInputStream();
  }

  /** Opens a connection and sends a streamed chat request for {@code prompt} with {@code key}. */
  static SseClient open(String baseUrl, String key, String model, String prompt)
      throws IOException {
    return open(baseUrl, key, model, prompt, 0);
  }

  /** As {@link #open(String, String, String, String)}, with a small receive buffer if > 0. */
  static SseClient open(String baseUrl, String key, String model, String prompt, int receiveBuffer)
      throws IOException {
    URI u = URI.create(baseUrl);
    Socket s = new Socket();
    if (receiveBuffer > 0) {
      s.setReceiveBufferSize(receiveBuffer);
    }
    s.connect(new java.net.InetSocketAddress(u.getHost(), u.getPort()), 5_000);
    byte[] body =
        ("{\"model\":\""
                + model
                + "\",\"stream\":true,\"messages\":[{\"role\":\"user\",\"content\":\""
                + prompt
                + "\"}]}")
            .getBytes(StandardCharsets.UTF_8);
    String head =
        "POST /v1/chat/completions HTTP/1.1\r\nHost: "
            + u.getHost()
            + "\r\nAuthorization: Bearer "
            + key
            + "\r\nContent-Type: application/json\r\nContent-Length: "
            + body.length
            + "\r\nConnection: close\r\n\r\n";
    var out = s.getOutputStream();
    out.write(head.getBytes(StandardCharsets.US_ASCII));
    out.write(body);
    out.flush();
    return new SseClient(s);
  }

  /** Reads up to {@code n} bytes (fewer at the end); the start of the answer, say. */
  String read(int n) throws IOException {
    byte[] b = in.readNBytes(n);
    return new String(b, StandardCharsets.UTF_8);
  }

  /** Reads the whole answer until the server closes the connection. */
  String readAll() throws IOException {
    ByteArrayOutputStream all = new ByteArrayOutputStream();
    in.transferTo(all);
    return all.toString(StandardCharsets.UTF_8);
  }

  @Override
  public void close() throws IOException {
    socket.close();
  }
}

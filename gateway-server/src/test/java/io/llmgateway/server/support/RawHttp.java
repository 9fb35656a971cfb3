package io.llmgateway.server.support;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * HTTP/1.1 over a plain socket, for requests no client library would send: headers without their
 * body, a body that stops half way, oversized or broken header values. Not thread-safe; one
 * connection per instance.
 */
public final class RawHttp implements AutoCloseable {
  private final Socket socket;

  public RawHttp(String baseUrl) throws IOException {
    java.net.URI u = java.net.URI.create(baseUrl);
    socket = new Socket(u.getHost(), u.getPort());
    socket.setSoTimeout(20_000);
  }

  /** Sends raw bytes (request line, headers, any part of a body). */
  public RawHttp send(String text) throws IOException {
    socket.getOutputStream().write(text.getBytes(StandardCharsets.ISO_8859_1));
    socket.getOutputStream().flush();
    return this;
  }

  /** Half-closes the sending side: the server sees the body end early. */
  public void shutdownOutput() throws IOException {
    socket.shutdownOutput();
  }

  /** Waits at most {@code millis} for a full response (headers and body). */
  public Response read(int millis) throws IOException {
    socket.setSoTimeout(millis);
    InputStream in = socket.getInputStream();
    ByteArrayOutputStream buf = new ByteArrayOutputStream();
    byte[] b = new byte[8192];
    long deadline = System.nanoTime() + millis * 1_000_000L;
    try {
      while (System.nanoTime() < deadline) {
        int n = in.read(b);
        if (n < 0) {
          break;
        }
        buf.write(b, 0, n);
        Response r = Response.parse(buf.toString(StandardCharsets.ISO_8859_1));
        if (r != null && r.complete()) {
          return r;
        }
      }
    } catch (SocketTimeoutException e) {
      // fall through: whatever arrived so far
    } catch (IOException e) {
      // reset by the server after it answered: whatever arrived so far
    }
    Response r = Response.parse(buf.toString(StandardCharsets.ISO_8859_1));
    return r != null ? r : new Response(0, "", "", buf.toString(StandardCharsets.ISO_8859_1));
  }

  @Override
  public void close() throws IOException {
    socket.close();
  }

  /** A parsed response: status, raw header block, body (as received so far). */
  public record Response(int status, String reason, String headers, String body) {
    static Response parse(String text) {
      int end = text.indexOf("\r\n\r\n");
      if (end < 0 || !text.startsWith("HTTP/1.1 ")) {
        return null;
      }
      String head = text.substring(0, end);
      int status = Integer.parseInt(head.substring(9, 12));
      return new Response(
          status, head.substring(12).split("\r\n", 2)[0].trim(), head, text.substring(end + 4));
    }

    public String header(String name) {
      for (String line : headers.split("\r\n")) {
        int c = line.indexOf(':');
        if (c > 0 && line.substring(0, c).trim().equalsIgnoreCase(name)) {
          return line.substring(c + 1).trim();
        }
      }
      return null;
    }

    boolean complete() {
      String len = header("Content-Length");
      if (len != null) {
        return body.getBytes(StandardCharsets.ISO_8859_1).length >= Integer.parseInt(len);
      }
      String te = header("Transfer-Encoding");
      return te != null
          && te.toLowerCase(Locale.ROOT).contains("chunked")
          && body.endsWith("0\r\n\r\n");
    }
  }
}

package io.llmgateway.server.support;

import static java.nio.charset.StandardCharsets.ISO_8859_1;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.time.Duration;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A flaky network between the gateway and Bedrock: a TCP proxy on 127.0.0.1 that passes HTTP/1.1
 * answers through, except that a share of them is <em>cut</em> (the status and headers, then half
 * of the body, then a connection reset) or <em>stalled</em> (held back for longer than the
 * gateway's first-byte timeout). Either way the upstream has answered in full, so the Bedrock stub
 * behind it has billed the call: the way a 200 that never arrives whole costs money in production.
 * Which answers are hit is drawn from a seeded random source. An answer is read whole before it is
 * passed on (streams included), which is fine for the stub's answers, written all at once.
 * Thread-safe.
 */
public final class FaultyLink implements AutoCloseable {
  private final ServerSocket listener;
  private final URI upstream;
  private final double cutShare;
  private final double stallShare;
  private final Duration stall;
  private final SplittableRandom random;
  private final AtomicInteger cuts = new AtomicInteger();
  private final AtomicInteger stalls = new AtomicInteger();

  private FaultyLink(URI upstream, double cutShare, double stallShare, Duration stall, long seed)
      throws IOException {
    this.listener = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    this.upstream = upstream;
    this.cutShare = cutShare;
    this.stallShare = stallShare;
    this.stall = stall;
    this.random = new SplittableRandom(seed);
    Thread.ofVirtual().name("faulty-link-accept").start(this::acceptLoop);
  }

  /** A link to {@code upstream} cutting and stalling the given shares of its answers. */
  public static FaultyLink start(
      URI upstream, double cutShare, double stallShare, Duration stall, long seed) {
    try {
      return new FaultyLink(upstream, cutShare, stallShare, stall, seed);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public URI endpoint() {
    return URI.create("http://127.0.0.1:" + listener.getLocalPort());
  }

  /** Answers cut after their headers and half their body. */
  public int cuts() {
    return cuts.get();
  }

  /** Answers held back past the gateway's timeout. */
  public int stalls() {
    return stalls.get();
  }

  private enum Fate {
    PASS,
    CUT,
    STALL
  }

  private Fate nextFate() {
    double r;
    synchronized (random) {
      r = random.nextDouble();
    }
    return r < cutShare ? Fate.CUT : r < cutShare + stallShare ? Fate.STALL : Fate.PASS;
  }

  private void acceptLoop() {
    while (!listener.isClosed()) {
      try {
        Socket client = listener.accept();
        Socket server = new Socket(upstream.getHost(), upstream.getPort());
        Thread.ofVirtual().start(() -> pipe(client, server));
        Thread.ofVirtual().start(() -> answers(server, client));
      } catch (IOException e) {
        return; // closed
      }
    }
  }

  /** Requests go through untouched. */
  private static void pipe(Socket from, Socket to) {
    try (from;
        to) {
      from.getInputStream().transferTo(to.getOutputStream());
    } catch (IOException e) {
      // either side went away: both are closed
    }
  }

  /** Answers, one at a time, each meeting its fate. */
  private void answers(Socket server, Socket client) {
    try (server;
        client) {
      InputStream in = new java.io.BufferedInputStream(server.getInputStream());
      OutputStream out = client.getOutputStream();
      while (true) {
        byte[] head = readHead(in);
        if (head == null) {
          return;
        }
        String text = new String(head, ISO_8859_1).toLowerCase(Locale.ROOT);
        if (text.startsWith("http/1.1 1")) { // 100 Continue: no body, the real answer follows
          out.write(head);
          continue;
        }
        byte[] body = readBody(in, text);
        switch (nextFate()) {
          case PASS -> out.write(head);
          case CUT -> {
            cuts.incrementAndGet();
            out.write(head);
            out.write(body, 0, body.length / 2);
            out.flush();
            client.setSoLinger(true, 0); // close with a reset, not an orderly end
            return;
          }
          case STALL -> {
            stalls.incrementAndGet();
            Thread.sleep(stall);
            out.write(head);
          }
        }
        out.write(body);
        out.flush();
      }
    } catch (IOException e) {
      // either side went away: both are closed
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** The status line and headers, through the empty line; null at the end of the connection. */
  private static byte[] readHead(InputStream in) throws IOException {
    ByteArrayOutputStream head = new ByteArrayOutputStream();
    int matched = 0;
    int b;
    while (matched < 4 && (b = in.read()) != -1) {
      head.write(b);
      matched = (b == (matched % 2 == 0 ? '\r' : '\n')) ? matched + 1 : (b == '\r' ? 1 : 0);
    }
    return matched == 4 ? head.toByteArray() : null;
  }

  /** The whole body as sent (raw chunks included), by Content-Length or chunked framing. */
  private static byte[] readBody(InputStream in, String head) throws IOException {
    java.util.regex.Matcher length =
        java.util.regex.Pattern.compile("\r\ncontent-length: *(\\d+)").matcher(head);
    if (length.find()) {
      return in.readNBytes(Integer.parseInt(length.group(1)));
    }
    if (!head.contains("\r\ntransfer-encoding: chunked")) {
      return new byte[0];
    }
    ByteArrayOutputStream body = new ByteArrayOutputStream();
    while (true) {
      String sizeLine = readLine(in, body);
      int size = Integer.parseInt(sizeLine.split(";")[0].trim(), 16);
      body.write(in.readNBytes(size + 2)); // data and its CRLF
      if (size == 0) {
        return body.toByteArray(); // no trailers from the stub
      }
    }
  }

  private static String readLine(InputStream in, ByteArrayOutputStream copy) throws IOException {
    StringBuilder line = new StringBuilder();
    int b;
    while ((b = in.read()) != -1) {
      copy.write(b);
      if (b == '\n') {
        break;
      }
      if (b != '\r') {
        line.append((char) b);
      }
    }
    if (b == -1) {
      throw new IOException("connection ended inside a chunked body");
    }
    return line.toString();
  }

  @Override
  public void close() {
    try {
      listener.close();
    } catch (IOException e) {
      // nothing to do
    }
  }
}

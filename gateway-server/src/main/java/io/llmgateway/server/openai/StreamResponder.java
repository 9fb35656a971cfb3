package io.llmgateway.server.openai;

import io.javalin.http.Context;
import io.llmgateway.core.chat.ChatChunk;
import io.llmgateway.core.error.GatewayException;
import io.llmgateway.core.provider.ChatStream;
import io.llmgateway.server.http.ApiError;
import io.llmgateway.server.http.ErrorResponder;
import io.llmgateway.server.http.InFlight;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Relays a core {@link ChatStream} to the client as Server-Sent Events in OpenAI's chunk format,
 * ending with {@code data: [DONE]}. The stream is always closed: when the client goes away (a write
 * fails) closing it drains the upstream for its usage (bounded), cancels it and settles; when the
 * upstream fails mid-stream an error event is sent (the status line is already out) and the stream
 * has settled itself. Stateless; one call per request, on the request's (virtual) thread.
 */
public final class StreamResponder {
  private static final Logger log = LoggerFactory.getLogger(StreamResponder.class);
  private static final byte[] DATA = "data: ".getBytes(StandardCharsets.US_ASCII);
  private static final byte[] END = "\n\n".getBytes(StandardCharsets.US_ASCII);
  private static final byte[] DONE = "data: [DONE]\n\n".getBytes(StandardCharsets.US_ASCII);

  private final ErrorResponder errors;
  private final InFlight inFlight;

  public StreamResponder(ErrorResponder errors, InFlight inFlight) {
    this.errors = errors;
    this.inFlight = inFlight;
  }

  /** Outcome of a relayed stream, for logs and tests. */
  public enum Outcome {
    COMPLETED,
    CLIENT_GONE,
    UPSTREAM_FAILED
  }

  public Outcome relay(
      Context ctx, ChatStream stream, ChatCompletionWriter.StreamChunks chunks, String requestId) {
    inFlight.opened(stream);
    try (stream) {
      ctx.status(200);
      ctx.contentType("text/event-stream; charset=utf-8");
      ctx.header("Cache-Control", "no-cache");
      ctx.header("X-Accel-Buffering", "no");
      OutputStream out = ctx.res().getOutputStream();
      if (!send(out, chunks.role())) {
        return Outcome.CLIENT_GONE;
      }
      while (true) {
        Optional<ChatChunk> next;
        try {
          next = stream.next();
        } catch (GatewayException e) {
          ApiError api = errors.mapper().map(e);
          log.warn("request {} upstream failed mid-stream: {}", requestId, e.code());
          send(out, errors.body(api));
          return Outcome.UPSTREAM_FAILED;
        }
        if (next.isEmpty()) {
          sendRaw(out, DONE);
          // Completing the response here sends the last chunk before the request counts as done.
          out.close();
          return Outcome.COMPLETED;
        }
        Optional<byte[]> chunk = chunks.of(next.get());
        if (chunk.isPresent() && !send(out, chunk.get())) {
          log.info("request {} client disconnected mid-stream; upstream cancelled", requestId);
          return Outcome.CLIENT_GONE;
        }
      }
    } catch (RuntimeException e) {
      // Headers are out: nothing sensible can be sent. The stream was closed (and settled).
      log.error("request {} stream failed", requestId, e);
      return Outcome.UPSTREAM_FAILED;
    } catch (IOException e) {
      return Outcome.CLIENT_GONE;
    } finally {
      inFlight.closed(stream);
    }
  }

  private static boolean send(OutputStream out, byte[] json) {
    try {
      out.write(DATA);
      out.write(json);
      out.write(END);
      out.flush();
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  private static boolean sendRaw(OutputStream out, byte[] bytes) {
    try {
      out.write(bytes);
      out.flush();
      return true;
    } catch (IOException e) {
      return false;
    }
  }
}

package io.llmgateway.bedrock;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.util.Arrays;
import software.amazon.awssdk.eventstream.HeaderValue;
import software.amazon.awssdk.eventstream.Message;

/**
 * Reads AWS event-stream frames ({@code application/vnd.amazon.eventstream}, reference doc 2.2) one
 * at a time from a blocking stream: the 12-byte prelude gives the frame's total length, the rest is
 * read whole and decoded by the SDK's own {@link Message#decode}, which checks both CRCs. Not
 * thread-safe: one reader.
 */
final class EventStreamFrames {
  /** Far above any Converse event; a larger length means a corrupted prelude. */
  private static final int MAX_FRAME = 16 * 1024 * 1024;

  private static final int PRELUDE = 12;
  private static final int MIN_FRAME = PRELUDE + 4;

  private final InputStream in;

  EventStreamFrames(InputStream in) {
    this.in = in;
  }

  /** The next frame, or null at the clean end of the stream. */
  Message next() throws IOException {
    byte[] prelude = in.readNBytes(PRELUDE);
    if (prelude.length == 0) {
      return null;
    }
    if (prelude.length < PRELUDE) {
      throw new EOFException("the event stream ended inside a frame");
    }
    int total = ByteBuffer.wrap(prelude).getInt();
    if (total < MIN_FRAME || total > MAX_FRAME) {
      throw new MalformedFrameException("an event-stream frame has an impossible length");
    }
    byte[] frame = Arrays.copyOf(prelude, total);
    if (in.readNBytes(frame, PRELUDE, total - PRELUDE) < total - PRELUDE) {
      throw new EOFException("the event stream ended inside a frame");
    }
    try {
      return Message.decode(ByteBuffer.wrap(frame));
    } catch (RuntimeException e) {
      // CRC mismatches and bad headers come as IllegalArgumentException / IllegalStateException.
      throw new MalformedFrameException("a corrupted event-stream frame (" + e.getMessage() + ")");
    }
  }

  /** A string header of a frame, or null. */
  static String header(Message m, String name) {
    HeaderValue v = m.getHeaders().get(name);
    return v == null ? null : v.getString();
  }

  /** A frame that cannot be decoded. */
  static final class MalformedFrameException extends IOException {
    MalformedFrameException(String message) {
      super(message);
    }
  }
}

package io.llmgateway.bedrock.stub;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.zip.CRC32;

/**
 * Encodes AWS event-stream frames ({@code application/vnd.amazon.eventstream}), JDK only: total
 * length, headers length, prelude CRC32, string headers, payload, message CRC32 (reference doc
 * 2.2). Stateless and thread-safe.
 */
public final class EventStreamEncoder {
  private static final byte STRING = 7;

  private EventStreamEncoder() {}

  /** A Bedrock event frame, e.g. {@code event("contentBlockDelta", "{...}")}. */
  public static byte[] event(String eventType, String json) {
    Map<String, String> h = new LinkedHashMap<>();
    h.put(":event-type", eventType);
    h.put(":content-type", "application/json");
    h.put(":message-type", "event");
    return frame(h, json.getBytes(UTF_8));
  }

  /**
   * An in-stream exception frame; {@code exceptionType} is the lowerCamel member name, e.g. {@code
   * throttlingException}, as Bedrock sends it.
   */
  public static byte[] exception(String exceptionType, String json) {
    Map<String, String> h = new LinkedHashMap<>();
    h.put(":exception-type", exceptionType);
    h.put(":content-type", "application/json");
    h.put(":message-type", "exception");
    return frame(h, json.getBytes(UTF_8));
  }

  /** One frame with string-valued headers. */
  public static byte[] frame(Map<String, String> headers, byte[] payload) {
    try {
      ByteArrayOutputStream hb = new ByteArrayOutputStream();
      DataOutputStream hd = new DataOutputStream(hb);
      for (Map.Entry<String, String> e : headers.entrySet()) {
        byte[] n = e.getKey().getBytes(UTF_8);
        byte[] v = e.getValue().getBytes(UTF_8);
        if (n.length > 255 || v.length > 65_535) {
          throw new IllegalArgumentException("header too long: " + e.getKey());
        }
        hd.writeByte(n.length);
        hd.write(n);
        hd.writeByte(STRING);
        hd.writeShort(v.length);
        hd.write(v);
      }
      byte[] hdr = hb.toByteArray();
      int total = 12 + hdr.length + payload.length + 4;
      ByteArrayOutputStream out = new ByteArrayOutputStream(total);
      DataOutputStream d = new DataOutputStream(out);
      d.writeInt(total);
      d.writeInt(hdr.length);
      CRC32 prelude = new CRC32();
      prelude.update(out.toByteArray(), 0, 8);
      d.writeInt((int) prelude.getValue());
      d.write(hdr);
      d.write(payload);
      CRC32 message = new CRC32();
      message.update(out.toByteArray(), 0, out.size());
      d.writeInt((int) message.getValue());
      return out.toByteArray();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}

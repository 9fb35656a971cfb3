package io.llmgateway.bedrock.stub;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.eventstream.Message;

/** The encoder produces frames the SDK's own decoder accepts, CRCs included. */
class EventStreamEncoderTest {

  private static final String DELTA = "{\"contentBlockIndex\":0,\"delta\":{\"text\":\"Hi\"}}";

  @Test
  void encodesTheReferenceFrameByteForByteInItsPrelude() {
    byte[] frame = EventStreamEncoder.event("contentBlockDelta", DELTA);

    // Reference doc 2.2: 148 bytes, prelude 00 00 00 94 | 00 00 00 57 | b4 ab 9a ee.
    assertThat(frame).hasSize(148);
    assertThat(Arrays.copyOfRange(frame, 0, 12))
        .containsExactly(
            0,
            0,
            0,
            (byte) 0x94,
            0,
            0,
            0,
            0x57,
            (byte) 0xb4,
            (byte) 0xab,
            (byte) 0x9a,
            (byte) 0xee);
  }

  @Test
  void framesDecodeWithTheSdkDecoder() {
    Message event = Message.decode(ByteBuffer.wrap(EventStreamEncoder.event("messageStop", "{}")));
    assertThat(event.getHeaders().get(":event-type").getString()).isEqualTo("messageStop");
    assertThat(event.getHeaders().get(":message-type").getString()).isEqualTo("event");
    assertThat(new String(event.getPayload(), UTF_8)).isEqualTo("{}");

    Message error =
        Message.decode(
            ByteBuffer.wrap(
                EventStreamEncoder.exception("throttlingException", "{\"message\":\"slow\"}")));
    assertThat(error.getHeaders().get(":exception-type").getString())
        .isEqualTo("throttlingException");
    assertThat(error.getHeaders().get(":message-type").getString()).isEqualTo("exception");
  }

  @Test
  void aFlippedByteFailsTheSdkChecksum() {
    byte[] frame = EventStreamEncoder.event("contentBlockDelta", DELTA);
    frame[20] ^= 0x01;
    assertThatThrownBy(() -> Message.decode(ByteBuffer.wrap(frame)))
        .hasMessageContaining("checksum");
  }
}

package io.tickgate.protocol;

import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The bytes of the frames the gateway writes, at every length boundary of RFC 6455 5.2, and the handshake key.
 */
class WebSocketFrameDescriptorTest
{
    @Test
    void shouldComputeTheRfcAcceptKeyExample()
    {
        // RFC 6455 1.3.
        assertThat(WebSocketFrameDescriptor.acceptKey("dGhlIHNhbXBsZSBub25jZQ=="))
            .isEqualTo("s3pPLMBiTxaQ9kYGzzhZRbK+xOo=");
    }

    @Test
    void shouldUseSevenBitLengthsUpTo125()
    {
        final ByteBuffer buffer = ByteBuffer.allocate(16);

        assertThat(WebSocketFrameDescriptor.putServerHeader(buffer, 3, 0x2, 125)).isEqualTo(2);
        assertThat(buffer.get(3)).isEqualTo((byte)0x82);
        assertThat(buffer.get(4)).isEqualTo((byte)125);
        assertThat(WebSocketFrameDescriptor.serverHeaderLength(0)).isEqualTo(2);
        assertThat(WebSocketFrameDescriptor.serverHeaderLength(125)).isEqualTo(2);
    }

    @Test
    void shouldUseSixteenBitLengthsFrom126To65535()
    {
        final ByteBuffer buffer = ByteBuffer.allocate(16);

        assertThat(WebSocketFrameDescriptor.putServerHeader(buffer, 0, 0x2, 126)).isEqualTo(4);
        assertThat(bytesOf(buffer, 4)).containsExactly(0x82, 126, 0x00, 126);
        assertThat(WebSocketFrameDescriptor.putServerHeader(buffer, 0, 0x1, 65_535)).isEqualTo(4);
        assertThat(bytesOf(buffer, 4)).containsExactly(0x81, 126, 0xFF, 0xFF);
        assertThat(WebSocketFrameDescriptor.serverHeaderLength(126)).isEqualTo(4);
        assertThat(WebSocketFrameDescriptor.serverHeaderLength(65_535)).isEqualTo(4);
    }

    @Test
    void shouldUseSixtyFourBitLengthsFrom65536()
    {
        final ByteBuffer buffer = ByteBuffer.allocate(16);

        assertThat(WebSocketFrameDescriptor.putServerHeader(buffer, 0, 0x2, 65_536)).isEqualTo(10);
        assertThat(bytesOf(buffer, 10)).containsExactly(0x82, 127, 0, 0, 0, 0, 0, 0x01, 0x00, 0x00);
        assertThat(WebSocketFrameDescriptor.serverHeaderLength(65_536)).isEqualTo(10);
    }

    @Test
    void shouldWriteCloseFramesWithCodeAndReasonUnmasked()
    {
        final ByteBuffer close = WebSocketFrameDescriptor.closeFrame(1008, "slow consumer");

        assertThat(bytesOf(close, 4)).containsExactly(0x88, 15, 0x03, 0xF0);
        assertThat(new String(close.array(), 4, 13, StandardCharsets.UTF_8)).isEqualTo("slow consumer");
        assertThat(close.remaining()).isEqualTo(17);
    }

    @Test
    void shouldCutCloseReasonsToFitAControlFrame()
    {
        final ByteBuffer close = WebSocketFrameDescriptor.closeFrame(1000, "r".repeat(200));

        assertThat(close.get(1)).isEqualTo((byte)125);
        assertThat(close.remaining()).isEqualTo(127);
    }

    private static int[] bytesOf(final ByteBuffer buffer, final int length)
    {
        final int[] bytes = new int[length];
        for (int i = 0; i < length; i++)
        {
            bytes[i] = buffer.get(i) & 0xFF;
        }
        return bytes;
    }
}

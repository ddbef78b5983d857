package io.tickgate.perf;

import io.tickgate.protocol.WebSocketFrameDescriptor;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;

class WebSocketClientFramesTest
{
    @Test
    void shouldDeriveAcceptFromKeyAsInRfc6455Section1_3()
    {
        assertThat(WebSocketClientFrames.expectedAccept("dGhlIHNhbXBsZSBub25jZQ=="))
            .isEqualTo("s3pPLMBiTxaQ9kYGzzhZRbK+xOo=");
    }

    @Test
    void shouldMaskEveryPayloadByteWithTheKeyInNetworkOrder()
    {
        final ByteBuffer out = ByteBuffer.allocate(64);
        final byte[] payload = "Hello".getBytes(StandardCharsets.US_ASCII);

        assertThat(WebSocketClientFrames.putMaskedFrame(out, WebSocketFrameDescriptor.OPCODE_TEXT,
            ByteBuffer.wrap(payload), 0x37FA_213D)).isTrue();

        // RFC 6455 section 5.7: a single-frame masked text message "Hello".
        final byte[] expected = { (byte)0x81, (byte)0x85, 0x37, (byte)0xFA, 0x21, 0x3D, 0x7F, (byte)0x9F, 0x4D, 0x51,
            0x58 };
        assertThat(java.util.Arrays.copyOf(out.array(), out.position())).isEqualTo(expected);
    }

    @Test
    void shouldUseSixteenBitLengthAbove125Bytes()
    {
        final ByteBuffer out = ByteBuffer.allocate(512);
        WebSocketClientFrames.putMaskedFrame(out, WebSocketFrameDescriptor.OPCODE_TEXT, ByteBuffer.allocate(300), 1);

        assertThat(out.get(1)).isEqualTo((byte)(0x80 | 126));
        assertThat(out.getShort(2)).isEqualTo((short)300);
        assertThat(out.position()).isEqualTo(2 + 2 + 4 + 300);
    }

    @Test
    void shouldWriteNothingWhenOutOfRoom()
    {
        final ByteBuffer out = ByteBuffer.allocate(8);
        assertThat(WebSocketClientFrames.putMaskedFrame(out, WebSocketFrameDescriptor.OPCODE_TEXT,
            ByteBuffer.allocate(10), 1)).isFalse();
        assertThat(out.position()).isZero();
    }

    @Test
    void shouldAcceptOnlyA101WithTheRightAccept()
    {
        final String accept = WebSocketClientFrames.expectedAccept("dGhlIHNhbXBsZSBub25jZQ==");
        final String ok = "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n" +
            "Sec-WebSocket-Accept: " + accept + "\r\n\r\n";

        assertThat(UpgradeResponse.refusal(ok, accept)).isNull();
        assertThat(UpgradeResponse.refusal(ok.replace(accept, "x" + accept), accept)).isNotNull();
        assertThat(UpgradeResponse.refusal(ok.replace("101 Switching Protocols", "404 Not Found"), accept))
            .isEqualTo("upgrade refused: HTTP/1.1 404 Not Found");
    }

    @Test
    void shouldNameTheWrongAcceptKeyRatherThanTheSuccessStatusWhenA101FailsTheCheck()
    {
        final String accept = WebSocketClientFrames.expectedAccept("dGhlIHNhbXBsZSBub25jZQ==");
        final String head = "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n" +
            "Sec-WebSocket-Accept: bm90IHRoZSByaWdodCBrZXk=\r\n\r\n";

        final String refusal = UpgradeResponse.refusal(head, accept);

        assertThat(refusal).contains("wrong Sec-WebSocket-Accept", "bm90IHRoZSByaWdodCBrZXk=", accept)
            .doesNotContain("refused");
        assertThat(UpgradeResponse.refusal(head.replace("Sec-WebSocket-Accept: bm90IHRoZSByaWdodCBrZXk=\r\n", ""),
            accept)).contains("wrong Sec-WebSocket-Accept: (missing)");
        assertThat(UpgradeResponse.refusal(head.replace("Upgrade: websocket", "Upgrade: h2c"), accept))
            .contains("Upgrade: h2c");
    }
}

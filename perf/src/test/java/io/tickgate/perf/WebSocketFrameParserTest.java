package io.tickgate.perf;

import io.tickgate.protocol.WebSocketFrameDescriptor;
import org.agrona.MutableDirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class WebSocketFrameParserTest
{
    private final WebSocketFrameParser parser = new WebSocketFrameParser();
    private final List<String> events = new ArrayList<>();
    private final List<byte[]> messages = new ArrayList<>();

    private final WebSocketListener listener = new WebSocketListener()
    {
        @Override
        public void onMessage(final boolean binary, final MutableDirectBuffer buffer, final int offset,
            final int length)
        {
            final byte[] bytes = new byte[length];
            buffer.getBytes(offset, bytes);
            messages.add(bytes);
            events.add((binary ? "binary:" : "text:") + length);
        }

        @Override
        public void onPing(final MutableDirectBuffer buffer, final int offset, final int length)
        {
            events.add("ping:" + buffer.getStringWithoutLengthAscii(offset, length));
        }

        @Override
        public void onPong(final MutableDirectBuffer buffer, final int offset, final int length)
        {
            events.add("pong:" + length);
        }

        @Override
        public void onClose(final int code)
        {
            events.add("close:" + code);
        }

        @Override
        public void onProtocolError(final String reason)
        {
            events.add("error:" + reason);
        }
    };

    /** A server frame as RFC 6455 lays it out, built by hand rather than by the code under test. */
    private static byte[] serverFrame(final boolean fin, final int opcode, final byte[] payload, final int lengthForm)
    {
        final ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write((fin ? 0x80 : 0) | opcode);
        if (127 == lengthForm)
        {
            out.write(127);
            out.writeBytes(ByteBuffer.allocate(8).order(ByteOrder.BIG_ENDIAN).putLong(payload.length).array());
        }
        else if (126 == lengthForm)
        {
            out.write(126);
            out.write((payload.length >>> 8) & 0xFF);
            out.write(payload.length & 0xFF);
        }
        else
        {
            out.write(payload.length);
        }
        out.writeBytes(payload);
        return out.toByteArray();
    }

    private static byte[] pattern(final int length)
    {
        final byte[] bytes = new byte[length];
        for (int i = 0; i < length; i++)
        {
            bytes[i] = (byte)(i * 31 + 7);
        }
        return bytes;
    }

    private static byte[] concat(final byte[]... parts)
    {
        final ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (final byte[] part : parts)
        {
            out.writeBytes(part);
        }
        return out.toByteArray();
    }

    private int parse(final byte[] bytes)
    {
        return parser.parse(new UnsafeBuffer(bytes), 0, bytes.length, listener);
    }

    @Test
    void shouldParseSixteenBitLengthForm()
    {
        final byte[] payload = pattern(300);
        final byte[] frame = serverFrame(true, WebSocketFrameDescriptor.OPCODE_BINARY, payload, 126);
        assertThat(frame[1]).isEqualTo((byte)126);

        assertThat(parse(frame)).isEqualTo(frame.length);
        assertThat(events).containsExactly("binary:300");
        assertThat(messages.get(0)).isEqualTo(payload);
    }

    @Test
    void shouldParseSixtyFourBitLengthForm()
    {
        final byte[] payload = pattern(70_000);
        final byte[] frame = serverFrame(true, WebSocketFrameDescriptor.OPCODE_BINARY, payload, 127);
        assertThat(frame[1]).isEqualTo((byte)127);

        assertThat(parse(frame)).isEqualTo(frame.length);
        assertThat(events).containsExactly("binary:70000");
        assertThat(messages.get(0)).isEqualTo(payload);
    }

    @Test
    void shouldWaitForTheRestOfAFrameAndSayHowLongItIs()
    {
        final byte[] frame = serverFrame(true, WebSocketFrameDescriptor.OPCODE_BINARY, pattern(300), 126);

        assertThat(parser.parse(new UnsafeBuffer(frame), 0, 100, listener)).isZero();
        assertThat(parser.neededBytes()).isEqualTo(frame.length);
        assertThat(parser.parse(new UnsafeBuffer(frame), 0, 3, listener)).isZero();
        assertThat(events).isEmpty();
        assertThat(parse(frame)).isEqualTo(frame.length);
        assertThat(events).containsExactly("binary:300");
    }

    @Test
    void shouldReassembleFragmentedMessageWithPingBetweenFragments()
    {
        final byte[] payload = pattern(500);
        final byte[] bytes = concat(
            serverFrame(
                false, WebSocketFrameDescriptor.OPCODE_BINARY, java.util.Arrays.copyOfRange(payload, 0, 100), 0),
            serverFrame(true, WebSocketFrameDescriptor.OPCODE_PING, "hi".getBytes(), 0),
            serverFrame(false, WebSocketFrameDescriptor.OPCODE_CONTINUATION,
                java.util.Arrays.copyOfRange(payload, 100, 400), 126),
            serverFrame(true, WebSocketFrameDescriptor.OPCODE_CONTINUATION,
                java.util.Arrays.copyOfRange(payload, 400, 500), 0));

        assertThat(parse(bytes)).isEqualTo(bytes.length);
        assertThat(events).containsExactly("ping:hi", "binary:500");
        assertThat(messages.get(0)).isEqualTo(payload);
    }

    @Test
    void shouldReportCloseCodeAndPong()
    {
        final byte[] bytes = concat(
            serverFrame(true, WebSocketFrameDescriptor.OPCODE_PONG, new byte[0], 0),
            serverFrame(true, WebSocketFrameDescriptor.OPCODE_CLOSE, new byte[] { 0x03, (byte)0xF0, 's' }, 0),
            serverFrame(true, WebSocketFrameDescriptor.OPCODE_CLOSE, new byte[0], 0));

        parse(bytes);
        assertThat(events).containsExactly("pong:0", "close:1008", "close:1005");
    }

    @Test
    void shouldUnmaskAMaskedFrame()
    {
        final ByteBuffer out = ByteBuffer.allocate(64);
        WebSocketClientFrames.putMaskedFrame(out, WebSocketFrameDescriptor.OPCODE_TEXT,
            ByteBuffer.wrap("hello".getBytes()), 0x1234_5678);
        final byte[] bytes = java.util.Arrays.copyOf(out.array(), out.position());

        parse(bytes);
        assertThat(events).containsExactly("text:5");
        assertThat(new String(messages.get(0))).isEqualTo("hello");
    }

    @Test
    void shouldFailOnContinuationWithoutMessageAndOnUnknownOpcode()
    {
        parse(serverFrame(true, WebSocketFrameDescriptor.OPCODE_CONTINUATION, new byte[1], 0));
        assertThat(events).containsExactly("error:continuation frame without a message");
        assertThat(parser.hasFailed()).isTrue();

        final WebSocketFrameParser other = new WebSocketFrameParser();
        events.clear();
        final byte[] bytes = serverFrame(true, 0x3, new byte[1], 0);
        other.parse(new UnsafeBuffer(bytes), 0, bytes.length, listener);
        assertThat(events).containsExactly("error:unknown opcode 3");
    }
}

package io.tickgate.perf;

import org.agrona.DirectBuffer;
import org.agrona.ExpandableArrayBuffer;
import org.agrona.MutableDirectBuffer;

import static io.tickgate.protocol.WebSocketFrameDescriptor.CLOSE_NO_STATUS;
import static io.tickgate.protocol.WebSocketFrameDescriptor.MAX_CONTROL_PAYLOAD;
import static io.tickgate.protocol.WebSocketFrameDescriptor.OPCODE_BINARY;
import static io.tickgate.protocol.WebSocketFrameDescriptor.OPCODE_CLOSE;
import static io.tickgate.protocol.WebSocketFrameDescriptor.OPCODE_CONTINUATION;
import static io.tickgate.protocol.WebSocketFrameDescriptor.OPCODE_PING;
import static io.tickgate.protocol.WebSocketFrameDescriptor.OPCODE_PONG;
import static io.tickgate.protocol.WebSocketFrameDescriptor.OPCODE_TEXT;
import static java.nio.ByteOrder.BIG_ENDIAN;

/**
 * Parses RFC 6455 frames as a client receives them: 7-bit, 16-bit (126) and 64-bit (127) payload lengths,
 * fragmented data messages (reassembled, with control frames allowed between the fragments), ping, pong and close.
 * Masked server frames are against the RFC but are unmasked in place rather than refused, so a test server may mask.
 * <pre>
 *   0                   1                   2                   3
 *  +-+-+-+-+-------+-+-------------+-------------------------------+
 *  |F|R|R|R| opcode|M| payload len |   extended length (16 or 64)  |
 *  +-+-+-+-+-------+-+-------------+-------------------------------+
 *  |      masking key (if M)       |          payload ...          |
 *  +-------------------------------+-------------------------------+
 * </pre>
 * Not thread-safe: one per connection, used only by the selector thread. The fragment buffer grows to the largest
 * fragmented message seen and is then reused, so a steady state allocates nothing.
 */
final class WebSocketFrameParser
{
    /** Frames above this are refused: a gateway frame holds at most 65,535 entries of 80 bytes. */
    static final long MAX_PAYLOAD = 64L * 1024 * 1024;

    private MutableDirectBuffer fragments;
    private int fragmentLength;
    private int fragmentOpcode = -1;
    private int neededBytes;
    private boolean failed;

    /**
     * Dispatches every whole frame in the range and returns the bytes consumed; the caller keeps the rest and calls
     * again with more. After a protocol error nothing more is consumed.
     */
    int parse(final MutableDirectBuffer buffer, final int offset, final int length, final WebSocketListener listener)
    {
        int position = offset;
        final int end = offset + length;
        neededBytes = 0;
        while (!failed && end - position >= 2)
        {
            final int b0 = buffer.getByte(position) & 0xFF;
            final int b1 = buffer.getByte(position + 1) & 0xFF;
            final boolean fin = 0 != (b0 & 0x80);
            final int opcode = b0 & 0x0F;
            final boolean masked = 0 != (b1 & 0x80);
            final int length7 = b1 & 0x7F;

            int headerLength = 2 + (126 == length7 ? 2 : 127 == length7 ? 8 : 0) + (masked ? 4 : 0);
            if (end - position < headerLength)
            {
                neededBytes = headerLength;
                break;
            }
            final long payloadLength;
            if (126 == length7)
            {
                payloadLength = buffer.getShort(position + 2, BIG_ENDIAN) & 0xFFFF;
            }
            else if (127 == length7)
            {
                payloadLength = buffer.getLong(position + 2, BIG_ENDIAN);
            }
            else
            {
                payloadLength = length7;
            }
            if (0 != (b0 & 0x70))
            {
                return fail(listener, "reserved bits set without an extension", position - offset);
            }
            if (payloadLength < 0 || payloadLength > MAX_PAYLOAD)
            {
                return fail(listener, "payload length out of range: " + payloadLength, position - offset);
            }
            final long frameLength = headerLength + payloadLength;
            if (end - position < frameLength)
            {
                neededBytes = (int)frameLength;
                break;
            }
            final int payloadOffset = position + headerLength;
            if (masked)
            {
                unmask(buffer, payloadOffset, (int)payloadLength, buffer.getInt(payloadOffset - 4, BIG_ENDIAN));
            }
            if (!dispatch(buffer, fin, opcode, payloadOffset, (int)payloadLength, listener))
            {
                return position - offset;
            }
            position += (int)frameLength;
        }
        return position - offset;
    }

    /**
     * When the last {@link #parse} stopped inside a frame whose header it could read: that frame's whole length.
     * A caller whose buffer is smaller grows it.
     */
    int neededBytes()
    {
        return neededBytes;
    }

    boolean hasFailed()
    {
        return failed;
    }

    private boolean dispatch(
        final MutableDirectBuffer buffer,
        final boolean fin,
        final int opcode,
        final int offset,
        final int length,
        final WebSocketListener listener)
    {
        switch (opcode)
        {
            case OPCODE_TEXT:
            case OPCODE_BINARY:
                if (-1 != fragmentOpcode)
                {
                    fail(listener, "new data frame inside a fragmented message", 0);
                    return false;
                }
                if (fin)
                {
                    listener.onMessage(OPCODE_BINARY == opcode, buffer, offset, length);
                }
                else
                {
                    fragmentOpcode = opcode;
                    fragmentLength = 0;
                    appendFragment(buffer, offset, length);
                }
                return true;

            case OPCODE_CONTINUATION:
                if (-1 == fragmentOpcode)
                {
                    fail(listener, "continuation frame without a message", 0);
                    return false;
                }
                appendFragment(buffer, offset, length);
                if (fin)
                {
                    final boolean binary = OPCODE_BINARY == fragmentOpcode;
                    fragmentOpcode = -1;
                    listener.onMessage(binary, fragments, 0, fragmentLength);
                }
                return true;

            case OPCODE_CLOSE:
            case OPCODE_PING:
            case OPCODE_PONG:
                if (!fin || length > MAX_CONTROL_PAYLOAD)
                {
                    fail(listener, "fragmented or oversized control frame", 0);
                    return false;
                }
                if (OPCODE_PING == opcode)
                {
                    listener.onPing(buffer, offset, length);
                }
                else if (OPCODE_PONG == opcode)
                {
                    listener.onPong(buffer, offset, length);
                }
                else
                {
                    listener.onClose(length >= 2 ? buffer.getShort(offset, BIG_ENDIAN) & 0xFFFF : CLOSE_NO_STATUS);
                }
                return true;

            default:
                fail(listener, "unknown opcode " + opcode, 0);
                return false;
        }
    }

    private void appendFragment(final DirectBuffer buffer, final int offset, final int length)
    {
        if (null == fragments)
        {
            fragments = new ExpandableArrayBuffer(Math.max(1024, length));
        }
        fragments.putBytes(fragmentLength, buffer, offset, length);
        fragmentLength += length;
    }

    private int fail(final WebSocketListener listener, final String reason, final int consumed)
    {
        failed = true;
        listener.onProtocolError(reason);
        return consumed;
    }

    static void unmask(final MutableDirectBuffer buffer, final int offset, final int length, final int maskKey)
    {
        for (int i = 0; i < length; i++)
        {
            final int shift = 24 - ((i & 3) << 3);
            buffer.putByte(offset + i, (byte)(buffer.getByte(offset + i) ^ (maskKey >>> shift)));
        }
    }
}

package io.tickgate.protocol;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;

/**
 * The RFC 6455 frame layout, for the gateway's own framing and for test and load clients: the header fields, the
 * frames the gateway writes (server to client: never masked, never fragmented, no extensions), the handshake's
 * accept key and the close codes a peer may send.
 * <pre>
 *   0                   1                   2                   3
 *   0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 *  +-+-+-+-+-------+-+-------------+-------------------------------+
 *  |F|R|R|R| opcode|M| Payload len |    Extended payload length    |
 *  |I|S|S|S|  (4)  |A|     (7)     |      (16 or 64, big-endian)   |
 *  |N|V|V|V|       |S|             |                               |
 *  +-+-+-+-+-------+-+-------------+ - - - - - - - - - - - - - - - +
 *  |  ... 64-bit length continued, then the masking key (client frames only), then the payload  |
 *  +---------------------------------------------------------------------------------------------+
 * </pre>
 * The length uses the shortest form (RFC 6455 5.2): 7 bits up to 125, 16 bits up to 65,535, else 64 bits.
 */
public final class WebSocketFrameDescriptor
{
    public static final int OPCODE_CONTINUATION = 0x0;
    public static final int OPCODE_TEXT = 0x1;
    public static final int OPCODE_BINARY = 0x2;
    public static final int OPCODE_CLOSE = 0x8;
    public static final int OPCODE_PING = 0x9;
    public static final int OPCODE_PONG = 0xA;

    public static final int FIN_BIT = 0x80;
    public static final int RSV_BITS = 0x70;
    public static final int OPCODE_MASK = 0x0F;
    public static final int MASK_BIT = 0x80;
    public static final int LENGTH_MASK = 0x7F;
    public static final int LENGTH_16_MARKER = 126;
    public static final int LENGTH_64_MARKER = 127;
    public static final int MAX_CONTROL_PAYLOAD = 125;
    public static final int MASKING_KEY_LENGTH = 4;

    /** The longest server frame header: two bytes plus a 64-bit length. */
    public static final int MAX_SERVER_HEADER_LENGTH = 10;

    public static final int CLOSE_NORMAL = 1000;
    public static final int CLOSE_GOING_AWAY = 1001;
    public static final int CLOSE_PROTOCOL_ERROR = 1002;
    /** Stands for a close frame without a code; never sent on the wire. */
    public static final int CLOSE_NO_STATUS = 1005;
    public static final int CLOSE_INVALID_PAYLOAD = 1007;
    public static final int CLOSE_POLICY_VIOLATION = 1008;
    public static final int CLOSE_INTERNAL_ERROR = 1011;
    public static final int CLOSE_TRY_AGAIN_LATER = 1013;

    /** RFC 6455 1.3: appended to the client's key before hashing. */
    private static final byte[] ACCEPT_GUID =
        "258EAFA5-E914-47DA-95CA-C5AB0DC85B11".getBytes(StandardCharsets.US_ASCII);

    private WebSocketFrameDescriptor()
    {
    }

    public static boolean isControl(final int opcode)
    {
        return (opcode & 0x8) != 0;
    }

    public static int serverHeaderLength(final long payloadLength)
    {
        return payloadLength <= MAX_CONTROL_PAYLOAD ? 2 : payloadLength <= 0xFFFF ? 4 : MAX_SERVER_HEADER_LENGTH;
    }

    /**
     * Writes a final, unmasked frame header at {@code index}; returns its length.
     */
    public static int putServerHeader(
        final ByteBuffer buffer, final int index, final int opcode, final long payloadLength)
    {
        buffer.put(index, (byte)(FIN_BIT | opcode));
        if (payloadLength <= MAX_CONTROL_PAYLOAD)
        {
            buffer.put(index + 1, (byte)payloadLength);
            return 2;
        }
        if (payloadLength <= 0xFFFF)
        {
            buffer.put(index + 1, (byte)LENGTH_16_MARKER);
            buffer.put(index + 2, (byte)(payloadLength >>> 8));
            buffer.put(index + 3, (byte)payloadLength);
            return 4;
        }
        buffer.put(index + 1, (byte)LENGTH_64_MARKER);
        for (int i = 0; i < 8; i++)
        {
            buffer.put(index + 2 + i, (byte)(payloadLength >>> (56 - 8 * i)));
        }
        return MAX_SERVER_HEADER_LENGTH;
    }

    /**
     * A whole frame in a new heap buffer, ready to write; for replies and control frames, which are rare.
     */
    public static ByteBuffer serverFrame(final int opcode, final byte[] payload, final int length)
    {
        final int headerLength = serverHeaderLength(length);
        final ByteBuffer frame = ByteBuffer.allocate(headerLength + length);
        putServerHeader(frame, 0, opcode, length);
        frame.put(headerLength, payload, 0, length);
        return frame;
    }

    /**
     * A close frame: the code big-endian, then the reason in UTF-8, cut to fit a control frame.
     */
    public static ByteBuffer closeFrame(final int code, final String reason)
    {
        final byte[] reasonBytes = reason.getBytes(StandardCharsets.UTF_8);
        int reasonLength = Math.min(reasonBytes.length, MAX_CONTROL_PAYLOAD - 2);
        while (reasonLength < reasonBytes.length && (reasonBytes[reasonLength] & 0xC0) == 0x80)
        {
            reasonLength--; // never cut inside a UTF-8 sequence
        }
        final byte[] payload = new byte[2 + reasonLength];
        payload[0] = (byte)(code >>> 8);
        payload[1] = (byte)code;
        System.arraycopy(reasonBytes, 0, payload, 2, reasonLength);
        return serverFrame(OPCODE_CLOSE, payload, payload.length);
    }

    /**
     * Whether a peer may send this close code (RFC 6455 7.4.1 and 7.4.2): the defined codes except those that
     * must never appear on the wire, and the registered and private ranges.
     */
    public static boolean isValidReceivedCloseCode(final int code)
    {
        if (code >= 3000 && code <= 4999)
        {
            return true;
        }
        return code >= 1000 && code <= 1014 && code != 1004 && code != 1005 && code != 1006;
    }

    /**
     * {@code Sec-WebSocket-Accept} for a client's {@code Sec-WebSocket-Key}: base64 of the SHA-1 of the key and
     * the RFC's GUID.
     */
    public static String acceptKey(final String clientKey)
    {
        try
        {
            final MessageDigest sha1 = MessageDigest.getInstance("SHA-1");
            sha1.update(clientKey.getBytes(StandardCharsets.US_ASCII));
            return Base64.getEncoder().encodeToString(sha1.digest(ACCEPT_GUID));
        }
        catch (final NoSuchAlgorithmException ex)
        {
            throw new IllegalStateException("every Java runtime has SHA-1", ex);
        }
    }
}

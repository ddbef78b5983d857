package io.tickgate.perf;

import io.tickgate.protocol.WebSocketFrameDescriptor;
import java.nio.ByteBuffer;
import java.util.Base64;

/**
 * What a client writes (RFC 6455): the HTTP upgrade request, and masked frames (every client frame must be masked,
 * section 5.3). Stateless.
 */
final class WebSocketClientFrames
{

    private WebSocketClientFrames()
    {
    }

    static String upgradeRequest(final String host, final int port, final String path, final String key)
    {
        return "GET " + path + " HTTP/1.1\r\n" +
            "Host: " + host + ":" + port + "\r\n" +
            "Upgrade: websocket\r\n" +
            "Connection: Upgrade\r\n" +
            "Sec-WebSocket-Key: " + key + "\r\n" +
            "Sec-WebSocket-Version: 13\r\n" +
            "\r\n";
    }

    static String newKey(final long seed)
    {
        final byte[] nonce = new byte[16];
        long bits = seed * 0x9E37_79B9_7F4A_7C15L + System.nanoTime();
        for (int i = 0; i < nonce.length; i++)
        {
            bits ^= bits << 13;
            bits ^= bits >>> 7;
            bits ^= bits << 17;
            nonce[i] = (byte)bits;
        }
        return Base64.getEncoder().encodeToString(nonce);
    }

    static String expectedAccept(final String key)
    {
        return WebSocketFrameDescriptor.acceptKey(key);
    }

    /**
     * Appends one masked, final frame to {@code out}; the payload is read from {@code payload} between its position
     * and limit (which are left unchanged). Returns false, writing nothing, when {@code out} lacks room.
     */
    static boolean putMaskedFrame(final ByteBuffer out, final int opcode, final ByteBuffer payload, final int maskKey)
    {
        final int length = payload.remaining();
        final int headerLength = 2 + (length > 0xFFFF ? 8 : length > 125 ? 2 : 0) + 4;
        if (out.remaining() < headerLength + length)
        {
            return false;
        }
        out.put((byte)(0x80 | opcode));
        if (length > 0xFFFF)
        {
            out.put((byte)(0x80 | 127)).putLong(length);
        }
        else if (length > 125)
        {
            out.put((byte)(0x80 | 126)).putShort((short)length);
        }
        else
        {
            out.put((byte)(0x80 | length));
        }
        out.putInt(maskKey);
        final int start = payload.position();
        for (int i = 0; i < length; i++)
        {
            final int shift = 24 - ((i & 3) << 3);
            out.put((byte)(payload.get(start + i) ^ (maskKey >>> shift)));
        }
        return true;
    }
}

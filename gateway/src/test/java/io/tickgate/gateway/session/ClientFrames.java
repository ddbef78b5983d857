package io.tickgate.gateway.session;

import java.io.ByteArrayOutputStream;

/**
 * Client-to-server frames as RFC 6455 5.2 lays them out, for tests that play a client byte by byte.
 */
public final class ClientFrames
{
    private static final byte[] MASK = {(byte)0x37, (byte)0xfa, (byte)0x21, (byte)0x3d};

    private ClientFrames()
    {
    }

    /**
     * One frame, masked with a fixed key (the RFC's 5.7 example key), in the shortest length form.
     */
    public static byte[] masked(final boolean fin, final int opcode, final byte[] payload)
    {
        final ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write((fin ? 0x80 : 0) | opcode);
        if (payload.length <= 125)
        {
            out.write(0x80 | payload.length);
        }
        else if (payload.length <= 0xFFFF)
        {
            out.write(0x80 | 126);
            out.write(payload.length >>> 8);
            out.write(payload.length & 0xFF);
        }
        else
        {
            out.write(0x80 | 127);
            for (int shift = 56; shift >= 0; shift -= 8)
            {
                out.write((int)((long)payload.length >>> shift) & 0xFF);
            }
        }
        out.writeBytes(MASK);
        for (int i = 0; i < payload.length; i++)
        {
            out.write(payload[i] ^ MASK[i & 3]);
        }
        return out.toByteArray();
    }
}

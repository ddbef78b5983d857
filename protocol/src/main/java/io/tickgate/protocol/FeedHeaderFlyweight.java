package io.tickgate.protocol;

import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;

import static java.nio.ByteOrder.LITTLE_ENDIAN;

/**
 * View of the 24-byte header that starts every feed datagram.
 * <pre>
 *   0                   1                   2                   3
 *   0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 *  +---------------------------------------------------------------+
 *  |                     magic 0x31464B54 "TKF1"                   |
 *  +-------------------------------+-------------------------------+
 *  |             count             |            reserved           |
 *  +-------------------------------+-------------------------------+
 *  |            seq of the first message in the datagram           |
 *  |                                                               |
 *  +---------------------------------------------------------------+
 *  |                    sendTime, epoch nanoseconds                |
 *  |                                                               |
 *  +---------------------------------------------------------------+
 * </pre>
 * Not thread-safe: one instance per thread.
 */
public final class FeedHeaderFlyweight
{
    public static final int MAGIC = 0x31464B54;
    public static final int MAX_DATAGRAM_LENGTH = 1472;

    public static final int MAGIC_OFFSET = 0;
    public static final int COUNT_OFFSET = MAGIC_OFFSET + Integer.BYTES;
    public static final int RESERVED_OFFSET = COUNT_OFFSET + Short.BYTES;
    public static final int SEQ_OFFSET = RESERVED_OFFSET + Short.BYTES;
    public static final int SEND_TIME_OFFSET = SEQ_OFFSET + Long.BYTES;
    public static final int HEADER_LENGTH = SEND_TIME_OFFSET + Long.BYTES;

    private MutableDirectBuffer buffer;
    private int offset;

    public FeedHeaderFlyweight wrap(final MutableDirectBuffer buffer, final int offset)
    {
        this.buffer = buffer;
        this.offset = offset;
        return this;
    }

    public int magic()
    {
        return buffer.getInt(offset + MAGIC_OFFSET, LITTLE_ENDIAN);
    }

    public FeedHeaderFlyweight magic(final int magic)
    {
        buffer.putInt(offset + MAGIC_OFFSET, magic, LITTLE_ENDIAN);
        return this;
    }

    public int count()
    {
        return buffer.getShort(offset + COUNT_OFFSET, LITTLE_ENDIAN) & 0xFFFF;
    }

    public FeedHeaderFlyweight count(final int count)
    {
        buffer.putShort(offset + COUNT_OFFSET, (short)count, LITTLE_ENDIAN);
        return this;
    }

    public FeedHeaderFlyweight reserved(final int reserved)
    {
        buffer.putShort(offset + RESERVED_OFFSET, (short)reserved, LITTLE_ENDIAN);
        return this;
    }

    public long seq()
    {
        return buffer.getLong(offset + SEQ_OFFSET, LITTLE_ENDIAN);
    }

    public FeedHeaderFlyweight seq(final long seq)
    {
        buffer.putLong(offset + SEQ_OFFSET, seq, LITTLE_ENDIAN);
        return this;
    }

    public long sendTime()
    {
        return buffer.getLong(offset + SEND_TIME_OFFSET, LITTLE_ENDIAN);
    }

    public FeedHeaderFlyweight sendTime(final long sendTimeNs)
    {
        buffer.putLong(offset + SEND_TIME_OFFSET, sendTimeNs, LITTLE_ENDIAN);
        return this;
    }

    /**
     * Read-only helpers for a decoder that holds a plain {@link DirectBuffer}.
     */
    public static int magic(final DirectBuffer buffer, final int offset)
    {
        return buffer.getInt(offset + MAGIC_OFFSET, LITTLE_ENDIAN);
    }

    public static int count(final DirectBuffer buffer, final int offset)
    {
        return buffer.getShort(offset + COUNT_OFFSET, LITTLE_ENDIAN) & 0xFFFF;
    }

    public static long seq(final DirectBuffer buffer, final int offset)
    {
        return buffer.getLong(offset + SEQ_OFFSET, LITTLE_ENDIAN);
    }

    public static long sendTime(final DirectBuffer buffer, final int offset)
    {
        return buffer.getLong(offset + SEND_TIME_OFFSET, LITTLE_ENDIAN);
    }
}

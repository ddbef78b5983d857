package io.tickgate.protocol;

import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;

import static io.tickgate.protocol.FrameDescriptor.*;
import static java.nio.ByteOrder.LITTLE_ENDIAN;

/**
 * Reads and writes one client frame (header and entries, layout in {@link FrameDescriptor}) in a buffer.
 * The gateway encodes with the setters; clients and tests decode with the getters.
 * <p>
 * Not thread-safe: one instance per thread. Allocates nothing.
 */
public final class FrameFlyweight
{
    private MutableDirectBuffer buffer;
    private int offset;

    public FrameFlyweight wrap(final MutableDirectBuffer buffer, final int offset)
    {
        this.buffer = buffer;
        this.offset = offset;
        return this;
    }

    public MutableDirectBuffer buffer()
    {
        return buffer;
    }

    public FrameFlyweight header(final byte kind, final int count, final long frameSeq, final long sendTimeNs)
    {
        buffer.putByte(offset + VERSION_OFFSET, VERSION);
        buffer.putByte(offset + KIND_OFFSET, kind);
        buffer.putShort(offset + COUNT_OFFSET, (short)count, LITTLE_ENDIAN);
        buffer.putInt(offset + RESERVED_OFFSET, 0, LITTLE_ENDIAN);
        buffer.putLong(offset + FRAME_SEQ_OFFSET, frameSeq, LITTLE_ENDIAN);
        buffer.putLong(offset + SEND_TIME_OFFSET, sendTimeNs, LITTLE_ENDIAN);
        return this;
    }

    public FrameFlyweight count(final int count)
    {
        buffer.putShort(offset + COUNT_OFFSET, (short)count, LITTLE_ENDIAN);
        return this;
    }

    /**
     * Writes entry {@code index} whole.
     */
    public FrameFlyweight entry(
        final int index,
        final int sid,
        final int flags,
        final int conflated,
        final long seq,
        final long bidPrice,
        final long bidSize,
        final long askPrice,
        final long askSize,
        final long lastPrice,
        final long lastSize,
        final long exchangeTimeNs,
        final long ingestTimeNs)
    {
        final int at = offset + entryOffset(index);
        buffer.putInt(at + SID_OFFSET, sid, LITTLE_ENDIAN);
        buffer.putShort(at + FLAGS_OFFSET, (short)flags, LITTLE_ENDIAN);
        buffer.putShort(at + CONFLATED_OFFSET, (short)Math.min(conflated, MAX_CONFLATED), LITTLE_ENDIAN);
        buffer.putLong(at + SEQ_OFFSET, seq, LITTLE_ENDIAN);
        buffer.putLong(at + BID_PRICE_OFFSET, bidPrice, LITTLE_ENDIAN);
        buffer.putLong(at + BID_SIZE_OFFSET, bidSize, LITTLE_ENDIAN);
        buffer.putLong(at + ASK_PRICE_OFFSET, askPrice, LITTLE_ENDIAN);
        buffer.putLong(at + ASK_SIZE_OFFSET, askSize, LITTLE_ENDIAN);
        buffer.putLong(at + LAST_PRICE_OFFSET, lastPrice, LITTLE_ENDIAN);
        buffer.putLong(at + LAST_SIZE_OFFSET, lastSize, LITTLE_ENDIAN);
        buffer.putLong(at + EXCHANGE_TIME_OFFSET, exchangeTimeNs, LITTLE_ENDIAN);
        buffer.putLong(at + INGEST_TIME_OFFSET, ingestTimeNs, LITTLE_ENDIAN);
        return this;
    }

    public int version()
    {
        return buffer.getByte(offset + VERSION_OFFSET) & 0xFF;
    }

    public int kind()
    {
        return buffer.getByte(offset + KIND_OFFSET) & 0xFF;
    }

    public int count()
    {
        return buffer.getShort(offset + COUNT_OFFSET, LITTLE_ENDIAN) & 0xFFFF;
    }

    public long frameSeq()
    {
        return buffer.getLong(offset + FRAME_SEQ_OFFSET, LITTLE_ENDIAN);
    }

    public long sendTime()
    {
        return buffer.getLong(offset + SEND_TIME_OFFSET, LITTLE_ENDIAN);
    }

    public int sid(final int index)
    {
        return getInt(buffer, offset + entryOffset(index) + SID_OFFSET);
    }

    public int flags(final int index)
    {
        return buffer.getShort(offset + entryOffset(index) + FLAGS_OFFSET, LITTLE_ENDIAN) & 0xFFFF;
    }

    public int conflated(final int index)
    {
        return buffer.getShort(offset + entryOffset(index) + CONFLATED_OFFSET, LITTLE_ENDIAN) & 0xFFFF;
    }

    public long seq(final int index)
    {
        return field(index, SEQ_OFFSET);
    }

    public long bidPrice(final int index)
    {
        return field(index, BID_PRICE_OFFSET);
    }

    public long bidSize(final int index)
    {
        return field(index, BID_SIZE_OFFSET);
    }

    public long askPrice(final int index)
    {
        return field(index, ASK_PRICE_OFFSET);
    }

    public long askSize(final int index)
    {
        return field(index, ASK_SIZE_OFFSET);
    }

    public long lastPrice(final int index)
    {
        return field(index, LAST_PRICE_OFFSET);
    }

    public long lastSize(final int index)
    {
        return field(index, LAST_SIZE_OFFSET);
    }

    public long exchangeTime(final int index)
    {
        return field(index, EXCHANGE_TIME_OFFSET);
    }

    public long ingestTime(final int index)
    {
        return field(index, INGEST_TIME_OFFSET);
    }

    private long field(final int index, final int fieldOffset)
    {
        return buffer.getLong(offset + entryOffset(index) + fieldOffset, LITTLE_ENDIAN);
    }

    private static int getInt(final DirectBuffer buffer, final int index)
    {
        return buffer.getInt(index, LITTLE_ENDIAN);
    }
}

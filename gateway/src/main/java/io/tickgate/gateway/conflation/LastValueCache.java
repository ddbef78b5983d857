package io.tickgate.gateway.conflation;

import io.tickgate.protocol.FrameDescriptor;
import org.agrona.BufferUtil;
import org.agrona.concurrent.UnsafeBuffer;

import java.lang.invoke.VarHandle;

/**
 * The newest value of every symbol, off-heap, one 128-byte slot per sid, pre-sized for the symbol capacity.
 * <pre>
 *   0 i64 version (seqlock: odd while being written)
 *   8 i64 seq       (per-symbol update number: feed updates and stale-flag changes)
 *  16 i64 updates   (feed updates applied)
 *  24 i32 flags     (FrameDescriptor FLAG_QUOTE / FLAG_TRADE / FLAG_STALE)
 *  32 bidPrice | 40 bidSize | 48 askPrice | 56 askSize | 64 lastPrice | 72 lastSize
 *  80 exchangeTime | 88 ingestTime (all i64)
 * </pre>
 * Single writer: only tickgate-conflator calls the mutators. Readers on any thread use {@link #read}, which
 * retries until it copies a slot whose version was even and unchanged across the copy.
 */
public final class LastValueCache
{
    static final int VERSION_OFFSET = 0;
    static final int SEQ_OFFSET = 8;
    static final int UPDATES_OFFSET = 16;
    static final int FLAGS_OFFSET = 24;
    static final int BID_PRICE_OFFSET = 32;
    static final int BID_SIZE_OFFSET = 40;
    static final int ASK_PRICE_OFFSET = 48;
    static final int ASK_SIZE_OFFSET = 56;
    static final int LAST_PRICE_OFFSET = 64;
    static final int LAST_SIZE_OFFSET = 72;
    static final int EXCHANGE_TIME_OFFSET = 80;
    static final int INGEST_TIME_OFFSET = 88;
    static final int SLOT_LENGTH = 128;

    private final UnsafeBuffer buffer;
    private final int capacity;

    /** The most symbols one cache holds: its slots fill one direct buffer, whose length is an int (1 GiB). */
    public static final int MAX_CAPACITY = 1 << 23;

    public LastValueCache(final int capacity)
    {
        if (capacity < 1 || capacity > MAX_CAPACITY)
        {
            throw new IllegalArgumentException("capacity must be from 1 to " + MAX_CAPACITY + ": " + capacity);
        }
        this.capacity = capacity;
        this.buffer = new UnsafeBuffer(BufferUtil.allocateDirectAligned(capacity * SLOT_LENGTH, 64));
    }

    public int capacity()
    {
        return capacity;
    }

    public void applyQuote(
        final int sid,
        final long bidPrice,
        final long bidSize,
        final long askPrice,
        final long askSize,
        final long exchangeTimeNs,
        final long ingestTimeNs)
    {
        final int at = beginWrite(sid);
        buffer.putLong(at + BID_PRICE_OFFSET, bidPrice);
        buffer.putLong(at + BID_SIZE_OFFSET, bidSize);
        buffer.putLong(at + ASK_PRICE_OFFSET, askPrice);
        buffer.putLong(at + ASK_SIZE_OFFSET, askSize);
        applyCommon(at, FrameDescriptor.FLAG_QUOTE, exchangeTimeNs, ingestTimeNs);
        endWrite(at);
    }

    public void applyTrade(
        final int sid, final long price, final long size, final long exchangeTimeNs, final long ingestTimeNs)
    {
        final int at = beginWrite(sid);
        buffer.putLong(at + LAST_PRICE_OFFSET, price);
        buffer.putLong(at + LAST_SIZE_OFFSET, size);
        applyCommon(at, FrameDescriptor.FLAG_TRADE, exchangeTimeNs, ingestTimeNs);
        endWrite(at);
    }

    /**
     * Sets the stale flag of a symbol that has a value and is not already stale; the change is an update of its
     * own (seq advances) so subscribers hear of it.
     *
     * @return true when the flag changed.
     */
    public boolean markStale(final int sid)
    {
        final int at = sid * SLOT_LENGTH;
        if (0 == buffer.getLong(at + SEQ_OFFSET))
        {
            return false;
        }
        return setStaleFlag(at, true);
    }

    /**
     * Clears the stale flag of a symbol whose feed source is sending again although the symbol itself has not
     * ticked; like setting it, a change of its own (seq advances, no feed update).
     *
     * @return true when the flag changed.
     */
    public boolean markFresh(final int sid)
    {
        return setStaleFlag(sid * SLOT_LENGTH, false);
    }

    private boolean setStaleFlag(final int at, final boolean stale)
    {
        final int flags = buffer.getInt(at + FLAGS_OFFSET);
        if (stale == (0 != (flags & FrameDescriptor.FLAG_STALE)))
        {
            return false;
        }
        beginWrite(at / SLOT_LENGTH);
        buffer.putInt(at + FLAGS_OFFSET,
            stale ? flags | FrameDescriptor.FLAG_STALE : flags & ~FrameDescriptor.FLAG_STALE);
        buffer.putLong(at + SEQ_OFFSET, buffer.getLong(at + SEQ_OFFSET) + 1);
        endWrite(at);
        return true;
    }

    private void applyCommon(final int at, final int presentFlag, final long exchangeTimeNs, final long ingestTimeNs)
    {
        final int flags = buffer.getInt(at + FLAGS_OFFSET);
        buffer.putInt(at + FLAGS_OFFSET, (flags | presentFlag) & ~FrameDescriptor.FLAG_STALE);
        buffer.putLong(at + EXCHANGE_TIME_OFFSET, exchangeTimeNs);
        buffer.putLong(at + INGEST_TIME_OFFSET, ingestTimeNs);
        buffer.putLong(at + SEQ_OFFSET, buffer.getLong(at + SEQ_OFFSET) + 1);
        buffer.putLong(at + UPDATES_OFFSET, buffer.getLong(at + UPDATES_OFFSET) + 1);
    }

    private int beginWrite(final int sid)
    {
        final int at = sid * SLOT_LENGTH;
        buffer.putLong(at + VERSION_OFFSET, buffer.getLong(at + VERSION_OFFSET) + 1);
        // Readers that see the odd version retry; the fence keeps the field stores below from passing it.
        VarHandle.storeStoreFence();
        return at;
    }

    private void endWrite(final int at)
    {
        // Release: a reader that acquires this even version sees every field stored before it.
        buffer.putLongRelease(at + VERSION_OFFSET, buffer.getLong(at + VERSION_OFFSET) + 1);
    }

    /**
     * Symbol's seq as the conflator sees it; conflator thread only.
     */
    public long seq(final int sid)
    {
        return buffer.getLong(sid * SLOT_LENGTH + SEQ_OFFSET);
    }

    /**
     * Number of the first {@code count} symbols whose stale flag is set; from any thread. Reads one int per
     * symbol without the seqlock (an int load is atomic and the flag is all it needs), so it costs the writer
     * nothing; the count may be a moment old.
     */
    public int countStale(final int count)
    {
        int stale = 0;
        for (int sid = 0, limit = Math.min(count, capacity); sid < limit; sid++)
        {
            if (0 != (buffer.getIntVolatile(sid * SLOT_LENGTH + FLAGS_OFFSET) & FrameDescriptor.FLAG_STALE))
            {
                stale++;
            }
        }
        return stale;
    }

    /**
     * Copies a consistent view of a slot into {@code view}, from any thread.
     */
    public void read(final int sid, final ValueView view)
    {
        final int at = sid * SLOT_LENGTH;
        while (true)
        {
            final long before = buffer.getLongAcquire(at + VERSION_OFFSET);
            if (0 == (before & 1))
            {
                view.seq = buffer.getLong(at + SEQ_OFFSET);
                view.updates = buffer.getLong(at + UPDATES_OFFSET);
                view.flags = buffer.getInt(at + FLAGS_OFFSET);
                view.bidPrice = buffer.getLong(at + BID_PRICE_OFFSET);
                view.bidSize = buffer.getLong(at + BID_SIZE_OFFSET);
                view.askPrice = buffer.getLong(at + ASK_PRICE_OFFSET);
                view.askSize = buffer.getLong(at + ASK_SIZE_OFFSET);
                view.lastPrice = buffer.getLong(at + LAST_PRICE_OFFSET);
                view.lastSize = buffer.getLong(at + LAST_SIZE_OFFSET);
                view.exchangeTimeNs = buffer.getLong(at + EXCHANGE_TIME_OFFSET);
                view.ingestTimeNs = buffer.getLong(at + INGEST_TIME_OFFSET);
                // The field loads above must complete before the version is checked again.
                VarHandle.loadLoadFence();
                if (buffer.getLong(at + VERSION_OFFSET) == before)
                {
                    view.sid = sid;
                    return;
                }
            }
            Thread.onSpinWait();
        }
    }

    /**
     * A reader's copy of one slot. Not thread-safe: one per reading thread.
     */
    public static final class ValueView
    {
        public int sid;
        public long seq;
        public long updates;
        public int flags;
        public long bidPrice;
        public long bidSize;
        public long askPrice;
        public long askSize;
        public long lastPrice;
        public long lastSize;
        public long exchangeTimeNs;
        public long ingestTimeNs;
    }
}

package io.tickgate.gateway.session;

import io.tickgate.gateway.conflation.LastValueCache;
import io.tickgate.gateway.metrics.LatencyRecorder;
import io.tickgate.protocol.FrameDescriptor;
import io.tickgate.protocol.FrameFlyweight;
import org.agrona.MutableDirectBuffer;

/**
 * Encodes a session's snapshot and update frames from the last-value cache: one entry per slot with something
 * new, many entries per frame. Records each entry's {@code write time - ingest time} in the IO thread's latency
 * recorder.
 * <p>
 * Not thread-safe: one per IO thread, shared by that thread's sessions. Allocates nothing.
 */
final class FrameAssembler
{

    private final LastValueCache cache;
    private final LastValueCache.ValueView view = new LastValueCache.ValueView();
    private final FrameFlyweight frame = new FrameFlyweight();
    private final LatencyRecorder latencyRecorder;
    private long nextDueNs;
    /** Sum of the conflated fields of the last UPDATE frame; the IO thread, like everything here. */
    private long conflated;

    FrameAssembler(final LastValueCache cache, final LatencyRecorder latencyRecorder)
    {
        this.cache = cache;
        this.latencyRecorder = latencyRecorder;
    }

    /**
     * Encodes a SNAPSHOT frame with the current value of every slot owed one that has a value, and clears
     * {@code table.snapshot}. Always returns a frame, empty if no such symbol has a value yet.
     *
     * @return the frame length in bytes.
     */
    int encodeSnapshot(
        final SubscriptionTable table,
        final MutableDirectBuffer buffer,
        final long frameSeq,
        final long nowNs,
        final long nowEpochNs)
    {
        frame.wrap(buffer, 0);
        int count = 0;
        final long[] bits = table.snapshot;
        for (int word = 0; word < bits.length; word++)
        {
            long pending = bits[word];
            bits[word] = 0;
            while (0 != pending)
            {
                final int slot = (word << 6) + Long.numberOfTrailingZeros(pending);
                pending &= pending - 1;
                final int sid = table.sidBySlot[slot];
                if (SubscriptionTable.NO_SID == sid)
                {
                    continue;
                }
                cache.read(sid, view);
                if (view.seq > 0 && view.seq > table.lastSentSeq[slot])
                {
                    putEntry(table, slot, count++, nowNs, nowEpochNs, false, Long.MAX_VALUE);
                }
                SubscriptionTable.clear(table.dirty, slot);
            }
        }
        frame.header(FrameDescriptor.KIND_SNAPSHOT, count, frameSeq, nowEpochNs);
        return FrameDescriptor.frameLength(count);
    }

    /**
     * Encodes an UPDATE frame from the dirty slots whose symbol has a newer value than the session last got,
     * holding back slots the throttle does not allow yet (they stay dirty; {@link #nextDueNs()} says when).
     *
     * @param socketFreeSinceNs when the session's socket last took everything it had been given after having
     *                          refused some of it (or when the session began): a value that waited for the client's
     *                          own socket counts its tick-to-wire time from then, as a value the throttle held back
     *                          counts from when the throttle let it out. Neither wait is the gateway's.
     * @return the frame length in bytes, or 0 when there is nothing to send now.
     */
    int encodeUpdates(
        final SubscriptionTable table,
        final MutableDirectBuffer buffer,
        final long frameSeq,
        final long nowNs,
        final long nowEpochNs,
        final long minIntervalNs,
        final long socketFreeSinceNs)
    {
        frame.wrap(buffer, 0);
        nextDueNs = Long.MAX_VALUE;
        conflated = 0;
        if (null != latencyRecorder)
        {
            // One critical section for the frame's entries rather than one per entry.
            latencyRecorder.beginBatch();
        }
        try
        {
            return encodeDirty(table, frameSeq, nowNs, nowEpochNs, minIntervalNs, nowNs - socketFreeSinceNs);
        }
        finally
        {
            if (null != latencyRecorder)
            {
                latencyRecorder.endBatch();
            }
        }
    }

    private int encodeDirty(
        final SubscriptionTable table,
        final long frameSeq,
        final long nowNs,
        final long nowEpochNs,
        final long minIntervalNs,
        final long sinceSocketFreeNs)
    {
        int count = 0;
        final long[] bits = table.dirty;
        for (int word = 0, words = table.usedWords(); word < words; word++)
        {
            long pending = bits[word];
            while (0 != pending)
            {
                final int bit = Long.numberOfTrailingZeros(pending);
                pending &= pending - 1;
                final int slot = (word << 6) + bit;
                final int sid = table.sidBySlot[slot];
                if (SubscriptionTable.NO_SID != sid)
                {
                    final long dueNs = table.lastSentNs[slot] + minIntervalNs;
                    if (minIntervalNs > 0 && dueNs - nowNs > 0)
                    {
                        nextDueNs = Math.min(nextDueNs, dueNs);
                        continue;
                    }
                    cache.read(sid, view);
                    if (view.seq > table.lastSentSeq[slot])
                    {
                        // Under a throttle a value may wait because the client asked it to, and behind a socket
                        // that would not take more because the client is not reading: the gateway's own delay
                        // starts when the value was new, allowed out and the socket free.
                        final long sinceDueNs = minIntervalNs > 0 ? nowNs - dueNs : Long.MAX_VALUE;
                        putEntry(
                            table, slot, count++, nowNs, nowEpochNs, true, Math.min(sinceDueNs, sinceSocketFreeNs));
                    }
                }
                bits[word] &= ~(1L << bit);
            }
        }
        if (0 == count)
        {
            return 0;
        }
        frame.header(FrameDescriptor.KIND_UPDATE, count, frameSeq, nowEpochNs);
        return FrameDescriptor.frameLength(count);
    }

    /**
     * Earliest time a slot held back by the last {@link #encodeUpdates} may be sent, or Long.MAX_VALUE.
     */
    long nextDueNs()
    {
        return nextDueNs;
    }

    /**
     * Sum of the {@code conflated} fields of the entries of the last {@link #encodeUpdates} frame.
     */
    long conflated()
    {
        return conflated;
    }

    int encodeHeartbeat(final MutableDirectBuffer buffer, final long frameSeq, final long nowEpochNs)
    {
        frame.wrap(buffer, 0).header(FrameDescriptor.KIND_HEARTBEAT, 0, frameSeq, nowEpochNs);
        return FrameDescriptor.HEADER_LENGTH;
    }

    /**
     * @param recordLatency false for snapshot entries, whose values may be old by design.
     * @param sinceDueNs     how long ago the session's throttle let this slot out and its socket could take it
     *                       (Long.MAX_VALUE for snapshot entries): the recorded latency is no more than that.
     */
    private void putEntry(
        final SubscriptionTable table,
        final int slot,
        final int index,
        final long nowNs,
        final long nowEpochNs,
        final boolean recordLatency,
        final long sinceDueNs)
    {
        final long newUpdates = view.updates - table.lastSentUpdates[slot];
        final int merged = (int)Math.min(Math.max(newUpdates - 1, 0), FrameDescriptor.MAX_CONFLATED);
        frame.entry(
            index,
            view.sid,
            view.flags,
            merged,
            view.seq,
            view.bidPrice,
            view.bidSize,
            view.askPrice,
            view.askSize,
            view.lastPrice,
            view.lastSize,
            view.exchangeTimeNs,
            view.ingestTimeNs);
        table.lastSentSeq[slot] = view.seq;
        table.lastSentUpdates[slot] = view.updates;
        table.lastSentNs[slot] = nowNs;
        if (recordLatency)
        {
            conflated += merged;
        }
        // Only an entry that carries a feed update has a tick-to-wire time: one that only sets or clears the stale
        // flag repeats an old ingest time.
        if (recordLatency && null != latencyRecorder && newUpdates > 0 && 0 != view.ingestTimeNs &&
            0 == (view.flags & FrameDescriptor.FLAG_STALE))
        {
            // Inside encodeUpdates' batch.
            latencyRecorder.recordInBatch(Math.min(nowEpochNs - view.ingestTimeNs, sinceDueNs));
        }
    }
}

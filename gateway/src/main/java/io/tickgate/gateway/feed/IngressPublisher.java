package io.tickgate.gateway.feed;

import io.tickgate.gateway.metrics.LatencyRecorder;
import org.agrona.concurrent.AtomicBuffer;
import org.agrona.concurrent.IdleStrategy;
import org.agrona.concurrent.ringbuffer.RingBuffer;
import org.agrona.concurrent.status.AtomicCounter;

import static io.tickgate.gateway.feed.TickRecordDescriptor.*;

/**
 * One producer's door into the ingress ring: claims a record, writes it in place and commits it (no copy).
 * <p>
 * A full ring is never a dropped tick: the producer counts the event and waits for the conflator to make room,
 * so back-pressure reaches the feed socket's receive buffer rather than the last-value cache.
 * <p>
 * With recording on, each tick is also copied into the recording ring that tickgate-recorder drains. That copy
 * never waits: when the recorder has fallen a whole ring behind the disk, the tick is counted as not recorded
 * ({@code tickgate.recording.dropped}) and the feed goes on, so ingest never runs at the disk's pace.
 * <p>
 * Not thread-safe: one instance per producer thread, which is also the single writer of its feed latency
 * recorder (zero allocation: the recorder's histograms are pre-sized).
 */
public final class IngressPublisher
{

    private final RingBuffer ring;
    private final AtomicBuffer buffer;
    private final int sourceId;
    private final AtomicCounter ringFull;
    private final AtomicCounter ticks;
    private final IdleStrategy fullIdle;
    private final LatencyRecorder feedLatency;
    private final Runnable onPublish;
    private RingBuffer recordingRing;
    private AtomicCounter recordingDropped;

    /**
     * @param ringFull counts ticks that found the ring full (shared by producers: atomic increments).
     * @param ticks    this source's ingested ticks.
     */
    public IngressPublisher(
        final RingBuffer ring,
        final int sourceId,
        final AtomicCounter ringFull,
        final AtomicCounter ticks,
        final IdleStrategy fullIdle)
    {
        this(ring, sourceId, ringFull, ticks, fullIdle, null, () -> {});
    }

    public IngressPublisher(
        final RingBuffer ring,
        final int sourceId,
        final AtomicCounter ringFull,
        final AtomicCounter ticks,
        final IdleStrategy fullIdle,
        final LatencyRecorder feedLatency)
    {
        this(ring, sourceId, ringFull, ticks, fullIdle, feedLatency, () -> {});
    }

    /**
     * @param feedLatency records {@code ingest - exchange time} of every tick that carries an exchange time, on
     *                    this producer's thread (its single writer); null to record nothing.
     * @param onPublish   run after each commit: wakes a parked consumer (a volatile read when it is awake).
     */
    public IngressPublisher(
        final RingBuffer ring,
        final int sourceId,
        final AtomicCounter ringFull,
        final AtomicCounter ticks,
        final IdleStrategy fullIdle,
        final LatencyRecorder feedLatency,
        final Runnable onPublish)
    {
        this.feedLatency = feedLatency;
        this.onPublish = onPublish;
        this.ring = ring;
        this.buffer = ring.buffer();
        this.sourceId = sourceId;
        this.ringFull = ringFull;
        this.ticks = ticks;
        this.fullIdle = fullIdle;
    }

    public int sourceId()
    {
        return sourceId;
    }

    /**
     * Also copies every tick into {@code recordingRing}, best effort; call before the producer thread starts.
     *
     * @param dropped counts ticks the full recording ring could not take (shared by producers).
     */
    public IngressPublisher recordTo(final RingBuffer recordingRing, final AtomicCounter dropped)
    {
        this.recordingRing = recordingRing;
        this.recordingDropped = dropped;
        return this;
    }

    public void quote(
        final int sid,
        final long feedSeq,
        final long bidPrice,
        final long bidSize,
        final long askPrice,
        final long askSize,
        final long exchangeTimeNs,
        final long ingestTimeNs)
    {
        final int index = claim(MSG_TYPE_QUOTE);
        put(index, sid, feedSeq, exchangeTimeNs, ingestTimeNs, bidPrice, bidSize);
        buffer.putLong(index + PRICE2_OFFSET, askPrice);
        buffer.putLong(index + SIZE2_OFFSET, askSize);
        // Counted before its copy can reach the recording: ticks recorded never run ahead of ticks ingested.
        ticks.incrementRelease();
        copyToRecording(MSG_TYPE_QUOTE, index);
        ring.commit(index);
        onPublish.run();
        recordFeedLatency(exchangeTimeNs, ingestTimeNs);
    }

    public void trade(
        final int sid,
        final long feedSeq,
        final long price,
        final long size,
        final long exchangeTimeNs,
        final long ingestTimeNs)
    {
        final int index = claim(MSG_TYPE_TRADE);
        put(index, sid, feedSeq, exchangeTimeNs, ingestTimeNs, price, size);
        buffer.putLong(index + PRICE2_OFFSET, 0);
        buffer.putLong(index + SIZE2_OFFSET, 0);
        ticks.incrementRelease();
        copyToRecording(MSG_TYPE_TRADE, index);
        ring.commit(index);
        onPublish.run();
        recordFeedLatency(exchangeTimeNs, ingestTimeNs);
    }

    /**
     * Tells the conflator that {@code sid} lost ({@code mapped} false) or regained its instrument id; no tick, so
     * neither counted nor recorded.
     */
    public void mapping(final int sid, final boolean mapped)
    {
        final int index = claim(mapped ? MSG_TYPE_MAPPED : MSG_TYPE_UNMAPPED);
        put(index, sid, 0, 0, 0, 0, 0);
        buffer.putLong(index + PRICE2_OFFSET, 0);
        buffer.putLong(index + SIZE2_OFFSET, 0);
        ring.commit(index);
        onPublish.run();
    }

    private void recordFeedLatency(final long exchangeTimeNs, final long ingestTimeNs)
    {
        // 0 is "unknown" in the feed protocol; an exchange clock ahead of ours counts as 0, not as an error.
        if (null != feedLatency && 0 != exchangeTimeNs)
        {
            final long delayNs = ingestTimeNs - exchangeTimeNs;
            // An exchange time so far in the past that the difference overflows is as late as can be, not 0.
            final boolean overflowed = ((ingestTimeNs ^ exchangeTimeNs) & (ingestTimeNs ^ delayNs)) < 0;
            feedLatency.record(overflowed ? Long.MAX_VALUE : delayNs);
        }
    }

    /**
     * Copies the claimed, not yet committed record: the conflator cannot see or reuse it before the commit.
     */
    private void copyToRecording(final int msgType, final int index)
    {
        if (null == recordingRing)
        {
            return;
        }
        final int copyIndex = recordingRing.tryClaim(msgType, RECORD_LENGTH);
        if (copyIndex > 0)
        {
            recordingRing.buffer().putBytes(copyIndex, buffer, index, RECORD_LENGTH);
            recordingRing.commit(copyIndex);
        }
        else
        {
            recordingDropped.increment();
        }
    }

    private void put(
        final int index,
        final int sid,
        final long feedSeq,
        final long exchangeTimeNs,
        final long ingestTimeNs,
        final long price1,
        final long size1)
    {
        buffer.putInt(index + SID_OFFSET, sid);
        buffer.putInt(index + SOURCE_ID_OFFSET, sourceId);
        buffer.putLong(index + FEED_SEQ_OFFSET, feedSeq);
        buffer.putLong(index + EXCHANGE_TIME_OFFSET, exchangeTimeNs);
        buffer.putLong(index + INGEST_TIME_OFFSET, ingestTimeNs);
        buffer.putLong(index + PRICE1_OFFSET, price1);
        buffer.putLong(index + SIZE1_OFFSET, size1);
    }

    private int claim(final int msgType)
    {
        int index = ring.tryClaim(msgType, RECORD_LENGTH);
        if (index > 0)
        {
            return index;
        }

        ringFull.increment();
        fullIdle.reset();
        while ((index = ring.tryClaim(msgType, RECORD_LENGTH)) <= 0)
        {
            if (Thread.currentThread().isInterrupted())
            {
                throw new IllegalStateException("interrupted while the ingress ring was full");
            }
            fullIdle.idle();
        }
        return index;
    }
}

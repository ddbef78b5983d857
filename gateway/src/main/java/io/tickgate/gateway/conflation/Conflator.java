package io.tickgate.gateway.conflation;

import io.tickgate.gateway.feed.TickRecordDescriptor;
import io.tickgate.gateway.symbols.Symbol;
import io.tickgate.gateway.symbols.SymbolRegistry;
import org.agrona.BitUtil;
import org.agrona.MutableDirectBuffer;
import org.agrona.concurrent.Agent;
import org.agrona.concurrent.EpochNanoClock;
import org.agrona.concurrent.ManyToOneConcurrentLinkedQueue;
import org.agrona.concurrent.MessageHandler;
import org.agrona.concurrent.NanoClock;
import org.agrona.concurrent.ringbuffer.RecordDescriptor;
import org.agrona.concurrent.ringbuffer.RingBuffer;
import org.agrona.concurrent.status.AtomicCounter;

import java.lang.invoke.VarHandle;
import java.util.concurrent.atomic.AtomicLongArray;

import static io.tickgate.gateway.feed.TickRecordDescriptor.*;

/**
 * Drains the ingress ring into the last-value cache and marks every subscriber of each changed symbol pending.
 * <p>
 * Duty cycle: apply subscription commands, drain up to a limit of tick records, look for feed sources that went
 * quiet (their symbols get the stale flag), then wake each IO thread that has newly pending sessions, once.
 * It never touches a socket and never allocates per tick.
 * <p>
 * Not thread-safe: runs only on one thread (tickgate-conflator, tickgate-ingest or an IO thread, by layout), the
 * single writer of the cache and the subscription table.
 */
public final class Conflator implements Agent, MessageHandler
{
    public static final int MAX_SOURCES = 8;
    /** Bytes a ring record takes with its header and alignment. */
    private static final long RING_RECORD_BYTES = BitUtil.align(
        TickRecordDescriptor.RECORD_LENGTH + RecordDescriptor.HEADER_LENGTH, RecordDescriptor.ALIGNMENT);
    private static final long RING_FILL_WINDOW_NS = 1_000_000_000L;
    /**
     * Whole seconds the published peak covers: longer than any sensible scrape interval (5 to 10 s), so every
     * second's peak is seen by at least one scrape.
     */
    private static final int RING_FILL_WINDOWS_PUBLISHED = 10;

    private final RingBuffer ring;
    private final LastValueCache cache;
    private final SymbolRegistry registry;
    private final ManyToOneConcurrentLinkedQueue<SubscriptionCommand> commands =
        new ManyToOneConcurrentLinkedQueue<>();
    private final ConflatorProxy proxy;
    private final SubscriberList[] subscribersBySid;
    /** By sid: no instrument id of its source maps the symbol any more; kept stale until one maps it again. */
    private final boolean[] unmapped;
    private final SubscriberWaker[] touchedWakers = new SubscriberWaker[64];
    private int touchedWakerCount;
    private final NanoClock nanoClock;
    private final EpochNanoClock epochClock;
    private final int ringReadLimit;
    private final long staleAfterNs;
    private final long staleCheckIntervalNs;
    private final AtomicCounter subscriptions;
    private final AtomicCounter staleTransitions;

    private final long[] lastTickNs = new long[MAX_SOURCES];
    private final boolean[] sourceStale = new boolean[MAX_SOURCES];
    private int sourcesTickedThisCycle;
    /** Release-stored once per duty cycle per source that ticked; read by /health. 0 = never. */
    private final AtomicLongArray lastTickEpochNs = new AtomicLongArray(MAX_SOURCES);
    /** 1 while a source's symbols carry the stale flag; read by /health. */
    private final AtomicLongArray staleSources = new AtomicLongArray(MAX_SOURCES);
    private long nowNs;
    private long nextStaleCheckNs;
    /** Highest ring fill, in bytes, seen at the start of a duty cycle in the current window; conflator only. */
    private long ringFillPeakBytes;
    /** End of the current one-second fill window; conflator only. */
    private long ringFillWindowEndNs;
    /** Peak fill, in bytes, of each of the last whole seconds, oldest overwritten first; conflator only. */
    private final long[] ringFillWindowPeaks = new long[RING_FILL_WINDOWS_PUBLISHED];
    private int ringFillWindowIndex;
    /** Peak fill of the last ten whole seconds as a fraction of capacity; written by the conflator, read by metrics. */
    private volatile double ringFillRatio;

    public Conflator(
        final RingBuffer ring,
        final LastValueCache cache,
        final SymbolRegistry registry,
        final NanoClock nanoClock,
        final EpochNanoClock epochClock,
        final int ringReadLimit,
        final long staleAfterNs,
        final AtomicCounter subscriptions,
        final AtomicCounter staleTransitions)
    {
        this(ring, cache, registry, nanoClock, epochClock, ringReadLimit, staleAfterNs, subscriptions,
            staleTransitions, null);
    }

    /**
     * @param wake what a subscription command runs after enqueueing, to have the conflator apply it soon; null
     *             when the conflator polls anyway.
     */
    public Conflator(
        final RingBuffer ring,
        final LastValueCache cache,
        final SymbolRegistry registry,
        final NanoClock nanoClock,
        final EpochNanoClock epochClock,
        final int ringReadLimit,
        final long staleAfterNs,
        final AtomicCounter subscriptions,
        final AtomicCounter staleTransitions,
        final Runnable wake)
    {
        this.proxy = new ConflatorProxy(commands, wake);
        this.ring = ring;
        this.cache = cache;
        this.registry = registry;
        this.nanoClock = nanoClock;
        this.epochClock = epochClock;
        this.ringReadLimit = ringReadLimit;
        this.staleAfterNs = staleAfterNs;
        this.staleCheckIntervalNs = Math.max(1_000_000L, Math.min(staleAfterNs / 10, 100_000_000L));
        this.subscriptions = subscriptions;
        this.staleTransitions = staleTransitions;
        this.subscribersBySid = new SubscriberList[cache.capacity()];
        this.unmapped = new boolean[cache.capacity()];
    }

    @Override
    public String roleName()
    {
        return "tickgate-conflator";
    }

    /**
     * Whether a tick or a command is waiting; any thread (volatile reads of the ring's positions and the queue).
     */
    public boolean hasWork()
    {
        return ring.size() > 0 || !commands.isEmpty();
    }

    /**
     * How often a duty cycle looks for sources gone quiet; a conflator that only runs when woken needs a timer this
     * often.
     */
    public long staleCheckIntervalNs()
    {
        return staleCheckIntervalNs;
    }

    public ConflatorProxy proxy()
    {
        return proxy;
    }

    @Override
    public int doWork()
    {
        nowNs = nanoClock.nanoTime();
        int workCount = pollCommands();
        final int read = ring.read(this, ringReadLimit);
        trackRingFill(read);
        workCount += read;
        workCount += publishSourceActivity();
        workCount += checkStaleSources();
        wakeTouched();
        return workCount;
    }

    @Override
    public void onMessage(final int msgTypeId, final MutableDirectBuffer buffer, final int index, final int length)
    {
        final int sid = buffer.getInt(index + SID_OFFSET);
        final int sourceId = buffer.getInt(index + SOURCE_ID_OFFSET);
        if (sid < 0 || sid >= subscribersBySid.length)
        {
            return;
        }
        if (TickRecordDescriptor.MSG_TYPE_UNMAPPED == msgTypeId || TickRecordDescriptor.MSG_TYPE_MAPPED == msgTypeId)
        {
            onMapping(sid, sourceId, TickRecordDescriptor.MSG_TYPE_MAPPED == msgTypeId);
            return;
        }

        if (TickRecordDescriptor.MSG_TYPE_QUOTE == msgTypeId)
        {
            cache.applyQuote(
                sid,
                buffer.getLong(index + PRICE1_OFFSET),
                buffer.getLong(index + SIZE1_OFFSET),
                buffer.getLong(index + PRICE2_OFFSET),
                buffer.getLong(index + SIZE2_OFFSET),
                buffer.getLong(index + EXCHANGE_TIME_OFFSET),
                buffer.getLong(index + INGEST_TIME_OFFSET));
        }
        else
        {
            cache.applyTrade(
                sid,
                buffer.getLong(index + PRICE1_OFFSET),
                buffer.getLong(index + SIZE1_OFFSET),
                buffer.getLong(index + EXCHANGE_TIME_OFFSET),
                buffer.getLong(index + INGEST_TIME_OFFSET));
        }

        if (sourceId >= 0 && sourceId < MAX_SOURCES)
        {
            sourcesTickedThisCycle |= 1 << sourceId;
        }
        markSubscribers(sid);
    }

    /**
     * A symbol whose source no longer maps it goes stale at once and stays so, whatever its source does, until it
     * is mapped again: then it is as fresh as its source (and a tick clears the flag in any case).
     */
    private void onMapping(final int sid, final int sourceId, final boolean mapped)
    {
        unmapped[sid] = !mapped;
        if (!mapped)
        {
            if (cache.markStale(sid))
            {
                staleTransitions.incrementRelease();
                markSubscribers(sid);
            }
        }
        else if (sourceId >= 0 && sourceId < MAX_SOURCES && !sourceStale[sourceId] && cache.markFresh(sid))
        {
            markSubscribers(sid);
        }
    }

    private void markSubscribers(final int sid)
    {
        final SubscriberList list = subscribersBySid[sid];
        if (null == list)
        {
            return;
        }
        final int size = list.size;
        if (0 == size)
        {
            return;
        }
        // Orders the cache update before the reads of the subscribers' pending bits (Subscriber#markPending): one
        // fence per tick instead of one atomic per subscriber when their bits are still set.
        VarHandle.fullFence();
        final Subscriber[] subscribers = list.subscribers;
        final int[] slots = list.slots;
        for (int i = 0; i < size; i++)
        {
            final SubscriberWaker waker = subscribers[i].markPending(slots[i]);
            if (null != waker)
            {
                touch(waker);
            }
        }
    }

    private void touch(final SubscriberWaker waker)
    {
        for (int i = 0; i < touchedWakerCount; i++)
        {
            if (touchedWakers[i] == waker)
            {
                return;
            }
        }
        if (touchedWakerCount < touchedWakers.length)
        {
            touchedWakers[touchedWakerCount++] = waker;
        }
        else
        {
            waker.wake();
        }
    }

    private void wakeTouched()
    {
        for (int i = 0; i < touchedWakerCount; i++)
        {
            touchedWakers[i].wake();
            touchedWakers[i] = null;
        }
        touchedWakerCount = 0;
    }

    private int pollCommands()
    {
        int workCount = 0;
        SubscriptionCommand command;
        while (workCount < 64 && null != (command = commands.poll()))
        {
            workCount++;
            final int[] sids = command.sids;
            final int[] slots = command.slots;
            for (int i = 0; i < sids.length; i++)
            {
                final int sid = sids[i];
                if (SubscriptionCommand.SUBSCRIBE == command.type)
                {
                    SubscriberList list = subscribersBySid[sid];
                    if (null == list)
                    {
                        list = new SubscriberList();
                        subscribersBySid[sid] = list;
                    }
                    list.add(command.subscriber, slots[i]);
                    subscriptions.incrementRelease();
                    VarHandle.fullFence();
                    final SubscriberWaker waker = command.subscriber.markPending(slots[i]);
                    if (null != waker)
                    {
                        touch(waker);
                    }
                }
                else if (null != subscribersBySid[sid] && subscribersBySid[sid].remove(command.subscriber, slots[i]))
                {
                    subscriptions.decrementRelease();
                }
            }
        }
        return workCount;
    }

    private int publishSourceActivity()
    {
        int ticked = sourcesTickedThisCycle;
        if (0 == ticked)
        {
            return 0;
        }
        sourcesTickedThisCycle = 0;
        final long epochNs = epochClock.nanoTime();
        while (0 != ticked)
        {
            final int sourceId = Integer.numberOfTrailingZeros(ticked);
            ticked &= ticked - 1;
            lastTickNs[sourceId] = nowNs;
            lastTickEpochNs.setRelease(sourceId, epochNs);
            if (sourceStale[sourceId])
            {
                sourceStale[sourceId] = false;
                staleSources.setRelease(sourceId, 0);
                // The feed is up again for all its symbols, also those that have not ticked yet.
                markSourceFresh(sourceId);
            }
        }
        return 1;
    }

    /**
     * Once per duty cycle: the fill the ring had when this cycle began is what it read, plus what is left when it
     * stopped at its limit (only then is the ring's size read, so a quiet ring costs no cross-core load).
     */
    private void trackRingFill(final int recordsRead)
    {
        long fillBytes = recordsRead * RING_RECORD_BYTES;
        if (recordsRead >= ringReadLimit)
        {
            fillBytes += ring.size();
        }
        if (fillBytes > ringFillPeakBytes)
        {
            ringFillPeakBytes = fillBytes;
        }
        if (nowNs - ringFillWindowEndNs >= 0)
        {
            ringFillWindowPeaks[ringFillWindowIndex] = ringFillPeakBytes;
            ringFillWindowIndex = (ringFillWindowIndex + 1) % RING_FILL_WINDOWS_PUBLISHED;
            long peakBytes = 0;
            for (final long windowPeak : ringFillWindowPeaks)
            {
                peakBytes = Math.max(peakBytes, windowPeak);
            }
            ringFillRatio = Math.min(1.0, (double)peakBytes / ring.capacity());
            ringFillPeakBytes = 0;
            ringFillWindowEndNs = nowNs + RING_FILL_WINDOW_NS;
        }
    }

    /**
     * Highest fill of the ingress ring over the last ten whole seconds, 0 to 1. Any thread.
     */
    public double ringFillRatio()
    {
        return ringFillRatio;
    }

    private int checkStaleSources()
    {
        if (nowNs - nextStaleCheckNs < 0)
        {
            return 0;
        }
        nextStaleCheckNs = nowNs + staleCheckIntervalNs;

        int workCount = 0;
        for (int sourceId = 0; sourceId < MAX_SOURCES; sourceId++)
        {
            if (0 != lastTickNs[sourceId] && !sourceStale[sourceId] && nowNs - lastTickNs[sourceId] > staleAfterNs)
            {
                sourceStale[sourceId] = true;
                staleSources.setRelease(sourceId, 1);
                workCount += markSourceStale(sourceId);
            }
        }
        return workCount;
    }

    private int markSourceStale(final int sourceId)
    {
        int marked = 0;
        for (int sid = 0, count = registry.count(); sid < count; sid++)
        {
            final Symbol symbol = registry.bySid(sid);
            if (null != symbol && symbol.sourceId() == sourceId && cache.markStale(sid))
            {
                marked++;
                markSubscribers(sid);
            }
        }
        staleTransitions.getAndAddRelease(marked);
        return marked;
    }

    /**
     * Clears the stale flag of the source's symbols still carrying it (those that ticked this cycle already lost it).
     */
    private void markSourceFresh(final int sourceId)
    {
        for (int sid = 0, count = registry.count(); sid < count; sid++)
        {
            final Symbol symbol = registry.bySid(sid);
            if (null != symbol && symbol.sourceId() == sourceId && !unmapped[sid] && cache.markFresh(sid))
            {
                markSubscribers(sid);
            }
        }
    }

    /**
     * Epoch nanoseconds of a source's last tick, 0 if it never ticked. Any thread.
     */
    public long lastTickEpochNs(final int sourceId)
    {
        return lastTickEpochNs.get(sourceId);
    }

    /**
     * Whether a source has been quiet past the stale threshold. Any thread.
     */
    public boolean isSourceStale(final int sourceId)
    {
        return 1 == staleSources.get(sourceId);
    }

    public LastValueCache cache()
    {
        return cache;
    }
}

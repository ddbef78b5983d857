package io.tickgate.gateway.session;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.tickgate.gateway.conflation.ConflatorProxy;
import io.tickgate.gateway.conflation.LastValueCache;
import io.tickgate.gateway.conflation.SubscriberWaker;
import io.tickgate.gateway.symbols.SymbolRegistry;
import io.tickgate.gateway.metrics.LatencyRecorder;
import org.agrona.ErrorHandler;
import org.agrona.concurrent.EpochNanoClock;
import org.agrona.concurrent.OneToOneConcurrentArrayQueue;
import org.xnio.XnioExecutor;
import org.xnio.XnioIoThread;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The sessions of one XNIO IO thread. The conflator hands it sessions that went from idle to pending and calls
 * {@link #wake()} once per duty cycle; one task on the IO thread then flushes them all. It also runs the
 * heartbeat and slow-consumer check for its sessions, and owns the IO thread's latency recorder.
 * <p>
 * Thread-safe where stated: {@link #enqueue} and {@link #wake} on tickgate-conflator; everything else on the
 * IO thread.
 */
public final class SessionDispatcher implements SubscriberWaker
{
    private final XnioIoThread ioThread;
    /** Single producer (tickgate-conflator), single consumer (the IO thread); each session is in it at most once. */
    private final OneToOneConcurrentArrayQueue<Session> wakeQueue;
    /** Set by the conflator when it submits the drain task, cleared by the task before it polls the queue. */
    private final AtomicBoolean drainScheduled = new AtomicBoolean();
    private final Runnable drainTask = this::drain;
    private final ArrayList<Session> sessions = new ArrayList<>();
    private final LatencyRecorder latencyRecorder = new LatencyRecorder();
    private final FrameAssembler assembler;
    /** Every session of this thread reads into it and decodes all it read before the next session reads. */
    private final ByteBuffer readBuffer = ByteBuffer.allocateDirect(16 * 1024);
    private final SessionServices services;
    private final XnioExecutor.Key housekeepingKey;
    private static final long STATS_INTERVAL_NS = 250_000_000L;
    private static final int MIN_DRAIN_BUDGET = 256;
    private long nextStatsNs;
    /** Frame counts not yet added to the shared counters: one atomic add per drain, not per frame. IO thread. */
    private long unpublishedFrames;
    private long unpublishedEntries;
    private long unpublishedBytes;
    private long unpublishedConflated;
    /** Written by the IO thread's stats pass, read by metrics and tests. */
    private volatile int maxPendingEntries;
    /** Written by the IO thread's stats pass, read by metrics. */
    private volatile long pendingEntries;
    /** Written by the IO thread's stats pass, read by metrics. */
    private volatile int unwritableSessions;

    SessionDispatcher(final XnioIoThread ioThread, final SessionServices services, final LastValueCache cache)
    {
        this.ioThread = ioThread;
        this.services = services;
        this.wakeQueue = new OneToOneConcurrentArrayQueue<>(services.maxSessions);
        this.assembler = new FrameAssembler(cache, latencyRecorder);
        housekeepingKey = ioThread.executeAtInterval(
            this::housekeep, services.housekeepingIntervalMs, TimeUnit.MILLISECONDS);
    }

    /**
     * Cancels the housekeeping timer, before the IO thread stops; from any thread.
     */
    void stop()
    {
        ioThread.execute(housekeepingKey::remove);
    }

    // ---------------------------------------------------------------- tickgate-conflator

    void enqueue(final Session session)
    {
        if (!wakeQueue.offer(session))
        {
            // Cannot happen while sessions per thread stay under maxSessions; flush it from the IO thread instead.
            ioThread.execute(session::onWake);
        }
    }

    @Override
    public void wake()
    {
        if (!drainScheduled.get() && drainScheduled.compareAndSet(false, true))
        {
            ioThread.execute(drainTask);
        }
    }

    // ---------------------------------------------------------------- IO thread

    /**
     * Flushes the woken sessions, at most about one pass over this thread's sessions per call. XNIO runs queued
     * tasks until none is left before it selects again, and under saturation the conflator re-queues sessions as
     * fast as they are flushed, so an unbounded drain would keep the thread from ever selecting: no reads, no
     * handshakes, no writable events, no timers. Past its budget the drain leaves the rest queued and runs again
     * after the next select (XNIO timers have millisecond resolution, so at most a millisecond later).
     */
    private void drain()
    {
        drainScheduled.set(false);
        int budget = Math.max(MIN_DRAIN_BUDGET, sessions.size());
        Session session;
        while (budget-- > 0 && null != (session = wakeQueue.poll()))
        {
            session.onWake();
        }
        publishCounts();
        if (budget < 0 && !wakeQueue.isEmpty() && drainScheduled.compareAndSet(false, true))
        {
            services.counters.drainsDeferred.increment();
            ioThread.executeAfter(drainTask, 1, TimeUnit.MILLISECONDS);
        }
    }

    void countFrame(final int entries, final int bytes)
    {
        unpublishedFrames++;
        unpublishedEntries += entries;
        unpublishedBytes += bytes;
    }

    void countConflated(final long conflated)
    {
        unpublishedConflated += conflated;
    }

    /**
     * Adds the frames written since the last call to the shared counters; after each drain and each housekeeping
     * pass, so the counters lag the sockets by at most one housekeeping interval.
     */
    private void publishCounts()
    {
        if (0 != unpublishedFrames)
        {
            final SessionCounters counters = services.counters;
            counters.framesSent.getAndAdd(unpublishedFrames);
            counters.entriesSent.getAndAdd(unpublishedEntries);
            counters.bytesSent.getAndAdd(unpublishedBytes);
            unpublishedFrames = 0;
            unpublishedEntries = 0;
            unpublishedBytes = 0;
        }
        if (0 != unpublishedConflated)
        {
            services.counters.entriesConflated.getAndAdd(unpublishedConflated);
            unpublishedConflated = 0;
        }
    }

    private void housekeep()
    {
        final long nowNs = System.nanoTime();
        for (int i = sessions.size() - 1; i >= 0; i--)
        {
            sessions.get(i).onHousekeeping(nowNs);
        }
        publishCounts();
        if (nowNs - nextStatsNs >= 0)
        {
            nextStatsNs = nowNs + STATS_INTERVAL_NS;
            int maxPending = 0;
            long totalPending = 0;
            int unwritable = 0;
            for (int i = 0; i < sessions.size(); i++)
            {
                final Session session = sessions.get(i);
                final int pendingSize = session.pendingSize();
                maxPending = Math.max(maxPending, pendingSize);
                totalPending += pendingSize;
                unwritable += session.isUnwritable() ? 1 : 0;
            }
            maxPendingEntries = maxPending;
            pendingEntries = totalPending;
            unwritableSessions = unwritable;
        }
    }

    void add(final Session session)
    {
        sessions.add(session);
        services.counters.sessionsOpen.increment();
        services.counters.sessionsOpened.increment();
    }

    void onSessionClosed(final Session session)
    {
        final int index = sessions.lastIndexOf(session);
        if (index >= 0)
        {
            final Session last = sessions.remove(sessions.size() - 1);
            if (index < sessions.size())
            {
                sessions.set(index, last);
            }
            services.counters.sessionsOpen.decrement();
        }
    }

    /**
     * Sends every session of this thread a close with the given code; from any thread.
     */
    void closeAll(final int code, final String reason)
    {
        try
        {
            ioThread.execute(() ->
            {
                for (int i = sessions.size() - 1; i >= 0; i--)
                {
                    sessions.get(i).closeWith(code, reason);
                }
            });
        }
        catch (final RejectedExecutionException ex)
        {
            // The IO thread is already stopping: XNIO closes its connections itself.
        }
    }

    /**
     * Largest pending set among this thread's sessions, as of the last stats pass (every 250 ms); any thread.
     */
    public int maxPendingEntries()
    {
        return maxPendingEntries;
    }

    /**
     * Entries in all pending sets of this thread's sessions, as of the last stats pass; any thread.
     */
    public long pendingEntries()
    {
        return pendingEntries;
    }

    /**
     * Sessions of this thread with a frame waiting for the socket, as of the last stats pass; any thread.
     */
    public int unwritableSessions()
    {
        return unwritableSessions;
    }

    XnioIoThread ioThread()
    {
        return ioThread;
    }

    ByteBuffer readBuffer()
    {
        return readBuffer;
    }

    FrameAssembler assembler()
    {
        return assembler;
    }

    public LatencyRecorder latencyRecorder()
    {
        return latencyRecorder;
    }

    SessionCounters counters()
    {
        return services.counters;
    }

    SymbolRegistry registry()
    {
        return services.registry;
    }

    ConflatorProxy proxy()
    {
        return services.proxy;
    }

    ObjectMapper mapper()
    {
        return services.mapper;
    }

    ControlMessageAdapter adapter()
    {
        return services.adapter;
    }

    long epochNanoTime()
    {
        return services.clock.nanoTime();
    }

    void onError(final Throwable error)
    {
        services.errorHandler.onError(error);
    }

    /**
     * What every dispatcher and session of a gateway shares. Immutable after construction; the members are
     * thread-safe.
     */
    static final class SessionServices
    {
        final SymbolRegistry registry;
        final ConflatorProxy proxy;
        final ObjectMapper mapper;
        final ControlMessageAdapter adapter;
        final SessionCounters counters;
        final EpochNanoClock clock;
        final ErrorHandler errorHandler;
        final int maxSessions;
        final long housekeepingIntervalMs;

        SessionServices(
            final SymbolRegistry registry,
            final ConflatorProxy proxy,
            final ObjectMapper mapper,
            final ControlMessageAdapter adapter,
            final SessionCounters counters,
            final EpochNanoClock clock,
            final ErrorHandler errorHandler,
            final int maxSessions,
            final long housekeepingIntervalMs)
        {
            this.registry = registry;
            this.proxy = proxy;
            this.mapper = mapper;
            this.adapter = adapter;
            this.counters = counters;
            this.clock = clock;
            this.errorHandler = errorHandler;
            this.maxSessions = maxSessions;
            this.housekeepingIntervalMs = housekeepingIntervalMs;
        }
    }
}

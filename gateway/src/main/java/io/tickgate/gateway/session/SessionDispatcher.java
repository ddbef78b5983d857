package io.tickgate.gateway.session;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.tickgate.gateway.conflation.ConflatorProxy;
import io.tickgate.gateway.conflation.LastValueCache;
import io.tickgate.gateway.conflation.SubscriberWaker;
import io.tickgate.gateway.symbols.SymbolRegistry;
import io.tickgate.gateway.metrics.LatencyRecorder;
import io.tickgate.protocol.FrameDescriptor;
import io.tickgate.simulator.CalibratedEpochNanoClock;
import org.agrona.ErrorHandler;
import org.agrona.LangUtil;
import org.agrona.concurrent.OneToOneConcurrentArrayQueue;
import org.agrona.concurrent.UnsafeBuffer;
import org.xnio.XnioExecutor;
import org.xnio.XnioIoThread;

import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The sessions of one XNIO IO thread. The conflator hands it sessions that went from idle to pending and calls
 * {@link #wake()} once per duty cycle; one task on the IO thread then flushes them all. It also runs the
 * heartbeat and slow-consumer check for its sessions, and owns the IO thread's latency recorder.
 * <p>
 * Thread-safe where stated: {@link #enqueue} and {@link #wake} on the conflator's thread; everything else on the
 * IO thread.
 */
public final class SessionDispatcher implements SubscriberWaker
{
    private final XnioIoThread ioThread;
    /** Single producer (the conflator's thread), single consumer (the IO thread); a session is in it at most once. */
    private final OneToOneConcurrentArrayQueue<Session> wakeQueue;
    /** Set by the conflator when it submits the drain task, cleared by the task before it polls the queue. */
    private final AtomicBoolean drainScheduled = new AtomicBoolean();
    private final Runnable drainTask = this::drain;
    private final ArrayList<Session> sessions = new ArrayList<>();
    private final LatencyRecorder latencyRecorder = new LatencyRecorder();
    private final FrameAssembler assembler;
    /** Every session of this thread reads into it and decodes all it read before the next session reads. */
    private final ByteBuffer readBuffer = ByteBuffer.allocateDirect(16 * 1024);
    /**
     * Every session of this thread encodes its binary frame into it, payload at {@link Session#HEADROOM}, and
     * writes it from there before the next session encodes; see {@link #frameView}.
     */
    private ByteBuffer frameBuffer = ByteBuffer.allocateDirect(Session.HEADROOM + FrameDescriptor.frameLength(64));
    private final UnsafeBuffer frameView =
        new UnsafeBuffer(frameBuffer, Session.HEADROOM, frameBuffer.capacity() - Session.HEADROOM);
    private final SessionServices services;
    /** {@code services.clock}, one load closer for the per-frame reads. */
    private final CalibratedEpochNanoClock clock;
    private final XnioExecutor.Key housekeepingKey;
    private static final long STATS_INTERVAL_NS = 250_000_000L;
    /** Sessions whose state a drain reads ahead together before flushing them one by one. */
    static final int READ_AHEAD_BATCH = 16;
    /**
     * Drains back to back for this long, then one waits for a select. In the "io" layout the feed socket is read
     * after each select, so under saturation this is also how long ticks can wait to be ingested: at 0.5 ms instead
     * of 2 ms the values clients held at overload were about 1 ms younger at the median (docs/benchmarks.md).
     */
    private static final long MAX_BUSY_NS = TimeUnit.MICROSECONDS.toNanos(500);
    /** Reading and handling requests takes at most READ_BUDGET_NS of each READ_WINDOW_NS (see mayRead). */
    static final long READ_WINDOW_NS = TimeUnit.MILLISECONDS.toNanos(2);
    static final long READ_BUDGET_NS = TimeUnit.MILLISECONDS.toNanos(1);
    /**
     * Even past {@link #MAX_BUSY_NS}, a drain flushes at least this fraction of the sessions queued when it starts
     * before it waits for a select: the select's own cost is then spread over enough writes when thousands of
     * sessions are queued, where the feed waiting a little longer is small against the time each session waits
     * for its turn (docs/benchmarks.md, wide).
     */
    private static final int MIN_DRAIN_FRACTION = 64;
    /** A drain starting this long after the last one's end starts a new busy streak. */
    private static final long IDLE_GAP_NS = TimeUnit.MICROSECONDS.toNanos(100);
    private long nextStatsNs;
    /** Start of the current streak of back-to-back drains; IO thread. */
    private long busySinceNs;
    /** Where a drain goes once drains have kept the thread busy too long; IO thread. */
    private final AfterNextSelect drainAfterSelect;
    private final AfterNextSelect readAfterSelect;
    /** IO thread only. */
    private final ReadBudget readBudget = new ReadBudget(READ_BUDGET_NS, READ_WINDOW_NS);
    /** Sessions whose last read turn used its whole budget; read again after the next select. IO thread only. */
    private final ArrayDeque<Session> readsAfterSelect = new ArrayDeque<>();
    private long lastDrainEndNs = Long.MIN_VALUE / 2;
    /** The sessions of one step of a drain, read ahead together, then flushed one by one; IO thread. */
    private final Session[] batch = new Session[READ_AHEAD_BATCH];
    /** Sum of what {@link Session#readAhead} read, kept so the reads are not optimised away; IO thread. */
    private long readAheadSum;
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
    /** Written by the IO thread every {@link #STATS_INTERVAL_NS}, read by the metrics thread. */
    private volatile long queuedReplyBytes;

    SessionDispatcher(final XnioIoThread ioThread, final SessionServices services, final LastValueCache cache)
    {
        this.ioThread = ioThread;
        this.services = services;
        this.clock = services.clock;
        this.wakeQueue = new OneToOneConcurrentArrayQueue<>(services.maxSessions);
        this.assembler = new FrameAssembler(cache, latencyRecorder);
        drainAfterSelect = new AfterNextSelect(ioThread, drainTask, services.errorHandler::onError);
        readAfterSelect = new AfterNextSelect(ioThread, this::continueReads, services.errorHandler::onError);
        housekeepingKey = ioThread.executeAtInterval(
            this::housekeep, services.housekeepingIntervalMs, TimeUnit.MILLISECONDS);
    }

    /**
     * Cancels the housekeeping timer, before the IO thread stops; from any thread.
     */
    void stop()
    {
        ioThread.execute(() ->
        {
            housekeepingKey.remove();
            drainAfterSelect.close();
            readAfterSelect.close();
        });
    }

    // ---------------------------------------------------------------- the conflator's thread

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
        // Always the CAS, never a plain read first: it is the full fence that makes this cycle's enqueues visible
        // before the flag is read. A drain clears the flag and then looks at the queue; with a plain read the
        // enqueue could still sit in this core's store buffer, the drain would find the queue empty, and the
        // session, marked scheduled, would never be woken again.
        if (drainScheduled.compareAndSet(false, true))
        {
            ioThread.execute(drainTask);
        }
    }

    // ---------------------------------------------------------------- IO thread

    /**
     * Flushes the woken sessions. The scheduled flag stays set while it runs, so the conflator's wakes meanwhile
     * submit no second task; sessions queued meanwhile are flushed by this drain or by the next one it schedules.
     * <p>
     * XNIO runs queued tasks until none is left before it selects again, and under saturation sessions are
     * re-queued as fast as they are flushed: drains that follow each other at once would keep the thread from ever
     * selecting (no reads, no handshakes, no writable events, no timers). So once drains have kept the thread busy
     * for {@link #MAX_BUSY_NS} without a break, the next one runs right after a select instead
     * ({@link AfterNextSelect}), once this one has flushed at least 1/{@link #MIN_DRAIN_FRACTION} of the sessions
     * queued when it began.
     * <p>
     * Sessions are taken {@link #READ_AHEAD_BATCH} at a time and their state read ahead together
     * ({@link Session#readAhead}) before each is flushed: at 1,000 sessions that cut the user CPU time per socket
     * write by about a fifth (docs/benchmarks.md).
     */
    private void drain()
    {
        final long startNs = System.nanoTime();
        if (startNs - lastDrainEndNs > IDLE_GAP_NS)
        {
            busySinceNs = startNs; // the thread had a break: a new streak
        }
        final int minFlushed = wakeQueue.size() / MIN_DRAIN_FRACTION;
        int flushed = 0;
        Session session;
        // One latency batch for the whole drain: the frames' own batches nest in it and cost no atomics.
        latencyRecorder.beginBatch();
        final Session[] batch = this.batch;
        boolean completed = false;
        try
        {
            int count;
            do
            {
                count = 0;
                while (count < batch.length && null != (session = wakeQueue.poll()))
                {
                    batch[count++] = session;
                }
                readAheadSum += Session.readAhead(batch, count);
                for (int i = 0; i < count; i++)
                {
                    final Session woken = batch[i];
                    batch[i] = null;
                    woken.onWake();
                }
                flushed += count;
            }
            while (count == batch.length && (flushed < minFlushed || System.nanoTime() - busySinceNs <= MAX_BUSY_NS));
            completed = true;
        }
        finally
        {
            latencyRecorder.endBatch();
            // Only if a session's flush threw past its own guard (an Error): the batch's sessions not yet flushed
            // are still marked scheduled, so no wake would queue them again. They are flushed by tasks of their own
            // (the wake queue has one producer, the conflator's thread), and the flag is cleared, or every later
            // wake of this thread would find a drain "already scheduled"; sessions still queued get a drain.
            for (int i = 0; i < batch.length; i++)
            {
                if (null != batch[i])
                {
                    ioThread.execute(batch[i]::onWake);
                    batch[i] = null;
                }
            }
            drainScheduled.set(false);
            if (!completed && !wakeQueue.isEmpty() && drainScheduled.compareAndSet(false, true))
            {
                ioThread.execute(drainTask);
            }
        }
        publishCounts();
        // After the clear: a session queued since the last poll either sees the flag clear and submits a drain,
        // or is seen here (both sides fence between their write and their read).
        lastDrainEndNs = System.nanoTime();
        if (!wakeQueue.isEmpty() && drainScheduled.compareAndSet(false, true))
        {
            if (lastDrainEndNs - busySinceNs > MAX_BUSY_NS && flushed >= minFlushed)
            {
                services.counters.drainsDeferred.increment();
                drainAfterSelect.request();
            }
            else
            {
                ioThread.execute(drainTask);
            }
        }
    }

    /**
     * Whether sessions may read now: at most {@link #READ_BUDGET_NS} of every {@link #READ_WINDOW_NS} goes to
     * reading and handling requests, so that however many connections send costly requests at once, frames,
     * heartbeats and HTTP requests keep their share of the thread. IO thread.
     */
    boolean mayRead(final long nowNs)
    {
        return readBudget.mayRead(nowNs);
    }

    void spentReading(final long ns)
    {
        readBudget.spent(ns);
    }

    /**
     * Has the session read again right after the next select, so that the sockets ready meanwhile (other
     * sessions, HTTP requests) are served first. IO thread.
     */
    void readAfterNextSelect(final Session session)
    {
        readsAfterSelect.add(session);
        readAfterSelect.request();
    }

    private void continueReads()
    {
        // Only those queued before this run: one that uses its budget again waits for the select after it. An Error
        // past one session's guard must not leave the others suspended for good: they are read first.
        Throwable failure = null;
        for (int i = readsAfterSelect.size(); i > 0; i--)
        {
            if (!readBudget.mayRead(System.nanoTime()))
            {
                // The rest keep their places: each session reads in turn. Had they been polled, refused and queued
                // again behind the one that spent the share, a client sending without pause would take every share
                // and another's request could wait for seconds.
                readAfterSelect.request();
                break;
            }
            try
            {
                readsAfterSelect.poll().continueReading();
            }
            catch (final Throwable ex)
            {
                if (null == failure)
                {
                    failure = ex;
                }
                else
                {
                    failure.addSuppressed(ex);
                }
            }
        }
        if (null != failure)
        {
            LangUtil.rethrowUnchecked(failure);
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
            long replyBytes = 0;
            for (int i = 0; i < sessions.size(); i++)
            {
                final Session session = sessions.get(i);
                if (session.isClosing())
                {
                    continue;   // sends no more market data; waits only for its close handshake or its grace
                }
                final int pendingSize = session.pendingSize();
                maxPending = Math.max(maxPending, pendingSize);
                totalPending += pendingSize;
                unwritable += session.isUnwritable() || session.isPaced() ? 1 : 0;
                replyBytes += session.queuedReplyBytes();
            }
            maxPendingEntries = maxPending;
            pendingEntries = totalPending;
            unwritableSessions = unwritable;
            queuedReplyBytes = replyBytes;
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

    /**
     * Bytes of replies queued and not yet written, over this thread's sessions; refreshed every 250 ms.
     */
    public long queuedReplyBytes()
    {
        return queuedReplyBytes;
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

    /**
     * The frame buffer's payload, with room for at least {@code entries} entries; it grows, never shrinks.
     */
    UnsafeBuffer frameView(final int entries)
    {
        final int needed = Session.HEADROOM + FrameDescriptor.frameLength(entries);
        if (frameBuffer.capacity() < needed)
        {
            frameBuffer = ByteBuffer.allocateDirect(Math.max(needed, frameBuffer.capacity() * 2));
            frameView.wrap(frameBuffer, Session.HEADROOM, frameBuffer.capacity() - Session.HEADROOM);
        }
        return frameView;
    }

    /**
     * The buffer behind {@link #frameView}, for the frame header and the write.
     */
    ByteBuffer frameBuffer()
    {
        return frameBuffer;
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
        return clock.nanoTime();
    }

    /**
     * The epoch time of a {@link System#nanoTime()} reading: one clock read per frame instead of two.
     */
    long epochNanoTime(final long nanoTime)
    {
        return clock.epochNanoTime(nanoTime);
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
        final CalibratedEpochNanoClock clock;
        final ErrorHandler errorHandler;
        final int maxSessions;
        final long housekeepingIntervalMs;

        SessionServices(
            final SymbolRegistry registry,
            final ConflatorProxy proxy,
            final ObjectMapper mapper,
            final ControlMessageAdapter adapter,
            final SessionCounters counters,
            final CalibratedEpochNanoClock clock,
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

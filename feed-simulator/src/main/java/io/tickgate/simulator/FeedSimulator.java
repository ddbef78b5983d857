package io.tickgate.simulator;

import org.agrona.concurrent.Agent;
import org.agrona.concurrent.AgentTerminationException;
import org.agrona.concurrent.EpochNanoClock;
import org.agrona.concurrent.NanoClock;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.concurrent.TimeUnit;

/**
 * Drives a {@link MarketSimulator} into a {@link TickSink} at a steady total rate. Ticks are paid out on a credit
 * schedule: by time {@code t} after start, {@code floor(t * rate)} ticks are due, so the rate holds on average
 * whatever the idle strategy's wake-ups, and a late duty cycle catches up rather than losing ticks. One cycle
 * emits at most {@link #MAX_TICKS_PER_DUTY_CYCLE}, then flushes the sink, so it stays short and datagrams leave
 * while the backlog is worked off; a rate the host cannot reach just runs flat out.
 * <p>
 * Each tick's exchange time is the epoch time it was scheduled for, so ticks are evenly spaced and a simulator
 * that falls behind shows as feed latency rather than hiding it. Definitions go out at start and again every
 * {@code definitionsIntervalNs}. When {@code durationNs} has passed, the ticks due up to that moment are sent and
 * {@link #doWork()} throws an expected {@link AgentTerminationException} so the {@code AgentRunner} stops.
 * <p>
 * Not thread-safe: runs on tickgate-simulator; other threads may only read {@link #ticksSent()}.
 */
public final class FeedSimulator implements Agent
{
    public static final String ROLE_NAME = "tickgate-simulator";
    public static final long DEFAULT_DEFINITIONS_INTERVAL_NS = TimeUnit.SECONDS.toNanos(5);
    public static final int MAX_TICKS_PER_DUTY_CYCLE = 4096;

    private static final VarHandle TICKS_SENT;

    static
    {
        try
        {
            TICKS_SENT = MethodHandles.lookup().findVarHandle(FeedSimulator.class, "ticksSent", long.class);
        }
        catch (final ReflectiveOperationException ex)
        {
            throw new ExceptionInInitializerError(ex);
        }
    }

    private final MarketSimulator simulator;
    private final TickSink sink;
    private final double ticksPerNs;
    private final double nsPerTick;
    private final long durationNs;
    private final NanoClock clock;
    private final EpochNanoClock epochClock;
    private final long definitionsIntervalNs;

    // Written only by tickgate-simulator.
    private long startNs;
    private long startEpochNs;
    private long nextDefinitionsNs;
    /** Release-stored once per batch so a reporting thread reads a recent count; read plainly by the owner. */
    private long ticksSent;

    public FeedSimulator(
        final MarketSimulator simulator,
        final TickSink sink,
        final double ratePerSecond,
        final long durationNs,
        final NanoClock clock)
    {
        this(simulator, sink, ratePerSecond, durationNs, clock, DEFAULT_DEFINITIONS_INTERVAL_NS);
    }

    /**
     * @param ratePerSecond ticks per second over all instruments, more than 0.
     * @param durationNs    how long to run, 0 for until stopped.
     * @param clock         monotonic time that paces the schedule; exchange times are derived from it.
     */
    public FeedSimulator(
        final MarketSimulator simulator,
        final TickSink sink,
        final double ratePerSecond,
        final long durationNs,
        final NanoClock clock,
        final long definitionsIntervalNs)
    {
        this(simulator, sink, ratePerSecond, durationNs, clock, definitionsIntervalNs, new CalibratedEpochNanoClock());
    }

    /**
     * @param epochClock read once, at start, to anchor exchange times to the epoch.
     */
    public FeedSimulator(
        final MarketSimulator simulator,
        final TickSink sink,
        final double ratePerSecond,
        final long durationNs,
        final NanoClock clock,
        final long definitionsIntervalNs,
        final EpochNanoClock epochClock)
    {
        if (!(ratePerSecond > 0) || Double.isInfinite(ratePerSecond))
        {
            throw new IllegalArgumentException("ratePerSecond must be a positive number: " + ratePerSecond);
        }
        if (durationNs < 0)
        {
            throw new IllegalArgumentException("durationNs must be 0 (forever) or more: " + durationNs);
        }
        if (definitionsIntervalNs <= 0)
        {
            throw new IllegalArgumentException("definitionsIntervalNs must be positive: " + definitionsIntervalNs);
        }
        this.simulator = simulator;
        this.sink = sink;
        this.ticksPerNs = ratePerSecond / 1e9;
        this.nsPerTick = 1e9 / ratePerSecond;
        this.durationNs = durationNs;
        this.clock = clock;
        this.definitionsIntervalNs = definitionsIntervalNs;
        this.epochClock = epochClock;
    }

    @Override
    public void onStart()
    {
        startNs = clock.nanoTime();
        startEpochNs = epochClock.nanoTime();
        emitDefinitions(startNs);
    }

    @Override
    public int doWork()
    {
        final long nowNs = clock.nanoTime();
        final long elapsedNs = nowNs - startNs;
        final boolean finished = durationNs > 0 && elapsedNs >= durationNs;

        int workCount = 0;
        if (nowNs - nextDefinitionsNs >= 0)
        {
            workCount += emitDefinitions(nowNs);
        }
        final int ticks = emitTicks(finished ? durationNs : elapsedNs);
        workCount += ticks;

        // A full batch may have left ticks due before the end; they go out first.
        if (finished && ticks < MAX_TICKS_PER_DUTY_CYCLE)
        {
            throw new AgentTerminationException("simulation duration elapsed", true);
        }
        return workCount;
    }

    @Override
    public String roleName()
    {
        return ROLE_NAME;
    }

    /**
     * Ticks emitted so far; readable from any thread.
     */
    public long ticksSent()
    {
        return (long)TICKS_SENT.getAcquire(this);
    }

    private int emitDefinitions(final long nowNs)
    {
        simulator.definitions(sink);
        sink.flush();
        // From now, not from the last due time: after a stall one repeat is enough, not a catch-up storm.
        nextDefinitionsNs = nowNs + definitionsIntervalNs;
        return simulator.symbolCount();
    }

    private int emitTicks(final long elapsedNs)
    {
        final long due = (long)(elapsedNs * ticksPerNs) - ticksSent;
        final int batch = (int)Math.min(due, MAX_TICKS_PER_DUTY_CYCLE);
        if (batch <= 0)
        {
            return 0;
        }

        final long firstTick = ticksSent;
        for (int i = 0; i < batch; i++)
        {
            // Tick k (from 0) falls due once floor(t * rate) reaches k + 1.
            final long scheduledNs = (long)((firstTick + i + 1) * nsPerTick);
            simulator.nextTick(sink, startEpochNs + scheduledNs);
        }
        sink.flush();
        // Release: the ticks are in the sink before another thread sees them counted.
        TICKS_SENT.setRelease(this, firstTick + batch);
        return batch;
    }
}

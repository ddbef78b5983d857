package io.tickgate.simulator;

import org.agrona.concurrent.EpochNanoClock;

import java.time.Instant;

/**
 * Epoch nanoseconds from {@link System#nanoTime()} plus an offset measured against {@link Instant#now()}.
 * <p>
 * Seeding from {@code currentTimeMillis()} would leave the offset up to a millisecond off a client's clock and
 * corrupt tick-to-client latency, so the offset is taken from the tightest of many paired samples and
 * re-measured by {@link #recalibrate()}.
 * <p>
 * Thread-safe: {@link #nanoTime()} and {@link #epochNanoTime(long)} from any thread; {@link #recalibrate()} from one
 * thread at a time.
 */
public final class CalibratedEpochNanoClock implements EpochNanoClock
{
    private static final int SAMPLES = 200;

    /** Written by the recalibrating thread, read by all; a volatile long is enough for one value. */
    private volatile long offsetNs;

    public CalibratedEpochNanoClock()
    {
        recalibrate();
    }

    @Override
    public long nanoTime()
    {
        return System.nanoTime() + offsetNs;
    }

    /**
     * The epoch time of a {@link System#nanoTime()} reading the caller already has, saving a second clock read.
     */
    public long epochNanoTime(final long nanoTime)
    {
        return nanoTime + offsetNs;
    }

    /**
     * Measures the offset again; the sample with the shortest nanoTime bracket wins.
     */
    public void recalibrate()
    {
        long bestBracket = Long.MAX_VALUE;
        long bestOffset = offsetNs;
        for (int i = 0; i < SAMPLES; i++)
        {
            final long before = System.nanoTime();
            final Instant now = Instant.now();
            final long after = System.nanoTime();
            final long bracket = after - before;
            if (bracket < bestBracket)
            {
                bestBracket = bracket;
                final long epochNs = now.getEpochSecond() * 1_000_000_000L + now.getNano();
                bestOffset = epochNs - (before + (bracket >> 1));
            }
        }
        offsetNs = bestOffset;
    }
}

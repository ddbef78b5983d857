package io.tickgate.simulator.recording;

import io.tickgate.simulator.ReceiverQueue;

/**
 * How {@code replay --speed max} paces: a token bucket on messages, filled at the rate cap (climbing to it over
 * the first second, for a receiver that has just started and is still compiling its feed path) and never holding
 * more than a millisecond of it, so a sender that was descheduled does not make up for the lost time with a burst
 * the receiver's socket buffer cannot hold; and, when the receiver is on this host, a gate on its receive queue:
 * while more than {@link #DEFAULT_HIGH_WATER_BYTES} wait in it, nothing is sent. The gate is what lets max run as
 * fast as the receiver can take without a cap: UDP has no back-pressure, the receiver's queue is the nearest
 * thing, and it is read from the kernel's table at most every {@link #POLL_NS}.
 * <p>
 * Not thread-safe: one replaying thread.
 */
public final class MaxSpeedPacer
{
    /** A capped replay climbs to its cap over this long. */
    public static final long RAMP_NS = 1_000_000_000L;
    /** Most a capped sender may send at once after a pause: a millisecond of the cap. */
    public static final long BURST_NS = 1_000_000L;
    /** ... and never less than two full datagrams. */
    public static final int MIN_BURST = 64;
    /**
     * Bytes in the receiver's queue above which nothing is sent: about 110 full datagrams, 3,300 quotes; a quarter
     * of the smallest receive buffer Linux gives by default (208 KiB, doubled), so even a receiver that did not
     * ask for a larger one keeps room for what is sent between two reads of its queue.
     */
    public static final long DEFAULT_HIGH_WATER_BYTES = 256 * 1024;
    /** How often the receiver's queue is read while sending: the sender adds at most a few datagrams meanwhile. */
    public static final long POLL_NS = 100_000L;

    private final long maxPerSecond;
    private final ReceiverQueue receiver;
    private final long highWaterBytes;

    // Written only by the replaying thread.
    private long startNs;
    private long lastNs;
    private double tokens;
    private long nextPollNs;
    private boolean receiverFull;
    private long waits;
    private long firstDrops = -1;

    /**
     * @param maxPerSecond   cap on messages a second; 0 for none (then the receiver gate alone paces).
     * @param receiver       the receiver's queue when it is on this host, else null.
     * @param highWaterBytes receiver queue above which sending waits.
     */
    public MaxSpeedPacer(final long maxPerSecond, final ReceiverQueue receiver, final long highWaterBytes)
    {
        if (maxPerSecond < 0 || highWaterBytes <= 0)
        {
            throw new IllegalArgumentException("cap must not be negative, high water positive: " + maxPerSecond +
                ", " + highWaterBytes);
        }
        this.maxPerSecond = maxPerSecond;
        this.receiver = receiver;
        this.highWaterBytes = highWaterBytes;
    }

    public void start(final long nowNs)
    {
        startNs = nowNs;
        lastNs = nowNs;
        tokens = 0;
        nextPollNs = nowNs;
        if (null != receiver && receiver.poll())
        {
            firstDrops = receiver.drops();
        }
    }

    /**
     * Takes a message's permission to go now.
     *
     * @return false when it must wait: the bucket is empty or the receiver's queue is above the high water.
     */
    public boolean tryAcquire(final long nowNs)
    {
        if (null != receiver && nowNs - nextPollNs >= 0)
        {
            nextPollNs = nowNs + POLL_NS;
            final boolean full = receiver.poll() && receiver.queuedBytes() > highWaterBytes;
            if (full && !receiverFull)
            {
                waits++;
            }
            receiverFull = full;
        }
        if (receiverFull)
        {
            return false;
        }
        if (0 == maxPerSecond)
        {
            return true;
        }
        refill(nowNs);
        if (tokens >= 1)
        {
            tokens -= 1;
            return true;
        }
        return false;
    }

    /**
     * Times sending stopped because the receiver's queue rose above the high water.
     */
    public long receiverWaits()
    {
        return waits;
    }

    /**
     * Datagrams the receiving socket dropped since {@link #start(long)}, at the last read of its queue; -1 when
     * the receiver is not watched.
     */
    public long receiverDrops()
    {
        return firstDrops < 0 ? -1 : receiver.drops() - firstDrops;
    }

    /**
     * Reads the receiver's queue once more, for {@link #receiverDrops()} after the last datagram.
     */
    public void finish()
    {
        if (null != receiver)
        {
            receiver.poll();
        }
    }

    private void refill(final long nowNs)
    {
        final long elapsedNs = nowNs - startNs;
        final double ratePerNs = maxPerSecond / 1e9 * Math.min(1.0, (double)elapsedNs / RAMP_NS);
        final double burst = Math.max(MIN_BURST, maxPerSecond / 1e9 * BURST_NS);
        tokens = Math.min(burst, tokens + ratePerNs * (nowNs - lastNs));
        lastNs = nowNs;
    }
}

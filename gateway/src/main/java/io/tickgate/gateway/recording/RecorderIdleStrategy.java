package io.tickgate.gateway.recording;

import org.agrona.concurrent.IdleStrategy;

import java.util.concurrent.locks.LockSupport;

/**
 * Idles tickgate-recorder: after any duty cycle that drained less than a full read (the ring is about empty), it
 * parks for a fixed interval, whether that cycle found work or not; after a full read it goes on at once.
 * <p>
 * The journal has no latency to keep, so it need not wake for every tick the way the conflator does: parking a
 * millisecond lets a batch pile up in the recording ring (about 1,000 ticks at a million a second, against the
 * ring's slack of about 930,000), and each wake-up then costs one drain, one copy into the file and one counter
 * update for all of them. A recorder that spun or yielded after every small batch would instead take a core's
 * worth of wake-ups from the feed thread and the conflator on a two-core host. When ticks arrive faster than a
 * park-sized batch can hold, every cycle reads a full {@code readLimit} and the recorder runs without parking.
 * <p>
 * Not thread-safe: one per recorder, used only on tickgate-recorder.
 */
public final class RecorderIdleStrategy implements IdleStrategy
{
    private final long parkNs;
    private final int fullRead;

    /**
     * @param parkNs   how long to park after a cycle that was not full.
     * @param fullRead records a full cycle reads (the recorder's {@code readLimit}).
     */
    public RecorderIdleStrategy(final long parkNs, final int fullRead)
    {
        if (parkNs <= 0 || fullRead <= 0)
        {
            throw new IllegalArgumentException("park and full read must be positive: " + parkNs + ", " + fullRead);
        }
        this.parkNs = parkNs;
        this.fullRead = fullRead;
    }

    /**
     * Whether a duty cycle that did {@code workCount} records is followed by a park.
     */
    public boolean shouldPark(final int workCount)
    {
        return workCount < fullRead;
    }

    @Override
    public void idle(final int workCount)
    {
        if (shouldPark(workCount))
        {
            LockSupport.parkNanos(this, parkNs);
        }
    }

    @Override
    public void idle()
    {
        LockSupport.parkNanos(this, parkNs);
    }

    @Override
    public void reset()
    {
    }

    @Override
    public String alias()
    {
        return "recorder-park";
    }
}

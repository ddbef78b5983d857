package io.tickgate.gateway.conflation;

import io.tickgate.gateway.BlockingIdleStrategy;

import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;

/**
 * Idles the conflator: a short spin, a few yields, then a park that producers end early through {@link #wake()}.
 * <p>
 * Happens-before, Dekker style: the conflator stores {@code sleeping} (volatile) and only then checks for work
 * (the ring's producer position and the command queue, both volatile); a producer publishes its work and only then
 * reads {@code sleeping}. One of the two always sees the other, so no tick waits out a park. The park is bounded
 * anyway, so the conflator's timed duties (stale checks) keep running on a quiet feed.
 * <p>
 * Thread-safe: {@link #idle} on tickgate-conflator only; {@link #wake()} from any producer thread.
 */
public final class ConflatorIdleStrategy extends BlockingIdleStrategy
{
    private final long maxParkNs;
    /** Set once before the conflator starts. */
    private BooleanSupplier hasWork = () -> false;
    private volatile Thread owner;
    private volatile boolean sleeping;

    public ConflatorIdleStrategy(final long maxParkNs)
    {
        this.maxParkNs = maxParkNs;
    }

    /**
     * What the conflator checks after announcing it will sleep; set by the conflator before it starts.
     */
    void workCheck(final BooleanSupplier hasWork)
    {
        this.hasWork = hasWork;
    }

    /**
     * Ends the conflator's park early, if it is parked; cheap when it is not (one volatile read).
     */
    public void wake()
    {
        if (sleeping)
        {
            LockSupport.unpark(owner);
        }
    }

    @Override
    protected void block()
    {
        if (null == owner)
        {
            owner = Thread.currentThread();
        }
        sleeping = true;
        if (!hasWork.getAsBoolean())
        {
            LockSupport.parkNanos(this, maxParkNs);
        }
        sleeping = false;
    }

    @Override
    public String alias()
    {
        return "park";
    }
}

package io.tickgate.gateway.conflation;

import org.agrona.concurrent.IdleStrategy;

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
public final class ConflatorIdleStrategy implements IdleStrategy
{
    private static final int SPINS = 64;
    private static final int YIELDS = 8;

    private final long maxParkNs;
    /** Set once before the conflator starts. */
    private BooleanSupplier hasWork = () -> false;
    private volatile Thread owner;
    private volatile boolean sleeping;
    /** Touched only by the conflator. */
    private int idleCount;

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
    public void idle(final int workCount)
    {
        if (workCount > 0)
        {
            idleCount = 0;
        }
        else
        {
            idle();
        }
    }

    @Override
    public void idle()
    {
        if (idleCount < SPINS)
        {
            idleCount++;
            Thread.onSpinWait();
        }
        else if (idleCount < SPINS + YIELDS)
        {
            idleCount++;
            Thread.yield();
        }
        else
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
    }

    @Override
    public void reset()
    {
        idleCount = 0;
    }

    @Override
    public String alias()
    {
        return "park";
    }
}

package io.tickgate.gateway;

import org.agrona.concurrent.IdleStrategy;

/**
 * Idles an agent in three steps: a short spin, a few yields, then {@link #block()}, which a subclass makes wait
 * on something that ends the wait as soon as work arrives (a socket, a producer's unpark). An idle agent then costs
 * no CPU, and work after a lull does not wait out a fixed park.
 * <p>
 * Not thread-safe: used by the one thread of its agent.
 */
public abstract class BlockingIdleStrategy implements IdleStrategy
{
    private static final int SPINS = 64;
    private static final int YIELDS = 8;

    /** Touched only by the agent's thread. */
    private int idleCount;

    @Override
    public final void idle(final int workCount)
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
    public final void idle()
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
            block();
        }
    }

    @Override
    public final void reset()
    {
        idleCount = 0;
    }

    /**
     * Waits for work, bounded in time; returns early when work arrives.
     */
    protected abstract void block();
}

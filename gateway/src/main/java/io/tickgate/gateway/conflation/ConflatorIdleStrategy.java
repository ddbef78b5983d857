package io.tickgate.gateway.conflation;

import io.tickgate.gateway.BlockingIdleStrategy;
import io.tickgate.gateway.ReadSelector;

import java.nio.channels.SelectableChannel;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;

/**
 * Idles the conflator: a short spin, a few yields, then a sleep that producers end early through {@link #wake()}.
 * Two ways to sleep: {@link #parking} parks the conflator's own thread; {@link #selecting} blocks in a select on
 * the UDP feed's socket, for a conflator that shares its thread with the feed handler, so a datagram ends the sleep
 * through epoll and other producers end it with a selector wake-up.
 * <p>
 * Happens-before, Dekker style: the conflator stores {@code sleeping} (volatile) and only then checks for work
 * (the ring's producer position and the command queue, both volatile); a producer publishes its work and only then
 * reads {@code sleeping}. One of the two always sees the other, so no tick waits out a sleep. The sleep is bounded
 * anyway, so the conflator's timed duties (stale checks) keep running on a quiet feed.
 * <p>
 * Thread-safe: {@link #idle} on the conflator's thread only; {@link #wake()} from any producer thread.
 */
public abstract class ConflatorIdleStrategy extends BlockingIdleStrategy
{
    /** Set once before the conflator starts. */
    private BooleanSupplier hasWork = () -> false;
    private volatile boolean sleeping;

    /**
     * Parks the conflator's thread for at most {@code maxParkNs}; a producer unparks it.
     */
    public static ConflatorIdleStrategy parking(final long maxParkNs)
    {
        return new Parking(maxParkNs);
    }

    /**
     * Blocks in a select on {@code channel} (registered for reads) for at most {@code maxBlockNs}, rounded up to a
     * millisecond; a producer wakes the selector.
     */
    public static ConflatorIdleStrategy selecting(final SelectableChannel channel, final long maxBlockNs)
    {
        return new Selecting(channel, Math.max(1, TimeUnit.NANOSECONDS.toMillis(maxBlockNs + 999_999)));
    }

    /**
     * What the conflator checks after announcing it will sleep; set by the conflator before it starts.
     */
    public void workCheck(final BooleanSupplier hasWork)
    {
        this.hasWork = hasWork;
    }

    /**
     * Ends the conflator's sleep early, if it sleeps; cheap when it does not (one volatile read).
     */
    public final void wake()
    {
        if (sleeping)
        {
            interrupt();
        }
    }

    @Override
    protected final void block()
    {
        beforeSleeping();
        sleeping = true;
        if (!hasWork.getAsBoolean())
        {
            sleep();
        }
        sleeping = false;
    }

    /**
     * Whatever {@link #interrupt()} needs, made visible before a producer can see the conflator sleeping.
     */
    protected void beforeSleeping()
    {
    }

    /**
     * Sleeps, bounded in time, until {@link #interrupt()} or the subclass's own event.
     */
    protected abstract void sleep();

    /**
     * Ends a {@link #sleep()} in progress or makes the next one return at once; from any thread.
     */
    protected abstract void interrupt();

    private static final class Parking extends ConflatorIdleStrategy
    {
        private final long maxParkNs;
        private volatile Thread owner;

        Parking(final long maxParkNs)
        {
            this.maxParkNs = maxParkNs;
        }

        @Override
        protected void beforeSleeping()
        {
            // Before the first "sleeping": a producer that saw it with no owner yet would unpark no one, and the
            // first tick would wait out the whole park.
            if (null == owner)
            {
                owner = Thread.currentThread();
            }
        }

        @Override
        protected void sleep()
        {
            LockSupport.parkNanos(this, maxParkNs);
        }

        @Override
        protected void interrupt()
        {
            LockSupport.unpark(owner);
        }

        @Override
        public String alias()
        {
            return "park";
        }
    }

    private static final class Selecting extends ConflatorIdleStrategy
    {
        private final ReadSelector selector;
        private final long maxBlockMs;

        Selecting(final SelectableChannel channel, final long maxBlockMs)
        {
            this.selector = new ReadSelector(channel);
            this.maxBlockMs = maxBlockMs;
        }

        @Override
        protected void sleep()
        {
            selector.select(maxBlockMs);
        }

        @Override
        protected void interrupt()
        {
            selector.wakeup();
        }

        @Override
        public String alias()
        {
            return "select";
        }
    }
}

package io.tickgate.gateway.feed;

import org.agrona.concurrent.IdleStrategy;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.DatagramChannel;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;

/**
 * Idles the feed handler on its socket: a short spin, a few yields, then a blocking select that returns as soon
 * as a datagram arrives. An idle feed handler then costs no CPU, and the first datagram after a lull wakes it
 * through epoll instead of waiting out a park.
 * <p>
 * Not thread-safe: used only by tickgate-feed-handler. The selected-key set is never cleared: the one key stays in
 * it, so a select allocates nothing.
 */
public final class SocketIdleStrategy implements IdleStrategy
{
    private static final int SPINS = 64;
    private static final int YIELDS = 8;

    private final Selector selector;
    private final long maxBlockMs;
    private int idleCount;

    public SocketIdleStrategy(final DatagramChannel channel, final long maxBlockMs)
    {
        try
        {
            this.selector = Selector.open();
            channel.register(selector, SelectionKey.OP_READ);
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException(ex);
        }
        this.maxBlockMs = maxBlockMs;
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
            try
            {
                selector.select(maxBlockMs);
            }
            catch (final IOException ex)
            {
                throw new UncheckedIOException(ex);
            }
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
        return "socket";
    }
}

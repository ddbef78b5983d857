package io.tickgate.gateway.feed;

import io.tickgate.gateway.BlockingIdleStrategy;

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
public final class SocketIdleStrategy extends BlockingIdleStrategy
{
    private final Selector selector;
    private final long maxBlockMs;

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
    protected void block()
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

    @Override
    public String alias()
    {
        return "socket";
    }
}

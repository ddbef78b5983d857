package io.tickgate.gateway.feed;

import io.tickgate.gateway.BlockingIdleStrategy;
import io.tickgate.gateway.ReadSelector;

import java.nio.channels.DatagramChannel;

/**
 * Idles the feed handler on its socket: a short spin, a few yields, then a blocking select that returns as soon
 * as a datagram arrives. An idle feed handler then costs no CPU, and the first datagram after a lull wakes it
 * through epoll instead of waiting out a park.
 * <p>
 * Not thread-safe: used only by tickgate-feed-handler.
 */
public final class SocketIdleStrategy extends BlockingIdleStrategy
{
    private final ReadSelector selector;
    private final long maxBlockMs;

    public SocketIdleStrategy(final DatagramChannel channel, final long maxBlockMs)
    {
        this.selector = new ReadSelector(channel);
        this.maxBlockMs = maxBlockMs;
    }

    @Override
    protected void block()
    {
        selector.select(maxBlockMs);
    }

    @Override
    public String alias()
    {
        return "socket";
    }
}

package io.tickgate.gateway;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.SelectableChannel;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;

/**
 * A selector holding one channel registered for reads, for an idle strategy that blocks until a datagram arrives.
 * The one key stays in the selected set (it is never cleared), so a select allocates nothing.
 * <p>
 * Not thread-safe, except {@link #wakeup()}, which any thread may call.
 */
public final class ReadSelector
{
    private final Selector selector;

    public ReadSelector(final SelectableChannel channel)
    {
        try
        {
            selector = Selector.open();
            channel.register(selector, SelectionKey.OP_READ);
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException(ex);
        }
    }

    /**
     * Blocks until the channel is readable, {@link #wakeup()} is called, or {@code maxBlockMs} passes.
     */
    public void select(final long maxBlockMs)
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

    public void wakeup()
    {
        selector.wakeup();
    }
}

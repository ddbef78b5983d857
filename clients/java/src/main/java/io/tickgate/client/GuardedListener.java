package io.tickgate.client;

/**
 * The application's listener, with what its methods throw caught and reported as
 * {@link ClientError#LISTENER_FAILED} instead of escaping into the client's receive path, where it would drop
 * the connection and blame the network (and, thrown on every update, reconnect without end), or out of
 * {@code connect()} and {@code close()}. Any {@link Throwable} is caught, {@link Error}s included: an
 * {@link AssertionError} from the application's own checks is its bug like any exception. Only a
 * {@link VirtualMachineError} (out of memory, stack overflow) is thrown on: the JVM is failing, not the listener.
 * A throw from {@code onError} itself is dropped: there is nowhere left to report it.
 * <p>
 * Once {@link #close} has reported {@code CLOSED}, nothing more reaches the application, whatever the client was
 * doing when its {@code close()} was called from inside a callback (the rest of a frame, a reconnect).
 * <p>
 * Not thread-safe: called with the owning {@link TickgateClient}'s monitor held.
 */
final class GuardedListener implements TickgateListener
{
    private final TickgateListener delegate;
    /** Set once CLOSED is reported; guarded by the client's monitor. */
    private boolean closed;

    GuardedListener(final TickgateListener delegate)
    {
        this.delegate = delegate;
    }

    @Override
    public void onUpdate(final MarketData data, final boolean snapshot)
    {
        if (closed)
        {
            return;
        }
        try
        {
            delegate.onUpdate(data, snapshot);
        }
        catch (final Throwable ex)
        {
            failed("onUpdate for " + data.symbol(), ex);
        }
    }

    @Override
    public void onFrame(final int kind, final int entries)
    {
        if (closed)
        {
            return;
        }
        try
        {
            delegate.onFrame(kind, entries);
        }
        catch (final Throwable ex)
        {
            failed("onFrame", ex);
        }
    }

    @Override
    public void onStatus(final ConnectionStatus status, final String detail)
    {
        if (closed)
        {
            return;
        }
        try
        {
            delegate.onStatus(status, detail);
        }
        catch (final Throwable ex)
        {
            failed("onStatus", ex);
        }
    }

    @Override
    public void onError(final ClientError error, final String message)
    {
        if (closed)
        {
            return;
        }
        try
        {
            delegate.onError(error, message);
        }
        catch (final Throwable ex)
        {
            rethrowIfFatal(ex);
            // Otherwise dropped: reporting it would call onError again.
        }
    }

    /**
     * Reports {@code CLOSED}, the last callback the application gets.
     */
    void close(final String detail)
    {
        try
        {
            onStatus(ConnectionStatus.CLOSED, detail);
        }
        finally
        {
            closed = true;
        }
    }

    private void failed(final String method, final Throwable ex)
    {
        rethrowIfFatal(ex);
        onError(ClientError.LISTENER_FAILED, "the listener's " + method + " threw " + ex);
    }

    private static void rethrowIfFatal(final Throwable ex)
    {
        if (ex instanceof VirtualMachineError)
        {
            throw (VirtualMachineError)ex;
        }
    }
}

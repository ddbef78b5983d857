package io.tickgate.client;

/**
 * The application's listener, with what its methods throw caught and reported as
 * {@link ClientError#LISTENER_FAILED} instead of escaping into the client's receive path, where it would drop
 * the connection and blame the network (and, thrown on every update, reconnect without end). A throw from
 * {@code onError} itself is dropped: there is nowhere left to report it.
 */
final class GuardedListener implements TickgateListener
{
    private final TickgateListener delegate;

    GuardedListener(final TickgateListener delegate)
    {
        this.delegate = delegate;
    }

    @Override
    public void onUpdate(final MarketData data, final boolean snapshot)
    {
        try
        {
            delegate.onUpdate(data, snapshot);
        }
        catch (final RuntimeException ex)
        {
            failed("onUpdate for " + data.symbol(), ex);
        }
    }

    @Override
    public void onFrame(final int kind, final int entries)
    {
        try
        {
            delegate.onFrame(kind, entries);
        }
        catch (final RuntimeException ex)
        {
            failed("onFrame", ex);
        }
    }

    @Override
    public void onStatus(final ConnectionStatus status, final String detail)
    {
        try
        {
            delegate.onStatus(status, detail);
        }
        catch (final RuntimeException ex)
        {
            failed("onStatus", ex);
        }
    }

    @Override
    public void onError(final ClientError error, final String message)
    {
        try
        {
            delegate.onError(error, message);
        }
        catch (final RuntimeException ignored)
        {
            // Reporting it would call onError again.
        }
    }

    private void failed(final String method, final RuntimeException ex)
    {
        onError(ClientError.LISTENER_FAILED, "the listener's " + method + " threw " + ex);
    }
}

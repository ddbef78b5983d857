package io.tickgate.client;

/**
 * Where a {@link TickgateClient}'s connection stands; reported through {@link TickgateListener#onStatus}.
 */
public enum ConnectionStatus
{
    /** The first connection attempt is under way. */
    CONNECTING,
    /** The WebSocket is open; subscriptions have been (re)sent. */
    CONNECTED,
    /** The connection was lost or never made; the next attempt waits for the backoff delay. */
    RECONNECTING,
    /** {@link TickgateClient#close()} was called; nothing more happens. */
    CLOSED
}

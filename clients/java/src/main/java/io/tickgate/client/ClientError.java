package io.tickgate.client;

/**
 * What went wrong, as reported through {@link TickgateListener#onError}. None of these stops the client.
 */
public enum ClientError
{
    /** A binary frame's {@code frameSeq} was not the previous one plus 1; the client reconnects to resync. */
    FRAME_GAP,
    /**
     * An entry's {@code seq} was not above the one held for its symbol (below it, for a SNAPSHOT, which may restate
     * the held value); the entry is dropped.
     */
    SEQ_REGRESSION,
    /** No frame for the watchdog interval (3 heartbeat intervals); the client reconnects. */
    WATCHDOG_TIMEOUT,
    /** A binary frame of the wrong version, kind or length, or a text message that is not a reply. */
    MALFORMED_MESSAGE,
    /**
     * A symbol the gateway would not subscribe ({@code UNKNOWN_SYMBOL} is retried, others are not); the message is
     * {@code SYMBOL: REASON}, once per symbol until its reason changes.
     */
    SYMBOL_REJECTED,
    /** The gateway answered a request with an {@code error} reply. */
    REQUEST_FAILED,
    /** A connection attempt failed or an open connection closed; the client reconnects. */
    CONNECTION_LOST,
    /**
     * A listener method threw; the message names the method and the exception. The client goes on: the value was
     * applied, the connection stays.
     */
    LISTENER_FAILED
}

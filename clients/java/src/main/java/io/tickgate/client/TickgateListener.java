package io.tickgate.client;

/**
 * Callbacks from a {@link TickgateClient}. Every method has an empty default, so implement only what you need.
 * <p>
 * Methods are called one at a time, with the client's monitor held, on the WebSocket's callback thread or on
 * {@code tickgate-client-timer}; a callback may call the client's methods but must not block, since frames wait
 * behind it. What a callback throws, {@link Error}s such as a failed {@code assert} included, is reported as
 * {@link ClientError#LISTENER_FAILED} and the client goes on (a throw from {@link #onError} is dropped); only a
 * {@link VirtualMachineError} (out of memory, stack overflow) is thrown on.
 */
public interface TickgateListener
{
    /**
     * A symbol's value changed. {@code data} is the client's own, reused object: read it here, or copy it with
     * {@link MarketData#copyFrom}; it is not safe to keep and read from another thread.
     *
     * @param data     the symbol's latest value; {@link MarketData#hasValue()} is false when a snapshot had none.
     * @param snapshot true when the entry came in a SNAPSHOT frame (after a subscribe or a reconnect).
     */
    default void onUpdate(final MarketData data, final boolean snapshot)
    {
    }

    /**
     * A whole binary frame was applied (after its {@link #onUpdate} calls): a place to redraw once per frame.
     *
     * @param kind    {@code FrameDescriptor.KIND_UPDATE}, {@code KIND_SNAPSHOT} or {@code KIND_HEARTBEAT}.
     * @param entries the number of entries the frame held.
     */
    default void onFrame(final int kind, final int entries)
    {
    }

    /**
     * The connection's status changed; {@code CLOSED} is the last call a listener gets.
     *
     * @param detail what happened, for people ("reconnecting in 180 ms", "closed by the gateway: 1001 going away").
     */
    default void onStatus(final ConnectionStatus status, final String detail)
    {
    }

    /**
     * Something went wrong; the client goes on (see {@link ClientError} for what it does about each).
     *
     * @param message what happened, for people.
     */
    default void onError(final ClientError error, final String message)
    {
    }
}

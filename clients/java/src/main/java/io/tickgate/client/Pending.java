package io.tickgate.client;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * A request waiting for its reply: what to complete when it comes, and what to undo if the gateway refuses it.
 * <p>
 * Not thread-safe: its fields are written and read only with the client's monitor, {@link ClientConductor#lock}, held.
 */
final class Pending
{
    final List<Subscriber> subscribers = new ArrayList<>(1);
    /** Completes when the gateway has answered an unsubscribe; the call resolves with what the client held. */
    CompletableFuture<Void> unsubscribed;
    List<String> names = List.of();
    /** Names a subscribe made wanted, to forget if the gateway refuses the whole request. */
    List<String> added = List.of();
    /** What an unsubscribe took from the wanted symbols, to hold again if the gateway refuses the request. */
    List<MarketData> forgotten = List.of();
    CompletableFuture<Integer> throttled;
    int maxRateHz;
    CompletableFuture<Long> pong;
    boolean retry;

    /**
     * The connection went before the reply came. Subscribes are answered by the resubscribe on the next
     * connection; unsubscribe and throttle already hold in the client's wanted state, which that resubscribe
     * sends; a ping has no answer.
     */
    void connectionLost(final List<Subscriber> awaitingConnection)
    {
        awaitingConnection.addAll(subscribers);
        if (null != unsubscribed)
        {
            unsubscribed.complete(null);
        }
        if (null != throttled)
        {
            throttled.complete(maxRateHz);
        }
        if (null != pong)
        {
            pong.completeExceptionally(new RequestFailedException("NOT_CONNECTED", "connection lost"));
        }
    }

    void fail(final RuntimeException failure)
    {
        subscribers.forEach(subscriber -> subscriber.future().completeExceptionally(failure));
        for (final CompletableFuture<?> future : new CompletableFuture<?>[] { unsubscribed, throttled, pong })
        {
            if (null != future)
            {
                future.completeExceptionally(failure);
            }
        }
    }
}

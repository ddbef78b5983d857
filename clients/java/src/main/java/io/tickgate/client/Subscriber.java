package io.tickgate.client;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

/**
 * A subscribe call's future and the names it asked for. A reply may answer more than them: the resubscribe on a
 * new connection carries the names of every call made while disconnected (or cut off by the lost connection),
 * and the whole wanted set besides. Each call learns only about its own names.
 * <p>
 * Immutable; answered with the client's monitor, {@link ClientConductor#lock}, held. The replies to a request sent
 * in parts are joined on the thread that answers the last part, which holds the monitor too.
 */
record Subscriber(CompletableFuture<SubscribeResult> future, Set<String> names)
{
    void answer(final SubscribeResult reply)
    {
        final List<String> accepted = reply.accepted().stream().filter(names::contains).toList();
        final Map<String, String> rejected = new HashMap<>(reply.rejected());
        rejected.keySet().retainAll(names);
        future.complete(new SubscribeResult(accepted, rejected));
    }
}

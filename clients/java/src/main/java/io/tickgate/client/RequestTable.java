package io.tickgate.client;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;

/**
 * The requests sent and not yet answered, by id, and the subscribe calls waiting for a connection to be answered
 * on: it sends requests (split within the gateway's limits), hands a reply its {@link Pending}, carries what a
 * lost connection cut off over to the resubscribe on the next one, and fails everything on close.
 * <p>
 * Not thread-safe: guarded by the client's monitor, {@link ClientConductor#lock}, like the connection it sends
 * on.
 */
final class RequestTable
{
    /** {@code {"op":"subscribe","id":<19 digits>,"symbols":[]}} and some room. */
    private static final int REQUEST_OVERHEAD_BYTES = 64;

    /**
     * The client's current connection, read at each send: a send that fails at once drops the connection on this
     * thread, and the next part of the same request must see that, as it did when this was inline in the client.
     */
    private final Supplier<Connection> connection;
    private final HashMap<Long, Pending> pending = new HashMap<>();
    private final ArrayList<Subscriber> awaitingConnection = new ArrayList<>();
    /**
     * Names subscribes made wanted while no connection was open (or whose request the connection took down): the
     * resubscribe on the next connection carries them, and forgets them if it is refused as a whole.
     */
    private final Set<String> addedAwaitingConnection = new HashSet<>();
    private long nextRequestId = 1;
    /** The rate last asked for, sent again on every new connection; -1 until one is asked for. */
    private int throttleHz = -1;

    RequestTable(final Supplier<Connection> connection)
    {
        this.connection = connection;
    }

    /**
     * Whether requests can go out now: the client has a connection and it has opened.
     */
    boolean isConnected()
    {
        final Connection current = connection.get();
        return null != current && current.isOpen();
    }

    /**
     * The request a reply answers, taken out of the table; null for none (a request the table no longer holds).
     */
    Pending remove(final long id)
    {
        return pending.remove(id);
    }

    /**
     * A subscribe made while no connection is open: answered by the resubscribe on the next connection, whose
     * refusal forgets {@code added}.
     */
    void awaitConnection(final Subscriber subscriber, final Collection<String> added)
    {
        awaitingConnection.add(subscriber);
        addedAwaitingConnection.addAll(added);
    }

    /**
     * A new connection: sends {@code wanted} (if any) and answers the subscribe calls that waited for it with the
     * reply (with nothing wanted, answers them at once with nothing), then sends the throttle, if one was asked for.
     */
    void resubscribe(final List<String> wanted)
    {
        if (!wanted.isEmpty())
        {
            subscribe(wanted, addedAwaitingConnection, new ArrayList<>(awaitingConnection));
        }
        else
        {
            awaitingConnection.forEach(subscriber -> subscriber.answer(new SubscribeResult(List.of(), Map.of())));
        }
        awaitingConnection.clear();
        addedAwaitingConnection.clear();
        if (throttleHz >= 0)
        {
            send("throttle", null, throttleHz);
        }
    }

    /**
     * Sends a subscribe for {@code names} in parts, and answers {@code subscribers} with the replies to all of
     * them; a part refused as a whole forgets those of its names that are in {@code added}.
     */
    void subscribe(final List<String> names, final Set<String> added, final List<Subscriber> subscribers)
    {
        final List<Pending> requests = sendInParts("subscribe", names);
        for (final Pending request : requests)
        {
            request.added = request.names.stream().filter(added::contains).toList();
        }
        answerWhenAllReply(requests, subscribers);
    }

    /**
     * Sends an unsubscribe for {@code held} in parts; the future completes with {@code held} once every part is
     * answered. A part refused as a whole holds its names' {@code removed} values again.
     */
    CompletableFuture<List<String>> unsubscribe(final List<String> held, final Map<String, MarketData> removed)
    {
        final List<CompletableFuture<Void>> parts = new ArrayList<>();
        for (final Pending request : sendInParts("unsubscribe", held))
        {
            request.forgotten = request.names.stream().map(removed::get).toList();
            request.unsubscribed = new CompletableFuture<>();
            parts.add(request.unsubscribed);
        }
        return CompletableFuture.allOf(parts.toArray(new CompletableFuture<?>[0])).thenApply(ignored -> held);
    }

    /**
     * Keeps {@code maxRateHz} for every new connection and, if one is open, sends it now; the future completes with
     * the gateway's reply, or at once while disconnected.
     */
    CompletableFuture<Integer> throttle(final int maxRateHz)
    {
        throttleHz = maxRateHz;
        if (!isConnected())
        {
            return CompletableFuture.completedFuture(maxRateHz);
        }
        final Pending request = send("throttle", null, maxRateHz);
        request.maxRateHz = maxRateHz;
        request.throttled = new CompletableFuture<>();
        return request.throttled;
    }

    CompletableFuture<Long> ping()
    {
        final Pending request = send("ping", null, -1);
        request.pong = new CompletableFuture<>();
        return request.pong;
    }

    /**
     * The connection went: requests in flight are carried over to the next one (see
     * {@link Pending#connectionLost}).
     */
    void connectionLost()
    {
        for (final Pending request : pending.values())
        {
            request.connectionLost(awaitingConnection);
            addedAwaitingConnection.addAll(request.added);
        }
        pending.clear();
    }

    /**
     * The client closed: every request in flight and every subscribe waiting for a connection fails.
     */
    void failAll(final RequestFailedException failure)
    {
        for (final Pending request : pending.values())
        {
            request.fail(failure);
        }
        pending.clear();
        awaitingConnection.forEach(subscriber -> subscriber.future().completeExceptionally(failure));
        awaitingConnection.clear();
        addedAwaitingConnection.clear();
    }

    /**
     * Sends {@code op} (subscribe or unsubscribe) for {@code names} in as many requests as the gateway's limits need
     * (symbols and bytes per request).
     */
    List<Pending> sendInParts(final String op, final List<String> names)
    {
        final List<Pending> requests = new ArrayList<>();
        int from = 0;
        int bytes = REQUEST_OVERHEAD_BYTES;
        for (int i = 0; i < names.size(); i++)
        {
            final int nameBytes = ControlMessageCodec.nameBytes(names.get(i));
            if (i > from && (i - from == TickgateClient.MAX_SYMBOLS_PER_REQUEST ||
                bytes + nameBytes > TickgateClient.MAX_REQUEST_BYTES))
            {
                requests.add(sendPart(op, names.subList(from, i)));
                from = i;
                bytes = REQUEST_OVERHEAD_BYTES;
            }
            bytes += nameBytes;
        }
        requests.add(sendPart(op, names.subList(from, names.size())));
        return requests;
    }

    private Pending sendPart(final String op, final List<String> names)
    {
        final Pending request = send(op, names, -1);
        request.names = List.copyOf(names);
        return request;
    }

    /**
     * Sends a request on the open connection, after any send still under way (the JDK WebSocket allows one).
     */
    Pending send(final String op, final Collection<String> names, final int maxRateHz)
    {
        final Connection current = connection.get();
        final long id = nextRequestId++;
        final String json = ControlMessageCodec.encodeRequest(op, id, names, maxRateHz);
        final Pending request = new Pending();
        pending.put(id, request);
        current.enqueue(op, webSocket -> webSocket.sendText(json, true));
        return request;
    }

    /**
     * Answers {@code subscribers} with the replies to all of {@code requests} together, each with its own names, or
     * fails them with the first refusal.
     */
    private static void answerWhenAllReply(final List<Pending> requests, final List<Subscriber> subscribers)
    {
        if (subscribers.isEmpty())
        {
            return;
        }
        if (1 == requests.size())
        {
            requests.get(0).subscribers.addAll(subscribers);
            return;
        }
        final List<CompletableFuture<SubscribeResult>> parts = new ArrayList<>();
        for (final Pending request : requests)
        {
            // A part cut off by a lost connection is answered by the resubscribe, whose reply holds every wanted
            // name: each part takes only its request's names, so the parts together name each once.
            final Subscriber part = new Subscriber(new CompletableFuture<>(), Set.copyOf(request.names));
            request.subscribers.add(part);
            parts.add(part.future());
        }
        CompletableFuture.allOf(parts.toArray(new CompletableFuture<?>[0])).whenComplete((ignored, failure) ->
        {
            if (null != failure)
            {
                subscribers.forEach(subscriber -> subscriber.future().completeExceptionally(failure));
                return;
            }
            final Set<String> accepted = new LinkedHashSet<>();
            final Map<String, String> rejected = new LinkedHashMap<>();
            for (final CompletableFuture<SubscribeResult> part : parts)
            {
                accepted.addAll(part.join().accepted());
                rejected.putAll(part.join().rejected());
            }
            final SubscribeResult result = new SubscribeResult(List.copyOf(accepted), rejected);
            subscribers.forEach(subscriber -> subscriber.answer(result));
        });
    }
}

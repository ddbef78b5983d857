package io.tickgate.client;

import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * Everything behind {@link TickgateClient}'s public methods: the one connection at a time and its lifecycle (open,
 * drop, reconnect after a backoff), the messages that arrive on it, and the requests the application makes. It
 * wires the roles: {@link SymbolTable} for the wanted symbols, {@link RequestTable} for requests in flight,
 * {@link ReplyAdapter} for text replies, {@link FrameAdapter} for binary frames, {@link ClientTimer} for the
 * watchdog, retries and reconnect delays.
 * <p>
 * Thread-safe: all of its state, and its collaborators', is guarded by {@link #lock}, taken by application threads
 * in the public methods, by the WebSocket's callback threads ({@link Connection}) and by
 * {@code tickgate-client-timer}; listener methods run with it held.
 */
final class ClientConductor
{
    /** The monitor that guards all of the client's state, its connections' and collaborators' included. */
    final Object lock = new Object();
    private final TickgateClient.Context ctx;
    private final GuardedListener listener;
    private final ClientTimer timer;

    // Everything below is guarded by lock.
    private final FrameAdapter adapter;
    private final Backoff backoff;
    private final SymbolTable symbols;
    private final RequestTable requests = new RequestTable(() -> this.connection);
    private final ReplyAdapter replies;
    private final MessageAssembler assembler;
    private Connection connection;
    private long generation;
    private ConnectionStatus status = ConnectionStatus.CONNECTING;
    private long connectionsOpened;
    private long reconnects;
    private boolean closed;

    ClientConductor(final TickgateClient.Context ctx)
    {
        this.ctx = ctx;
        this.listener = new GuardedListener(ctx.listener);
        this.adapter = new FrameAdapter(listener);
        this.backoff = new Backoff(ctx.reconnectInitialDelayNs, ctx.reconnectMaxDelayNs);
        this.symbols = new SymbolTable(adapter);
        this.assembler = new MessageAssembler(adapter);
        this.timer = new ClientTimer(this, ctx, listener, symbols, requests);
        this.replies = new ReplyAdapter(listener, adapter, symbols, requests, timer);
    }

    /**
     * Starts the timer and the first connection attempt. If that throws (the listener's VirtualMachineError), what
     * has started is stopped first: the caller gets no client to close.
     */
    void start()
    {
        boolean started = false;
        try
        {
            timer.start();
            synchronized (lock)
            {
                setStatus(ConnectionStatus.CONNECTING, "connecting to " + ctx.uri);
                if (!closed)
                {
                    openConnection();
                }
            }
            started = true;
        }
        finally
        {
            if (!started)
            {
                abandon();
            }
        }
    }

    CompletableFuture<SubscribeResult> subscribe(final String[] names)
    {
        final CompletableFuture<SubscribeResult> future = new CompletableFuture<>();
        synchronized (lock)
        {
            if (closed)
            {
                return closedFailure();
            }
            final Set<String> asked = Set.copyOf(Arrays.asList(names));
            final List<String> added = symbols.add(names);
            if (isOpen())
            {
                requests.subscribe(List.of(names), new HashSet<>(added), List.of(new Subscriber(future, asked)));
            }
            else
            {
                requests.awaitConnection(new Subscriber(future, asked), added);
            }
        }
        return future;
    }

    CompletableFuture<List<String>> unsubscribe(final String[] names)
    {
        synchronized (lock)
        {
            if (closed)
            {
                return closedFailure();
            }
            final Map<String, MarketData> removed = symbols.remove(names, connection);
            // What the client held, as requested: the gateway's reply lists only what its session held, which
            // leaves out names it rejected (say, unknown) although the client wanted them until now.
            final List<String> held = List.copyOf(removed.keySet());
            if (!isOpen() || held.isEmpty())
            {
                return CompletableFuture.completedFuture(held);
            }
            return requests.unsubscribe(held, removed);
        }
    }

    CompletableFuture<Integer> throttle(final int maxRateHz)
    {
        synchronized (lock)
        {
            if (closed)
            {
                return closedFailure();
            }
            return requests.throttle(maxRateHz);
        }
    }

    CompletableFuture<Long> ping()
    {
        synchronized (lock)
        {
            if (closed)
            {
                return closedFailure();
            }
            if (!isOpen())
            {
                return CompletableFuture.failedFuture(new RequestFailedException("NOT_CONNECTED", "not connected"));
            }
            return requests.ping();
        }
    }

    /**
     * A request after {@link #close()}: nothing is sent and nothing changes.
     */
    private static <T> CompletableFuture<T> closedFailure()
    {
        return CompletableFuture.failedFuture(new RequestFailedException("CLOSED", "client is closed"));
    }

    boolean read(final String symbol, final MarketData into)
    {
        synchronized (lock)
        {
            return symbols.read(symbol, into);
        }
    }

    List<String> symbols()
    {
        synchronized (lock)
        {
            return List.copyOf(symbols.names());
        }
    }

    ConnectionStatus status()
    {
        synchronized (lock)
        {
            return status;
        }
    }

    TickgateClient.Counters counters()
    {
        synchronized (lock)
        {
            return new TickgateClient.Counters(adapter.frames(), adapter.entries(), adapter.heartbeats(),
                adapter.frameGaps(), adapter.seqRegressions(), adapter.malformedFrames(), connectionsOpened,
                reconnects, timer.watchdogTimeouts());
        }
    }

    /**
     * See {@link TickgateClient#close()}.
     */
    void close()
    {
        try
        {
            synchronized (lock)
            {
                if (closed)
                {
                    return;
                }
                closed = true;
                final Connection current = connection;
                connection = null;
                if (null != current)
                {
                    current.closeNormally();
                }
                final RequestFailedException failure = new RequestFailedException("CLOSED", "client closed");
                requests.failAll(failure);
                adapter.stop();
                status = ConnectionStatus.CLOSED;
                listener.close("closed by the application");
            }
        }
        finally
        {
            // Whatever escaped above (the listener's VirtualMachineError), the timer thread must not outlive close.
            timer.shutdown();
        }
    }

    /**
     * Stops a client that {@link #start} could not finish starting: no new attempt, the one under way aborted
     * when it opens, and the timer thread ended. Nothing is reported; the listener is what failed.
     */
    private void abandon()
    {
        try
        {
            synchronized (lock)
            {
                closed = true;
                connection = null;
            }
        }
        finally
        {
            timer.shutdown();
        }
    }

    /**
     * The current connection if it has opened and the client is not closed, else null; for the timer's checks.
     */
    Connection liveConnection()
    {
        return closed || null == connection || !connection.isOpen() ? null : connection;
    }

    private boolean isOpen()
    {
        return null != connection && connection.isOpen();
    }

    private void openConnection()
    {
        final Connection attempt = new Connection(this, ++generation);
        connection = attempt;
        final long startNs = System.nanoTime();
        SharedHttpClient.INSTANCE.newWebSocketBuilder()
            .connectTimeout(Duration.ofNanos(ctx.connectTimeoutNs))
            .buildAsync(ctx.uri, attempt)
            .whenComplete((ws, ex) ->
            {
                if (null != ex)
                {
                    synchronized (lock)
                    {
                        drop(attempt, ClientError.CONNECTION_LOST, "cannot connect to " + ctx.uri + ": " +
                            FailureReason.notOpened(ex, System.nanoTime() - startNs, ctx.connectTimeoutNs));
                    }
                }
            });
    }

    /**
     * Forgets a connection that failed, closed, stalled or lost a frame, and schedules the next attempt.
     */
    void drop(final Connection lost, final ClientError error, final String reason)
    {
        if (closed || lost != connection)
        {
            return;
        }
        // Cleared before the abort, so any callback the abort still causes sees a stale connection.
        connection = null;
        lost.abort();
        requests.connectionLost();
        timer.connectionLost();
        listener.onError(error, reason);

        final long delayNs = backoff.nextDelayNs();
        setStatus(ConnectionStatus.RECONNECTING,
            reason + "; reconnecting in " + TimeUnit.NANOSECONDS.toMillis(delayNs) + " ms");
        if (!closed) // the listener may have closed the client in either call, and with it the timer
        {
            timer.scheduleReconnect(delayNs);
        }
    }

    /**
     * Runs on {@code tickgate-client-timer} once a reconnect delay has passed.
     */
    void reconnect()
    {
        synchronized (lock)
        {
            if (!closed && null == connection)
            {
                openConnection();
            }
        }
    }

    void onOpen(final Connection opened, final WebSocket webSocket)
    {
        if (closed || opened != connection)
        {
            webSocket.abort();
            return;
        }
        opened.opened(webSocket);
        adapter.reset();
        assembler.reset();
        connectionsOpened++;
        if (connectionsOpened > 1)
        {
            reconnects++;
        }
        setStatus(ConnectionStatus.CONNECTED, (connectionsOpened > 1 ? "reconnected to " : "connected to ") +
            ctx.uri + (connectionsOpened > 1 ? " (reconnect " + reconnects + ")" : ""));
        if (closed)
        {
            return; // by the listener, just now
        }

        requests.resubscribe(symbols.names());
        timer.connectionOpened(System.nanoTime());
    }

    /**
     * A binary message, or part of one; decoded in place when it comes whole, else once its last part is in.
     *
     * @return whether to ask for the next message: false once the connection is not the current one.
     */
    boolean onBinary(final Connection from, final ByteBuffer data, final boolean last)
    {
        if (from != connection)
        {
            return false;
        }
        from.lastMessageNs = System.nanoTime();
        final int result = assembler.onBinary(data, last);
        if (MessageAssembler.INCOMPLETE == result)
        {
            return true;
        }
        if (!from.working)
        {
            // The session works end to end: the next failure starts the backoff from the beginning.
            from.working = true;
            backoff.reset();
        }
        if (FrameAdapter.GAP == result)
        {
            drop(from, ClientError.CONNECTION_LOST, "resyncing after a frameSeq gap");
            return false;
        }
        return true;
    }

    /**
     * A text message, or part of one; handled as a reply once its last part is in.
     *
     * @return whether to ask for the next message: false once the connection is not the current one.
     */
    boolean onText(final Connection from, final CharSequence data, final boolean last)
    {
        if (from != connection)
        {
            return false;
        }
        from.lastMessageNs = System.nanoTime();
        final String message = assembler.onText(data, last);
        if (null != message)
        {
            replies.onReply(message, from.generation);
        }
        return true;
    }

    /**
     * Reports a status other than CLOSED, which only {@link #close()} reports; none once closed.
     */
    private void setStatus(final ConnectionStatus newStatus, final String detail)
    {
        if (closed)
        {
            return;
        }
        status = newStatus;
        listener.onStatus(newStatus, detail);
    }
}

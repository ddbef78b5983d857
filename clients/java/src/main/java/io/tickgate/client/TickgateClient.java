package io.tickgate.client;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.agrona.ExpandableArrayBuffer;
import org.agrona.concurrent.UnsafeBuffer;

import java.io.IOException;
import java.net.URI;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * A Tickgate client on the JDK's {@code java.net.http} WebSocket: subscribes to symbols, keeps each symbol's
 * latest value, and keeps doing so across lost connections.
 * <ul>
 *   <li><b>Snapshot.</b> Each {@code subscribed} reply is followed by a SNAPSHOT; it is the truth for the symbols
 *   it answers, including that a symbol left out has no value.</li>
 *   <li><b>Reconnect.</b> A closed or failed connection is retried after a capped exponential backoff with
 *   jitter; the new session is sent every wanted symbol and the throttle again, and its SNAPSHOT replaces what
 *   the old session left, whatever its seq (a restarted gateway starts seq and sids afresh).</li>
 *   <li><b>Checks.</b> A missed {@code frameSeq} is reported and resynced by reconnecting (a TCP stream should
 *   never lose a frame, so the session's state is not trusted); an entry whose {@code seq} does not increase is
 *   reported and dropped.</li>
 *   <li><b>Watchdog.</b> No message for 3 heartbeat intervals means a dead connection: it is reported, aborted
 *   and retried.</li>
 *   <li><b>Unknown symbols.</b> {@code UNKNOWN_SYMBOL} rejections are retried, since a gateway that has just
 *   restarted learns its symbols only when the feed repeats its definitions: after a few seconds, then less and
 *   less often while none is accepted, so names that never will be (typos) cost little.</li>
 * </ul>
 * Thread-safe: public methods may be called from any thread. All state is guarded by one monitor, held by the
 * WebSocket's callback thread while it handles a message and by {@code tickgate-client-timer} for the watchdog,
 * reconnects and retries; listener callbacks run with it held, one at a time.
 */
public final class TickgateClient implements AutoCloseable
{
    private static final String UNKNOWN_SYMBOL = "UNKNOWN_SYMBOL";
    private static final String LIMIT_EXCEEDED = "LIMIT_EXCEEDED";
    /** The gateway's limit on one text message (docs/protocol.md 1.2); a longer one is answered without its id. */
    static final int MAX_REQUEST_BYTES = 65_536;
    /**
     * The gateway's limit on names in one subscribe or unsubscribe; longer lists are split to stay within it.
     */
    static final int MAX_SYMBOLS_PER_REQUEST = 4_096;

    /** The monitor that guards all of the client's state, its connections' included. */
    final Object lock = new Object();
    private final Context ctx;
    private final GuardedListener listener;
    private final ScheduledExecutorService timer;

    // Everything below is guarded by lock.
    private final FrameAdapter adapter;
    private final Backoff backoff;
    private final LinkedHashMap<String, MarketData> symbols = new LinkedHashMap<>();
    private final RequestTable requests = new RequestTable(() -> this.connection);
    private final ExpandableArrayBuffer assembly = new ExpandableArrayBuffer(64 * 1024);
    private final UnsafeBuffer view = new UnsafeBuffer(new byte[0]);
    private final StringBuilder text = new StringBuilder();
    private int assembled;
    private Connection connection;
    private long generation;
    private ConnectionStatus status = ConnectionStatus.CONNECTING;
    private int throttleHz = -1;
    private long connectionsOpened;
    private long reconnects;
    private long watchdogTimeouts;
    private long lastRetryNs;
    /** Wait before the next unknown-symbol retry: doubles per retry, back to the configured one on acceptance. */
    private long unknownRetryIntervalNs;
    private boolean retryInFlight;
    private boolean closed;

    private TickgateClient(final Context ctx)
    {
        this.ctx = ctx;
        this.listener = new GuardedListener(ctx.listener);
        this.adapter = new FrameAdapter(listener);
        this.backoff = new Backoff(ctx.reconnectInitialDelayNs, ctx.reconnectMaxDelayNs);
        this.unknownRetryIntervalNs = ctx.unknownSymbolRetryNs;
        this.timer = Executors.newSingleThreadScheduledExecutor(task -> daemon(task, "tickgate-client-timer"));
    }

    static Thread daemon(final Runnable task, final String name)
    {
        final Thread thread = new Thread(task, name);
        thread.setDaemon(true);
        return thread;
    }

    /**
     * Creates a client and starts connecting; it returns at once, and the connection's progress is reported
     * through the listener.
     */
    public static TickgateClient connect(final Context ctx)
    {
        ctx.conclude();
        final TickgateClient client = new TickgateClient(ctx);
        boolean started = false;
        try
        {
            final long periodNs = Math.max(TimeUnit.MILLISECONDS.toNanos(5), ctx.heartbeatIntervalNs / 4);
            client.timer.scheduleAtFixedRate(client::onTimer, periodNs, periodNs, TimeUnit.NANOSECONDS);
            synchronized (client.lock)
            {
                client.setStatus(ConnectionStatus.CONNECTING, "connecting to " + ctx.uri);
                if (!client.closed)
                {
                    client.openConnection();
                }
            }
            started = true;
        }
        finally
        {
            if (!started)
            {
                // The caller gets no client to close: what has started must not outlive this call.
                client.abandon();
            }
        }
        return client;
    }

    /**
     * Whether {@code name} can be a symbol: 1 to 16 printable ASCII characters ({@code !} to {@code ~}), what the
     * feed protocol allows. Any other name could never be subscribed, and would be asked for on every retry.
     */
    public static boolean isSymbolName(final String name)
    {
        if (null == name || name.isEmpty() || name.length() > 16)
        {
            return false;
        }
        for (int i = 0; i < name.length(); i++)
        {
            final char c = name.charAt(i);
            if (c < '!' || c > '~')
            {
                return false;
            }
        }
        return true;
    }

    /**
     * The one line that says why {@code name} is refused by {@link #isSymbolName}, as {@link #subscribe} and
     * {@link #unsubscribe} word it; for an application that checks names itself (as {@code tickgate watch} does
     * its arguments) and wants the client's words.
     */
    public static String notASymbolName(final String name)
    {
        return "not a symbol name (1 to 16 printable ASCII characters, ! to ~): '" + name + "'";
    }

    /**
     * Adds symbols. The future completes with the gateway's {@code subscribed} reply about this call's names; while
     * disconnected, with what the resubscribe's reply says about them once connected (that reply answers for every
     * wanted name, this call's only are taken). A long list goes in as many requests as the gateway's limits need,
     * and the future completes with their replies together; if the gateway refuses one as a whole, the future fails
     * with its code and that request's names are no longer wanted.
     *
     * @throws IllegalArgumentException for a null array or a name that {@link #isSymbolName} refuses, before
     *                                  anything changes.
     */
    public CompletableFuture<SubscribeResult> subscribe(final String... names)
    {
        checkNames(names);
        final CompletableFuture<SubscribeResult> future = new CompletableFuture<>();
        synchronized (lock)
        {
            if (closed)
            {
                return closedFailure();
            }
            final Set<String> asked = Set.copyOf(Arrays.asList(names));
            final List<String> added = new ArrayList<>();
            for (final String name : names)
            {
                if (!symbols.containsKey(name))
                {
                    symbols.put(name, new MarketData(name));
                    added.add(name);
                }
            }
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

    /**
     * Removes symbols; once the gateway has answered, the future completes with the names the client held (wanted,
     * whether the gateway had accepted them or not), in the order asked, each once. Names are checked as
     * {@link #subscribe} checks them, with the same {@link IllegalArgumentException}. No update for them is reported
     * after this call returns. A long list goes in as many requests as the gateway's limits need; if the gateway
     * refuses one as a whole, the future fails with its code and that request's names are held again, as at the
     * gateway.
     */
    public CompletableFuture<List<String>> unsubscribe(final String... names)
    {
        checkNames(names);
        synchronized (lock)
        {
            if (closed)
            {
                return closedFailure();
            }
            final Map<String, MarketData> removed = new LinkedHashMap<>();
            for (final String name : names)
            {
                final MarketData data = symbols.remove(name);
                if (null != data)
                {
                    // A sid is only this session's if this session accepted the symbol; an older one may be reused.
                    if (null != connection && data.acceptedGeneration == connection.generation)
                    {
                        adapter.unbind(data.sid());
                    }
                    removed.put(name, data);
                }
            }
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

    /**
     * Limits entries per symbol per second for this client (0 = as fast as possible); kept across reconnects.
     */
    public CompletableFuture<Integer> throttle(final int maxRateHz)
    {
        if (maxRateHz < 0 || maxRateHz > 1_000_000)
        {
            throw new IllegalArgumentException("maxRateHz must be from 0 to 1000000: " + maxRateHz);
        }
        synchronized (lock)
        {
            if (closed)
            {
                return closedFailure();
            }
            throttleHz = maxRateHz;
            if (!isOpen())
            {
                return CompletableFuture.completedFuture(maxRateHz);
            }
            return requests.throttle(maxRateHz);
        }
    }

    /**
     * Asks the gateway for its clock; the future completes with {@code serverTime} in epoch nanoseconds.
     */
    public CompletableFuture<Long> ping()
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
     * Refuses, before anything changes, the arguments of a subscribe or an unsubscribe that could not be a list of
     * symbols: the same names for both, so that neither takes what the other refuses.
     */
    private static void checkNames(final String[] names)
    {
        if (null == names)
        {
            throw new IllegalArgumentException("names must not be null");
        }
        for (final String name : names)
        {
            if (!isSymbolName(name))
            {
                throw new IllegalArgumentException(null == name || name.isEmpty() ?
                    "a symbol name must be a non-empty string" :
                    notASymbolName(name));
            }
        }
    }

    /**
     * A request after {@link #close()}: nothing is sent and nothing changes.
     */
    private static <T> CompletableFuture<T> closedFailure()
    {
        return CompletableFuture.failedFuture(new RequestFailedException("CLOSED", "client is closed"));
    }

    /**
     * Copies the latest value of {@code symbol} into {@code into}; for reading from a thread other than the
     * listener's.
     *
     * @return false when the symbol is not subscribed.
     */
    public boolean read(final String symbol, final MarketData into)
    {
        synchronized (lock)
        {
            final MarketData data = symbols.get(symbol);
            if (null == data)
            {
                return false;
            }
            into.copyFrom(data);
            return true;
        }
    }

    /**
     * The wanted symbols, in the order they were first subscribed.
     */
    public List<String> symbols()
    {
        synchronized (lock)
        {
            return List.copyOf(symbols.keySet());
        }
    }

    public ConnectionStatus status()
    {
        synchronized (lock)
        {
            return status;
        }
    }

    /**
     * Reads the client's counters in one consistent copy.
     */
    public Counters counters()
    {
        synchronized (lock)
        {
            return new Counters(adapter.frames(), adapter.entries(), adapter.heartbeats(), adapter.frameGaps(),
                adapter.seqRegressions(), adapter.malformedFrames(), connectionsOpened, reconnects, watchdogTimeouts);
        }
    }

    /**
     * Closes the connection (code 1000) and stops reconnecting; pending requests fail with {@code CLOSED}, and so
     * does every request made after. {@code onStatus(CLOSED)} is the listener's last call: none comes after this
     * returns, whichever thread calls it; called from inside a listener method, the rest of what the client was
     * doing there (the frame's other entries, its {@code onFrame}, a reconnect) is neither applied nor reported.
     */
    @Override
    public void close()
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
            timer.shutdownNow();
        }
    }

    /**
     * Stops a client that {@link #connect} could not finish starting: no new attempt, the one under way aborted
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
            timer.shutdownNow();
        }
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
        retryInFlight = false;
        listener.onError(error, reason);

        final long delayNs = backoff.nextDelayNs();
        setStatus(ConnectionStatus.RECONNECTING,
            reason + "; reconnecting in " + TimeUnit.NANOSECONDS.toMillis(delayNs) + " ms");
        if (!closed) // the listener may have closed the client in either call, and with it the timer
        {
            timer.schedule(this::reconnect, delayNs, TimeUnit.NANOSECONDS);
        }
    }

    private void reconnect()
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
        assembled = 0;
        text.setLength(0);
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

        requests.resubscribe(new ArrayList<>(symbols.keySet()));
        if (throttleHz >= 0)
        {
            requests.send("throttle", null, throttleHz);
        }
        lastRetryNs = System.nanoTime();
        unknownRetryIntervalNs = ctx.unknownSymbolRetryNs;
    }

    boolean onBinary(final Connection from, final ByteBuffer data, final boolean last)
    {
        if (from != connection)
        {
            return false;
        }
        from.lastMessageNs = System.nanoTime();
        final int length = data.remaining();
        final int result;
        if (last && 0 == assembled)
        {
            view.wrap(data, data.position(), length);
            result = adapter.onFrame(view, 0, length);
        }
        else
        {
            assembly.putBytes(assembled, data, data.position(), length);
            assembled += length;
            if (!last)
            {
                return true;
            }
            result = adapter.onFrame(assembly, 0, assembled);
            assembled = 0;
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

    boolean onText(final Connection from, final CharSequence data, final boolean last)
    {
        if (from != connection)
        {
            return false;
        }
        from.lastMessageNs = System.nanoTime();
        text.append(data);
        if (last)
        {
            final String message = text.toString();
            text.setLength(0);
            onReply(message);
        }
        return true;
    }

    private void onReply(final String message)
    {
        final JsonNode reply;
        try
        {
            reply = ControlMessageCodec.decodeReply(message);
        }
        catch (final IOException ex)
        {
            listener.onError(ClientError.MALFORMED_MESSAGE,
                "text message is not JSON: " + FailureReason.describe(ex));
            return;
        }
        final Pending request = reply.hasNonNull("id") ? requests.remove(reply.get("id").asLong()) : null;
        switch (reply.path("op").asText(""))
        {
            case "subscribed" -> onSubscribed(reply, request);
            case "unsubscribed" ->
            {
                if (null != request && null != request.unsubscribed)
                {
                    request.unsubscribed.complete(null);
                }
            }
            case "throttled" ->
            {
                if (null != request && null != request.throttled)
                {
                    request.throttled.complete(reply.path("maxRateHz").asInt());
                }
            }
            case "pong" ->
            {
                if (null != request && null != request.pong)
                {
                    request.pong.complete(reply.path("serverTime").asLong());
                }
            }
            case "error" ->
            {
                final String code = reply.path("code").asText("UNKNOWN");
                final String text = reply.path("message").asText("");
                final long current = connection.generation; // the listener may close the client, and connection
                listener.onError(ClientError.REQUEST_FAILED, code + ": " + text);
                if (null != request)
                {
                    // A subscribe refused as a whole accepted none of its names: the ones it added are not wanted,
                    // or every resubscribe after a reconnect would carry them and be refused in turn.
                    for (final String name : request.added)
                    {
                        final MarketData data = symbols.get(name);
                        if (null != data && data.acceptedGeneration != current)
                        {
                            symbols.remove(name);
                        }
                    }
                    restoreForgotten(request.forgotten);
                    retryInFlight &= !request.retry;
                    request.fail(new RequestFailedException(code, text));
                }
            }
            default -> listener.onError(ClientError.MALFORMED_MESSAGE, "unexpected reply " + message);
        }
    }

    /**
     * An unsubscribe refused as a whole removed nothing at the gateway: its names are held again, unless subscribed
     * anew meanwhile, and asked for again. Updates that came while they were unbound were dropped, and one whose
     * subscribe was still in flight was never bound: the subscribe's reply binds them and its snapshot brings each
     * to the gateway's current value.
     */
    private void restoreForgotten(final List<MarketData> forgotten)
    {
        final List<String> again = new ArrayList<>();
        for (final MarketData data : forgotten)
        {
            if (null == symbols.putIfAbsent(data.symbol(), data))
            {
                again.add(data.symbol());
            }
        }
        if (!again.isEmpty() && isOpen())
        {
            requests.sendInParts("subscribe", again);
        }
    }

    private void onSubscribed(final JsonNode reply, final Pending request)
    {
        final long current = connection.generation;
        final List<String> accepted = new ArrayList<>();
        for (final JsonNode entry : reply.path("symbols"))
        {
            final String name = entry.path("symbol").asText();
            accepted.add(name);
            final MarketData data = symbols.get(name);
            if (null == data)
            {
                continue;   // unsubscribed while the request was in flight; its unsubscribe follows
            }
            final boolean fresh = data.acceptedGeneration != current;
            if (fresh)
            {
                data.forgetSeq();
            }
            if (UNKNOWN_SYMBOL.equals(data.rejectReason()))
            {
                // The gateway has learnt a symbol it did not know (its feed is defining them): others may follow.
                unknownRetryIntervalNs = ctx.unknownSymbolRetryNs;
            }
            data.accepted(entry.path("sid").asInt(), entry.path("priceScale").asInt(),
                entry.path("sizeScale").asInt(), current);
            adapter.bind(data.sid(), data, fresh);
        }
        final Map<String, String> rejected = new LinkedHashMap<>();
        for (final JsonNode entry : reply.path("rejected"))
        {
            final String name = entry.path("symbol").asText();
            final String reason = entry.path("reason").asText();
            rejected.put(name, reason);
            final MarketData data = symbols.get(name);
            if (null != data && data.acceptedGeneration != current)
            {
                final boolean firstTime = !reason.equals(data.rejectReason());
                data.rejected(reason);
                if (firstTime)
                {
                    listener.onError(ClientError.SYMBOL_REJECTED, name + ": " + reason);
                }
                if (data.hasValue())
                {
                    // This session has no value for it (say, a restarted gateway that has not heard of it yet):
                    // what an earlier session left is not the truth any more.
                    data.clearValue();
                    listener.onUpdate(data, true);
                }
                if (LIMIT_EXCEEDED.equals(reason))
                {
                    // Asking again cannot succeed, and would take room in every resubscribe.
                    symbols.remove(name);
                }
            }
        }
        if (null != request)
        {
            retryInFlight &= !request.retry;
            final SubscribeResult result = new SubscribeResult(accepted, rejected);
            request.subscribers.forEach(subscriber -> subscriber.answer(result));
        }
    }

    private void onTimer()
    {
        try
        {
            checkConnection();
        }
        catch (final RuntimeException ex)
        {
            // The guarded listener throws nothing but a VirtualMachineError, yet a periodic task that throws is
            // never run again, and the watchdog must outlive any one failed check.
        }
    }

    private void checkConnection()
    {
        synchronized (lock)
        {
            final Connection current = connection;
            if (closed || null == current || !current.isOpen())
            {
                return;
            }
            final long nowNs = System.nanoTime();
            final long silentNs = nowNs - current.lastMessageNs;
            if (silentNs > ctx.watchdogTimeoutNs())
            {
                watchdogTimeouts++;
                listener.onError(ClientError.WATCHDOG_TIMEOUT,
                    "no message for " + TimeUnit.NANOSECONDS.toMillis(silentNs) + " ms");
                drop(current, ClientError.CONNECTION_LOST, "watchdog: connection presumed dead");
                return;
            }
            if (silentNs > ctx.probeAfterNs())
            {
                // The JDK's WebSocket loses an end of stream it reads while a listener method runs (its transport
                // has no demand then), so a gateway gone without a close frame would wait for the watchdog. A
                // ping to a closed socket draws a reset, and the next one fails like any send.
                current.enqueue("a ping", webSocket -> webSocket.sendPing(ByteBuffer.allocate(0)));
            }
            if (!retryInFlight && nowNs - lastRetryNs > unknownRetryIntervalNs)
            {
                lastRetryNs = nowNs;
                retryUnknownSymbols();
            }
        }
    }

    /**
     * Asks again for the names the gateway called unknown. The wait before the next retry doubles, up to
     * {@link Context#unknownSymbolRetryMaxNs()}: thousands of names that are never defined (typos) would
     * otherwise be sent again every interval for as long as the client runs.
     */
    private void retryUnknownSymbols()
    {
        final List<String> unknown = new ArrayList<>();
        for (final MarketData data : symbols.values())
        {
            if (UNKNOWN_SYMBOL.equals(data.rejectReason()))
            {
                unknown.add(data.symbol());
            }
        }
        if (!unknown.isEmpty())
        {
            requests.sendInParts("subscribe", unknown).forEach(request -> request.retry = true);
            retryInFlight = true;
            final long maxNs = ctx.unknownSymbolRetryMaxNs();
            unknownRetryIntervalNs = unknownRetryIntervalNs > maxNs / 2 ? maxNs : unknownRetryIntervalNs * 2;
        }
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

    /**
     * The client's counters at one moment; {@code entries} counts every entry decoded, including dropped ones.
     */
    public record Counters(long frames, long entries, long heartbeats, long frameGaps, long seqRegressions,
        long malformedFrames, long connectionsOpened, long reconnects, long watchdogTimeouts)
    {
    }

    /**
     * What a client is started with. Fluent setters; ranges are checked once, by {@link TickgateClient#connect}.
     * Not thread-safe: fill it on one thread, then hand it to {@link TickgateClient#connect}, and leave it be: the
     * client reads it as it runs.
     */
    public static final class Context
    {
        URI uri = URI.create("ws://127.0.0.1:8080/ws");
        TickgateListener listener = new TickgateListener()
        {
        };
        long heartbeatIntervalNs = TimeUnit.SECONDS.toNanos(1);
        long reconnectInitialDelayNs = TimeUnit.MILLISECONDS.toNanos(100);
        long reconnectMaxDelayNs = TimeUnit.SECONDS.toNanos(10);
        long connectTimeoutNs = TimeUnit.SECONDS.toNanos(5);
        long unknownSymbolRetryNs = TimeUnit.SECONDS.toNanos(2);

        /**
         * The gateway's WebSocket endpoint, {@code ws://HOST:PORT/ws} (default {@code ws://127.0.0.1:8080/ws}).
         */
        public Context uri(final URI uri)
        {
            this.uri = uri;
            return this;
        }

        /**
         * Where the client reports what happens (default: a listener that ignores everything).
         */
        public Context listener(final TickgateListener listener)
        {
            this.listener = listener;
            return this;
        }

        /**
         * The gateway's {@code --heartbeat-ms} (1 s); the watchdog fires after 3 intervals without a message.
         */
        public Context heartbeatIntervalNs(final long heartbeatIntervalNs)
        {
            this.heartbeatIntervalNs = heartbeatIntervalNs;
            return this;
        }

        /**
         * First reconnect delay (100 ms); it doubles per failed attempt up to the maximum, with jitter.
         */
        public Context reconnectInitialDelayNs(final long delayNs)
        {
            this.reconnectInitialDelayNs = delayNs;
            return this;
        }

        /**
         * Cap of the reconnect delay (10 s).
         */
        public Context reconnectMaxDelayNs(final long delayNs)
        {
            this.reconnectMaxDelayNs = delayNs;
            return this;
        }

        /**
         * How long one connection attempt, TCP connect and WebSocket handshake, may take (5 s); one that runs out is
         * reported as timed out and retried like any failed attempt.
         */
        public Context connectTimeoutNs(final long timeoutNs)
        {
            this.connectTimeoutNs = timeoutNs;
            return this;
        }

        /**
         * How long after a connection opens symbols rejected as {@code UNKNOWN_SYMBOL} are first asked for again
         * (2 s). The wait doubles after each retry, up to 32 times this (64 s), and is back to this on a new
         * connection or when the gateway accepts a name it had called unknown.
         */
        public Context unknownSymbolRetryNs(final long retryNs)
        {
            this.unknownSymbolRetryNs = retryNs;
            return this;
        }

        /**
         * The longest wait between unknown-symbol retries: 32 times the first.
         */
        long unknownSymbolRetryMaxNs()
        {
            return unknownSymbolRetryNs > Long.MAX_VALUE / 32 ? Long.MAX_VALUE : unknownSymbolRetryNs * 32;
        }

        long watchdogTimeoutNs()
        {
            return 3 * heartbeatIntervalNs;
        }

        /**
         * Silence after which each check pings the gateway: half an interval past a missed heartbeat.
         */
        long probeAfterNs()
        {
            return heartbeatIntervalNs + heartbeatIntervalNs / 2;
        }

        /**
         * Checks the ranges; {@link TickgateClient#connect} calls it, before it starts anything.
         */
        Context conclude()
        {
            if (null == uri || !("ws".equals(uri.getScheme()) || "wss".equals(uri.getScheme())))
            {
                throw new IllegalArgumentException("uri must be ws://HOST:PORT/ws or wss://...: " + uri);
            }
            if (null == listener)
            {
                throw new IllegalArgumentException("listener must not be null");
            }
            positive("heartbeat interval", heartbeatIntervalNs);
            positive("initial reconnect delay", reconnectInitialDelayNs);
            positive("connect timeout", connectTimeoutNs);
            positive("unknown-symbol retry interval", unknownSymbolRetryNs);
            if (reconnectMaxDelayNs < reconnectInitialDelayNs)
            {
                throw new IllegalArgumentException("maximum reconnect delay is below the initial one");
            }
            return this;
        }

        private static void positive(final String what, final long valueNs)
        {
            if (valueNs <= 0)
            {
                throw new IllegalArgumentException(what + " must be positive: " + valueNs + " ns");
            }
        }
    }
}

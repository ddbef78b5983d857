package io.tickgate.client;

import java.net.URI;
import java.util.List;
import java.util.concurrent.CompletableFuture;
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
    /** The gateway's limit on one text message (docs/protocol.md 1.2); a longer one is answered without its id. */
    static final int MAX_REQUEST_BYTES = 65_536;
    /**
     * The gateway's limit on names in one subscribe or unsubscribe; longer lists are split to stay within it.
     */
    static final int MAX_SYMBOLS_PER_REQUEST = 4_096;

    /** Owns all of the client's state and guards it with its monitor; this class is the public face. */
    private final ClientConductor conductor;

    private TickgateClient(final Context ctx)
    {
        this.conductor = new ClientConductor(ctx);
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
        client.conductor.start();
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
        return conductor.subscribe(names);
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
        return conductor.unsubscribe(names);
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
        return conductor.throttle(maxRateHz);
    }

    /**
     * Asks the gateway for its clock; the future completes with {@code serverTime} in epoch nanoseconds.
     */
    public CompletableFuture<Long> ping()
    {
        return conductor.ping();
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
     * Copies the latest value of {@code symbol} into {@code into}; for reading from a thread other than the
     * listener's.
     *
     * @return false when the symbol is not subscribed.
     */
    public boolean read(final String symbol, final MarketData into)
    {
        return conductor.read(symbol, into);
    }

    /**
     * The wanted symbols, in the order they were first subscribed.
     */
    public List<String> symbols()
    {
        return conductor.symbols();
    }

    public ConnectionStatus status()
    {
        return conductor.status();
    }

    /**
     * Reads the client's counters in one consistent copy.
     */
    public Counters counters()
    {
        return conductor.counters();
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
        conductor.close();
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

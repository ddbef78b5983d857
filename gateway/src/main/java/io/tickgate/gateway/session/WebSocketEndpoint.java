package io.tickgate.gateway.session;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.tickgate.gateway.conflation.ConflatorProxy;
import io.tickgate.gateway.conflation.LastValueCache;
import io.tickgate.gateway.http.HttpServer;
import io.tickgate.gateway.symbols.SymbolRegistry;
import io.tickgate.protocol.WebSocketFrameDescriptor;
import io.tickgate.simulator.CalibratedEpochNanoClock;
import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.HeaderValues;
import io.undertow.util.Headers;
import io.undertow.util.Methods;
import io.undertow.util.StatusCodes;
import org.agrona.ErrorHandler;
import org.xnio.IoUtils;
import org.xnio.Options;
import org.xnio.StreamConnection;
import org.xnio.XnioIoThread;

import java.io.IOException;
import java.util.Base64;
import java.util.Collection;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Accepts WebSocket connections on {@code /ws}. Undertow parses the HTTP request and switches protocols; this
 * handler checks the RFC 6455 opening handshake, answers it, and turns each upgraded connection into a
 * {@link Session} on the IO thread that accepted it, under that thread's {@link SessionDispatcher}. From then on
 * the session reads and writes WebSocket frames on the connection itself. Thread-safe.
 */
public final class WebSocketEndpoint implements HttpHandler
{
    /**
     * Names one subscribe or unsubscribe may carry (repeats included): a bound on the work one message can ask for,
     * whatever a session's subscription limit, which rejects the names past it one by one (LIMIT_EXCEEDED).
     */
    public static final int MAX_SYMBOLS_PER_REQUEST = 4096;
    private static final int CLIENT_KEY_LENGTH = 16;
    private static final int CLIENT_KEY_BASE64_LENGTH = 24;
    private static final String VERSION = "13";

    private final ConcurrentHashMap<XnioIoThread, SessionDispatcher> dispatchers = new ConcurrentHashMap<>();
    private final SessionDispatcher.SessionServices services;
    /** Set by {@link #closeAll()}: a session upgraded after it is closed with 1001 at once. */
    private volatile boolean goingAway;
    /** Set by {@link #refuseUpgrades()}: a handshake gets 503 instead of a session. */
    private volatile boolean refusingUpgrades;
    /**
     * Upgraded connections not yet closed, whether or not a dispatcher holds them (one refused with 1013, or one
     * upgraded during shutdown, only carries its close handshake): what a stopping gateway waits for.
     */
    private final AtomicInteger liveConnections = new AtomicInteger();
    private final SessionSettings settings;
    private final OriginPolicy origins;
    private final LastValueCache cache;

    public WebSocketEndpoint(
        final SymbolRegistry registry,
        final ConflatorProxy proxy,
        final LastValueCache cache,
        final SessionCounters counters,
        final CalibratedEpochNanoClock clock,
        final ErrorHandler errorHandler,
        final SessionSettings settings,
        final int maxSessions,
        final int maxSymbolsPerRequest,
        final OriginPolicy origins)
    {
        this(registry, proxy, cache, counters, clock, errorHandler, settings, maxSessions,
            new ControlMessageAdapter(new ObjectMapper(), maxSymbolsPerRequest), origins);
    }

    /**
     * With the given request parser; tests give one that fails as a bug would.
     */
    WebSocketEndpoint(
        final SymbolRegistry registry,
        final ConflatorProxy proxy,
        final LastValueCache cache,
        final SessionCounters counters,
        final CalibratedEpochNanoClock clock,
        final ErrorHandler errorHandler,
        final SessionSettings settings,
        final int maxSessions,
        final ControlMessageAdapter adapter,
        final OriginPolicy origins)
    {
        final long housekeepingIntervalMs = Math.max(5, Math.min(100,
            Math.min(settings.heartbeatNs, settings.slowConsumerTimeoutNs) / 10 / 1_000_000));
        this.services = new SessionDispatcher.SessionServices(
            registry,
            proxy,
            adapter.mapper(),
            adapter,
            counters,
            clock,
            errorHandler,
            maxSessions,
            housekeepingIntervalMs);
        this.settings = settings;
        this.cache = cache;
        this.origins = origins;
    }

    /**
     * The opening handshake (RFC 6455 4.2): an HTTP/1.1 GET asking to upgrade to websocket, version 13, with a
     * 16-byte key.
     * Anything else gets a plain HTTP error saying what was wrong.
     */
    @Override
    public void handleRequest(final HttpServerExchange exchange)
    {
        // Methods are case-sensitive (RFC 7230 3.1.1): "get" is not GET, though HttpString compares ignoring case.
        if (!Methods.GET_STRING.equals(exchange.getRequestMethod().toString()))
        {
            exchange.getResponseHeaders().put(Headers.ALLOW, Methods.GET_STRING);
            refuse(exchange, StatusCodes.METHOD_NOT_ALLOWED, "the WebSocket endpoint takes GET with an upgrade");
            return;
        }
        if (refusingUpgrades)
        {
            exchange.setPersistent(false);
            refuse(exchange, StatusCodes.SERVICE_UNAVAILABLE, "the gateway is shutting down");
            return;
        }
        if (!exchange.isHttp11())
        {
            // RFC 6455 4.1: the opening handshake is an HTTP/1.1 request; HTTP/1.0 has no protocol switch.
            refuse(exchange, StatusCodes.BAD_REQUEST, "a WebSocket handshake needs HTTP/1.1");
            return;
        }
        if (HttpServer.declaresBody(exchange))
        {
            // What follows the handshake's headers is the client's first frame; a body would be read as one.
            refuse(exchange, StatusCodes.BAD_REQUEST, "a WebSocket handshake has no body");
            return;
        }
        if (!hasToken(exchange.getRequestHeaders().get(Headers.UPGRADE), "websocket") ||
            !hasToken(exchange.getRequestHeaders().get(Headers.CONNECTION), "upgrade"))
        {
            upgradeRequired(exchange);
            refuse(exchange, StatusCodes.UPGRADE_REQUIRED, "this endpoint speaks WebSocket (RFC 6455) only");
            return;
        }
        // RFC 6455 11.3.1, 11.3.5: the key and version may appear once; several lines read as one list (RFC 7230
        // 3.2.2), so two versions are not version 13 and two keys are not a 16-byte key.
        if (!VERSION.equals(single(exchange.getRequestHeaders().get(Headers.SEC_WEB_SOCKET_VERSION))))
        {
            upgradeRequired(exchange);
            exchange.getResponseHeaders().put(Headers.SEC_WEB_SOCKET_VERSION, VERSION);
            refuse(exchange, StatusCodes.UPGRADE_REQUIRED, "only WebSocket version 13 is supported");
            return;
        }
        final String key = single(exchange.getRequestHeaders().get(Headers.SEC_WEB_SOCKET_KEY));
        if (!isValidClientKey(key))
        {
            refuse(exchange, StatusCodes.BAD_REQUEST, "Sec-WebSocket-Key must be 16 bytes in base64");
            return;
        }
        final HeaderValues origin = exchange.getRequestHeaders().get(Headers.ORIGIN);
        // Two Origin lines name no one origin: "" matches none (RFC 6454 7.3 allows one).
        final String host = exchange.getRequestHeaders().getFirst(Headers.HOST);
        if (null != origin && !origins.allows(1 == origin.size() ? origin.getFirst() : "", host))
        {
            // RFC 6455 4.2.2: a server that does not accept the origin answers 403.
            final String named = 1 == origin.size() ? origin.getFirst() : "several origins";
            services.counters.sessionsForbidden.increment();
            refuse(exchange, StatusCodes.FORBIDDEN, "this gateway does not accept sessions from pages of " +
                (named.length() <= 100 ? named : named.substring(0, 100) + "...") + " (tickgate.http.allowed.origins)");
            return;
        }
        exchange.getResponseHeaders().put(
            Headers.SEC_WEB_SOCKET_ACCEPT, WebSocketFrameDescriptor.acceptKey(key.trim()));
        exchange.upgradeChannel("websocket", this::onUpgraded);
        exchange.endExchange();
    }

    /**
     * Runs on the connection's IO thread once the 101 response is written.
     */
    private void onUpgraded(final StreamConnection connection, final HttpServerExchange exchange)
    {
        try
        {
            connection.setOption(Options.TCP_NODELAY, Boolean.TRUE);
            // A fixed send buffer: the kernel's autotuning would grow it for a slow reader, queueing old values
            // ahead of the conflated ones (docs/protocol.md, slow consumers).
            connection.setOption(Options.SEND_BUFFER, settings.sendBufferBytes);
            // A client whose TCP takes nothing is dropped by the kernel even while its socket has room, by when a
            // slow consumer's 1008 would have been sent and its close grace run out (docs/protocol.md).
            NativeSocketWriter.dropUnacknowledgedAfter(connection.getSinkChannel().getConduit(),
                settings.unacknowledgedTimeoutMs());
        }
        catch (final IOException | IllegalArgumentException ex)
        {
            IoUtils.safeClose(connection);
            return;
        }
        final SessionDispatcher dispatcher = dispatchers.computeIfAbsent(
            connection.getIoThread(), ioThread -> new SessionDispatcher(ioThread, services, cache));
        final Session session = new Session(connection, dispatcher, settings);
        liveConnections.incrementAndGet();
        exchange.getConnection().addCloseListener(ignore ->
        {
            try
            {
                session.onClosed();
            }
            finally
            {
                liveConnections.decrementAndGet();
            }
        });
        session.start();
        if (goingAway)
        {
            // Upgraded while the gateway shuts down: it gets the 1001 every session gets, not a cut connection.
            // (Every other session of this thread is closed by the closeAll task, which runs after this one
            // or sees it in the dispatcher.)
            session.closeWith(WebSocketFrameDescriptor.CLOSE_GOING_AWAY, "going away");
            return;
        }
        if (services.counters.sessionsOpen.get() >= services.maxSessions)
        {
            // Never added to the dispatcher: it only carries the close handshake.
            services.counters.sessionsRejected.increment();
            session.closeWith(WebSocketFrameDescriptor.CLOSE_TRY_AGAIN_LATER, "too many sessions");
            return;
        }
        dispatcher.add(session);
    }

    /**
     * A 426 names the protocol to upgrade to (RFC 9110 15.5.22), and a response with {@code Upgrade} lists
     * {@code upgrade} in {@code Connection} (RFC 9110 7.8), so that no proxy passes the header on.
     */
    private static void upgradeRequired(final HttpServerExchange exchange)
    {
        exchange.getResponseHeaders().put(Headers.UPGRADE, "websocket");
        exchange.getResponseHeaders().put(Headers.CONNECTION, "Upgrade");
    }

    private static void refuse(final HttpServerExchange exchange, final int status, final String message)
    {
        exchange.setStatusCode(status);
        exchange.getResponseHeaders().put(Headers.CONTENT_TYPE, "text/plain; charset=utf-8");
        exchange.getResponseSender().send(message + "\n");
    }

    /**
     * Whether a comma-separated header holds the token, ignoring case (RFC 7230 3.2.6 lists, e.g.
     * {@code Connection: keep-alive, Upgrade}).
     */
    static boolean hasToken(final HeaderValues values, final String token)
    {
        if (null == values)
        {
            return false;
        }
        for (final String value : values)
        {
            for (final String part : value.split(","))
            {
                if (part.trim().equalsIgnoreCase(token))
                {
                    return true;
                }
            }
        }
        return false;
    }

    /**
     * The header's one value, or null when it is missing or given on more than one line.
     */
    private static String single(final HeaderValues values)
    {
        return null == values || values.size() != 1 ? null : values.getFirst();
    }

    private static boolean isValidClientKey(final String key)
    {
        if (null == key)
        {
            return false;
        }
        final String trimmed = key.trim();
        // RFC 4648 base64 of 16 bytes is 24 characters, padding included; the decoder would take it without.
        if (CLIENT_KEY_BASE64_LENGTH != trimmed.length())
        {
            return false;
        }
        try
        {
            return CLIENT_KEY_LENGTH == Base64.getDecoder().decode(trimmed).length;
        }
        catch (final IllegalArgumentException ex)
        {
            return false;
        }
    }

    /**
     * Closes every session with 1001 "going away", as the gateway shuts down, and any upgraded from now on.
     */
    public void closeAll()
    {
        goingAway = true;
        for (final SessionDispatcher dispatcher : dispatchers.values())
        {
            dispatcher.closeAll(WebSocketFrameDescriptor.CLOSE_GOING_AWAY, "going away");
        }
    }

    /**
     * Answers every handshake from now on with 503, as the gateway's IO threads are about to stop: a connection
     * upgraded then would get its 101 and lose its connection before its 1001 could be written.
     */
    public void refuseUpgrades()
    {
        refusingUpgrades = true;
    }

    /**
     * Upgraded connections not yet closed, those closing included.
     */
    public int liveConnections()
    {
        return liveConnections.get();
    }

    /**
     * Stops the IO threads' housekeeping timers; called after {@link #closeAll()}, before Undertow stops.
     */
    public void stop()
    {
        for (final SessionDispatcher dispatcher : dispatchers.values())
        {
            dispatcher.stop();
        }
    }

    public Collection<SessionDispatcher> dispatchers()
    {
        return dispatchers.values();
    }

    /**
     * Largest pending set of any session, refreshed every 250 ms.
     */
    public int maxPendingEntries()
    {
        int max = 0;
        for (final SessionDispatcher dispatcher : dispatchers.values())
        {
            max = Math.max(max, dispatcher.maxPendingEntries());
        }
        return max;
    }

    /**
     * Entries in the pending sets of all sessions, refreshed every 250 ms.
     */
    public long pendingEntries()
    {
        long total = 0;
        for (final SessionDispatcher dispatcher : dispatchers.values())
        {
            total += dispatcher.pendingEntries();
        }
        return total;
    }

    /**
     * Bytes of replies queued for sessions and not yet written, refreshed every 250 ms.
     */
    public long queuedReplyBytes()
    {
        long total = 0;
        for (final SessionDispatcher dispatcher : dispatchers.values())
        {
            total += dispatcher.queuedReplyBytes();
        }
        return total;
    }

    /**
     * Sessions with a frame waiting for the socket, refreshed every 250 ms.
     */
    public int unwritableSessions()
    {
        int total = 0;
        for (final SessionDispatcher dispatcher : dispatchers.values())
        {
            total += dispatcher.unwritableSessions();
        }
        return total;
    }
}

package io.tickgate.gateway.session;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.tickgate.gateway.conflation.ConflatorProxy;
import io.tickgate.gateway.conflation.LastValueCache;
import io.tickgate.gateway.symbols.SymbolRegistry;
import io.undertow.websockets.WebSocketConnectionCallback;
import io.undertow.websockets.core.CloseMessage;
import io.undertow.websockets.core.WebSocketChannel;
import io.undertow.websockets.core.WebSockets;
import io.undertow.websockets.spi.WebSocketHttpExchange;
import org.agrona.ErrorHandler;
import org.agrona.concurrent.EpochNanoClock;
import org.xnio.XnioIoThread;

import java.util.Collection;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Accepts WebSocket connections on {@code /ws}: each becomes a {@link Session} on the IO thread that accepted it,
 * under that thread's {@link SessionDispatcher}. Thread-safe.
 */
public final class WebSocketEndpoint implements WebSocketConnectionCallback
{
    /** RFC 6455 "try again later": the gateway holds its maximum number of sessions. */
    private static final int TRY_AGAIN_LATER = 1013;

    private final ConcurrentHashMap<XnioIoThread, SessionDispatcher> dispatchers = new ConcurrentHashMap<>();
    private final SessionDispatcher.SessionServices services;
    private final SessionSettings settings;
    private final LastValueCache cache;

    public WebSocketEndpoint(
        final SymbolRegistry registry,
        final ConflatorProxy proxy,
        final LastValueCache cache,
        final SessionCounters counters,
        final EpochNanoClock clock,
        final ErrorHandler errorHandler,
        final SessionSettings settings,
        final int maxSessions,
        final int maxSymbolsPerRequest)
    {
        final ObjectMapper mapper = new ObjectMapper();
        final long housekeepingIntervalMs = Math.max(5, Math.min(100,
            Math.min(settings.heartbeatNs, settings.slowConsumerTimeoutNs) / 10 / 1_000_000));
        this.services = new SessionDispatcher.SessionServices(
            registry,
            proxy,
            mapper,
            new ControlMessageAdapter(mapper, maxSymbolsPerRequest),
            counters,
            clock,
            errorHandler,
            maxSessions,
            housekeepingIntervalMs);
        this.settings = settings;
        this.cache = cache;
    }

    @Override
    public void onConnect(final WebSocketHttpExchange exchange, final WebSocketChannel channel)
    {
        if (services.counters.sessionsOpen.get() >= services.maxSessions)
        {
            services.counters.sessionsRejected.increment();
            WebSockets.sendClose(new CloseMessage(TRY_AGAIN_LATER, "too many sessions"), channel, null);
            return;
        }
        final SessionDispatcher dispatcher = dispatchers.computeIfAbsent(
            channel.getIoThread(), ioThread -> new SessionDispatcher(ioThread, services, cache));
        final Session session = new Session(channel, dispatcher, settings);
        dispatcher.add(session);
        session.start();
    }

    /**
     * Closes every session with 1001 "going away", as the gateway shuts down.
     */
    public void closeAll()
    {
        for (final SessionDispatcher dispatcher : dispatchers.values())
        {
            dispatcher.closeAll(CloseMessage.GOING_AWAY, "going away");
        }
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

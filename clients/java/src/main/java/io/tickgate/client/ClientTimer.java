package io.tickgate.client;

import java.nio.ByteBuffer;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * What {@code tickgate-client-timer} runs: every quarter heartbeat the watchdog (a connection silent for 3
 * intervals is presumed dead and dropped; one silent for 1.5 is pinged) and the unknown-symbol retries, and
 * between them the delayed reconnects. Owns that thread, from {@link #start} until {@link #shutdown}.
 * <p>
 * Its mutable fields are guarded by the client's monitor, {@link ClientConductor#lock}: the timer thread takes it
 * for each task, and the threads that open and drop connections and handle replies, already holding it, report
 * what resets the retry timing.
 */
final class ClientTimer
{
    private final ClientConductor conductor;
    private final TickgateClient.Context ctx;
    private final GuardedListener listener;
    private final SymbolTable symbols;
    private final RequestTable requests;
    private final ScheduledExecutorService executor;

    // Everything below is guarded by the client's monitor.
    private long watchdogTimeouts;
    private long lastRetryNs;
    /** Wait before the next unknown-symbol retry: doubles per retry, back to the configured one on acceptance. */
    private long unknownRetryIntervalNs;
    private boolean retryInFlight;

    ClientTimer(
        final ClientConductor conductor,
        final TickgateClient.Context ctx,
        final GuardedListener listener,
        final SymbolTable symbols,
        final RequestTable requests)
    {
        this.conductor = conductor;
        this.ctx = ctx;
        this.listener = listener;
        this.symbols = symbols;
        this.requests = requests;
        this.unknownRetryIntervalNs = ctx.unknownSymbolRetryNs;
        this.executor = Executors.newSingleThreadScheduledExecutor(
            task -> TickgateClient.daemon(task, "tickgate-client-timer"));
    }

    /**
     * Starts the periodic check, every quarter heartbeat (5 ms at the least).
     */
    void start()
    {
        final long periodNs = Math.max(TimeUnit.MILLISECONDS.toNanos(5), ctx.heartbeatIntervalNs / 4);
        executor.scheduleAtFixedRate(this::onTimer, periodNs, periodNs, TimeUnit.NANOSECONDS);
    }

    void scheduleReconnect(final long delayNs)
    {
        executor.schedule(conductor::reconnect, delayNs, TimeUnit.NANOSECONDS);
    }

    /**
     * Ends the timer thread; nothing scheduled runs after.
     */
    void shutdown()
    {
        executor.shutdownNow();
    }

    long watchdogTimeouts()
    {
        return watchdogTimeouts;
    }

    /**
     * A connection opened: unknown symbols are next asked for after the configured wait, from now.
     */
    void connectionOpened(final long nowNs)
    {
        lastRetryNs = nowNs;
        unknownRetryIntervalNs = ctx.unknownSymbolRetryNs;
    }

    /**
     * The connection went, and with it any retry in flight.
     */
    void connectionLost()
    {
        retryInFlight = false;
    }

    /**
     * A reply or refusal came for {@code request}: if it was a retry, the next one may go when due.
     */
    void answered(final Pending request)
    {
        retryInFlight &= !request.retry;
    }

    /**
     * The gateway accepted a name it had called unknown: its feed is defining symbols, so the wait starts over.
     */
    void unknownSymbolLearnt()
    {
        unknownRetryIntervalNs = ctx.unknownSymbolRetryNs;
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
        synchronized (conductor.lock)
        {
            final Connection current = conductor.liveConnection();
            if (null == current)
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
                conductor.drop(current, ClientError.CONNECTION_LOST, "watchdog: connection presumed dead");
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
     * {@link TickgateClient.Context#unknownSymbolRetryMaxNs()}: thousands of names that are never defined (typos)
     * would otherwise be sent again every interval for as long as the client runs.
     */
    private void retryUnknownSymbols()
    {
        final List<String> unknown = symbols.unknown();
        if (!unknown.isEmpty())
        {
            requests.sendInParts("subscribe", unknown).forEach(request -> request.retry = true);
            retryInFlight = true;
            final long maxNs = ctx.unknownSymbolRetryMaxNs();
            unknownRetryIntervalNs = unknownRetryIntervalNs > maxNs / 2 ? maxNs : unknownRetryIntervalNs * 2;
        }
    }
}

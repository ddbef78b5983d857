package io.tickgate.gateway.http;

import io.tickgate.gateway.conflation.LastValueCache;
import io.tickgate.gateway.symbols.SymbolRegistry;

/**
 * What the HTTP handlers may read of a running gateway. Every method is safe from any thread.
 */
public interface GatewayStatus
{
    SymbolRegistry registry();

    LastValueCache cache();

    long uptimeMs();

    long sessionsOpen();

    /**
     * The heartbeat interval sessions are sent (--heartbeat-ms), so a client can size its watchdog to it.
     */
    long heartbeatMs();

    /**
     * True from the moment the gateway starts shutting down (sessions are being sent 1001): it still answers, but
     * should get no new clients.
     */
    boolean stopping();

    /**
     * Names of the feed sources this gateway runs, indexed by source id.
     */
    String[] sourceNames();

    /**
     * Epoch nanoseconds of the source's last tick, 0 if none yet.
     */
    long lastTickEpochNs(int sourceId);

    boolean isSourceStale(int sourceId);

    long epochNanoTime();

    String scrapeMetrics();
}

package io.tickgate.perf.sidebyside;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.List;

/**
 * One server under one scenario, as written to {@code <out>/<scenario>/<server>/summary.json} and gathered into
 * {@code results.json}. Rates per second over the measured window; latencies in milliseconds; CPU as % of one core;
 * -1 where a figure could not be measured (null for the gateway's own tick-to-wire p99 and its source, which a peer
 * does not have). {@code gatewayTickToWireP99Source} says how that p99 was found: {@code window-10s}, the gateway's
 * exact figure over its last 10 s (when the window holds them), or {@code buckets}, interpolated in its histogram
 * buckets. Immutable.
 * <p>
 * Offered is counted two ways. {@code seqAdvancePerSecond} comes from the clients: how far each session's
 * per-symbol {@code seq} advanced, summed, i.e. the updates the server applied, once per subscriber; entries +
 * {@code conflated} against it is {@code accountedPercent}. {@code appliedPercentOfFeed} checks that against the feed:
 * the seq advance as a share of {@code feedDeliveriesPerSecond} (the simulator's measured ticks/s x subscribers per
 * symbol x the share of sessions held, since only those subscribed), which is below 100 when the server lost or has
 * not yet applied ticks (within a percent or so: the windows differ slightly).
 */
record RunSummary(
    String scenario,
    String server,
    String status,
    int connections,
    int symbols,
    int symbolsPerConnection,
    double subscribersPerSymbol,
    double ratePerSecond,
    double offeredDeliveriesPerSecond,
    double feedTicksPerSecond,
    double feedDeliveriesPerSecond,
    double measuredSeconds,
    double entriesPerSecond,
    double framesPerSecond,
    double entriesPerFrame,
    double seqAdvancePerSecond,
    double accountedPercent,
    double appliedPercentOfFeed,
    double latencyP50Ms,
    double latencyP90Ms,
    double latencyP99Ms,
    double latencyP999Ms,
    double latencyMaxMs,
    double ageP99Ms,
    Double gatewayTickToWireP99Ms,
    String gatewayTickToWireP99Source,
    double serverCpuPercent,
    double serverPeakRssMiB,
    double clientCpuPercent,
    double clientCpuNsPerFrame,
    double simulatorCpuPercent,
    long feedDrops,
    double writesPerSecond,
    String writeSource,
    double entriesPerWrite,
    int connectionsHeld,
    long slowestSessionEntries,
    long frameSeqGaps,
    long seqRegressions,
    long rejectedSymbols,
    long serverCloses,
    long abnormalCloses,
    long protocolErrors,
    List<ResourceSampler.Second> perSecond,
    JsonNode serverCounters)
{
    static final String OK = "ok";

    boolean ok()
    {
        return OK.equals(status);
    }

    /**
     * A run that did not happen or did not finish: the status says why, every figure is -1.
     */
    static RunSummary notRun(final Scenario scenario, final ServerKind server, final String status)
    {
        return new RunSummary(scenario.name(), server.id, status, scenario.connections(), scenario.symbols(),
            scenario.symbolsPerConnection(), scenario.subscribersPerSymbol(), scenario.ratePerSecond(),
            scenario.offeredDeliveriesPerSecond(), -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1,
            -1, null, null, -1, -1, -1, -1, -1, -1, -1, "", -1, -1, -1, -1, -1, -1, -1, -1, -1, List.of(), null);
    }

    /**
     * @param load               the load generator's {@code summary.json}.
     * @param window             procfs over the measured window.
     * @param writes             the server's write syscalls.
     * @param feedTicksPerSecond the rate the simulator really sent, -1 when unknown.
     * @param gatewayTickToWireP99 Tickgate's own tick-to-wire p99 over the measured window, from its
     *                             {@code /metrics}; null for a peer or when it could not be read.
     */
    static RunSummary of(
        final Scenario scenario,
        final ServerKind server,
        final JsonNode load,
        final ResourceSampler.Window window,
        final WriteSyscallCounter.Count writes,
        final double feedTicksPerSecond,
        final JsonNode serverCounters,
        final ServerRun.TickToWireP99 gatewayTickToWireP99)
    {
        final double measured = Math.max(1e-9, load.path("measuredSeconds").asDouble());
        final double sampled = Math.max(1e-9, window.seconds());
        final long frames = load.path("frames").asLong();
        final double entriesPerSecond = load.path("entriesPerSecond").asDouble();
        final double framesPerSecond = frames / measured;
        final double seqAdvancePerSecond = load.path("seqAdvance").asLong() / measured;
        final int held = load.path("openAtMeasureEnd").asInt();
        final double feedDeliveries = feedTicksPerSecond < 0 ? -1 :
            feedTicksPerSecond * scenario.subscribersPerSymbol() * held / scenario.connections();
        final double writesPerSecond = writes.perSecond();
        final double clientCpuPercent = percent(window.clientCpuSeconds(), sampled);
        final JsonNode latency = load.path("latencyMicros");
        return new RunSummary(scenario.name(), server.id, OK, scenario.connections(), scenario.symbols(),
            scenario.symbolsPerConnection(), scenario.subscribersPerSymbol(), scenario.ratePerSecond(),
            scenario.offeredDeliveriesPerSecond(), feedTicksPerSecond, feedDeliveries, measured, entriesPerSecond,
            framesPerSecond,
            load.path("entriesPerFrame").asDouble(), seqAdvancePerSecond, load.path("accountedPercent").asDouble(),
            feedDeliveries > 0 ? 100.0 * seqAdvancePerSecond / feedDeliveries : -1,
            millis(latency, "p50"), millis(latency, "p90"), millis(latency, "p99"), millis(latency, "p999"),
            millis(latency, "max"), millis(load.path("ageMicros"), "p99"),
            null == gatewayTickToWireP99 ? null : gatewayTickToWireP99.ms(),
            null == gatewayTickToWireP99 ? null : gatewayTickToWireP99.source(),
            percent(window.serverCpuSeconds(), sampled),
            window.serverPeakRssKb() < 0 ? -1 : window.serverPeakRssKb() / 1024.0,
            clientCpuPercent,
            clientCpuPercent < 0 || 0 == frames ? -1 : clientCpuPercent / 100.0 * 1e9 / framesPerSecond,
            percent(window.simulatorCpuSeconds(), sampled),
            window.feedDrops(),
            writesPerSecond, writes.source(),
            writesPerSecond > 0 ? entriesPerSecond / writesPerSecond : -1,
            held, load.path("slowestSessionEntries").asLong(),
            server.isPeer() ? -1 : load.path("frameSeqGaps").asLong(),
            load.path("seqRegressions").asLong(), load.path("rejectedSymbols").asLong(),
            load.path("serverCloses").asLong(), load.path("abnormalCloses").asLong(),
            load.path("protocolErrors").asLong(), window.perSecond(), serverCounters);
    }

    private static double millis(final JsonNode percentiles, final String field)
    {
        // Null (no entries) is not 0 ms.
        final JsonNode micros = percentiles.path(field);
        return micros.isNumber() ? micros.asDouble() / 1_000.0 : -1;
    }

    private static double percent(final double cpuSeconds, final double seconds)
    {
        return cpuSeconds < 0 ? -1 : 100.0 * cpuSeconds / seconds;
    }
}

package io.tickgate.perf.sidebyside;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.List;

/**
 * One server under one scenario, as written to {@code <out>/<scenario>/<server>/summary.json} and gathered into
 * {@code results.json}. Rates per second over the measured window; latencies in milliseconds; CPU as % of one core.
 * A figure that could not be measured is null, never -1 or 0, which would read as a measurement: every figure of a
 * run that was skipped or failed (the scenario's own shape stays), and in a run that finished whatever procfs, perf
 * or the load generator's summary could not say, the gateway's own tick-to-wire p99 and its source for a peer.
 * {@code gatewayTickToWireP99Source} says how that p99 was found: {@code window-10s}, the gateway's exact figure over
 * its last 10 s (when the window holds them), or {@code buckets}, interpolated in its histogram buckets. Immutable.
 * <p>
 * Offered is counted two ways. {@code seqAdvancePerSecond} comes from the clients: how far each session's
 * per-symbol {@code seq} advanced, summed, i.e. the updates the server applied, once per subscriber; entries +
 * {@code conflated} against it is {@code accountedPercent}. {@code appliedPercentOfFeed} checks that against the feed:
 * the seq advance as a share of {@code feedDeliveriesPerSecond} (the simulator's measured ticks/s x subscribers per
 * symbol x the share of sessions held, since only those subscribed), which is below 100 when the server lost or has
 * not yet applied ticks (within a percent or so: the windows differ slightly).
 * <p>
 * {@code frameSeqGaps} is the load generator's count for every server; a peer numbers its frames across sessions,
 * so its sessions see gaps that lose nothing (perf/peers/README.md).
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
    Double feedTicksPerSecond,
    Double feedDeliveriesPerSecond,
    Double measuredSeconds,
    Double entriesPerSecond,
    Double framesPerSecond,
    Double entriesPerFrame,
    Double seqAdvancePerSecond,
    Double accountedPercent,
    Double appliedPercentOfFeed,
    Double latencyP50Ms,
    Double latencyP90Ms,
    Double latencyP99Ms,
    Double latencyP999Ms,
    Double latencyMaxMs,
    Double ageP99Ms,
    Double gatewayTickToWireP99Ms,
    String gatewayTickToWireP99Source,
    Double serverCpuPercent,
    Double serverPeakRssMiB,
    Double clientCpuPercent,
    Double clientCpuNsPerFrame,
    Double simulatorCpuPercent,
    Long feedDrops,
    Double writesPerSecond,
    String writeSource,
    Double entriesPerWrite,
    Integer connectionsHeld,
    Long slowestSessionEntries,
    Long frameSeqGaps,
    Long seqRegressions,
    Long rejectedSymbols,
    Long serverCloses,
    Long abnormalCloses,
    Long protocolErrors,
    List<ResourceSampler.Second> perSecond,
    JsonNode serverCounters)
{
    static final String OK = "ok";

    boolean ok()
    {
        return OK.equals(status);
    }

    /**
     * A run that did not happen or did not finish: the status says why, every figure is null.
     */
    static RunSummary notRun(final Scenario scenario, final ServerKind server, final String status)
    {
        return new RunSummary(scenario.name(), server.id, status, scenario.connections(), scenario.symbols(),
            scenario.symbolsPerConnection(), scenario.subscribersPerSymbol(), scenario.ratePerSecond(),
            scenario.offeredDeliveriesPerSecond(), null, null, null, null, null, null, null, null, null, null, null,
            null, null, null, null, null, null, null, null, null, null, null, null, null, null, null, null, null, null,
            null, null, null, null, null, List.of(), null);
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
        final Double measured = number(load, "measuredSeconds");
        final Long frames = count(load, "frames");
        final Double entriesPerSecond = number(load, "entriesPerSecond");
        final Double framesPerSecond = ratio(frames, measured);
        final Double seqAdvancePerSecond = ratio(count(load, "seqAdvance"), measured);
        final Long held = count(load, "openAtMeasureEnd");
        final Double feedTicks = feedTicksPerSecond < 0 ? null : feedTicksPerSecond;
        final Double feedDeliveries = null == feedTicks || null == held ? null :
            feedTicks * scenario.subscribersPerSymbol() * held / scenario.connections();
        final Double writesPerSecond = writes.perSecond() < 0 ? null : writes.perSecond();
        final Double clientCpuPercent = percent(window.clientCpuSeconds(), window.seconds());
        final JsonNode latency = load.path("latencyMicros");
        return new RunSummary(scenario.name(), server.id, OK, scenario.connections(), scenario.symbols(),
            scenario.symbolsPerConnection(), scenario.subscribersPerSymbol(), scenario.ratePerSecond(),
            scenario.offeredDeliveriesPerSecond(), feedTicks, feedDeliveries, measured, entriesPerSecond,
            framesPerSecond, number(load, "entriesPerFrame"), seqAdvancePerSecond, number(load, "accountedPercent"),
            null == seqAdvancePerSecond ? null : ratio(100.0 * seqAdvancePerSecond, feedDeliveries),
            millis(latency, "p50"), millis(latency, "p90"), millis(latency, "p99"), millis(latency, "p999"),
            millis(latency, "max"), millis(load.path("ageMicros"), "p99"),
            null == gatewayTickToWireP99 ? null : gatewayTickToWireP99.ms(),
            null == gatewayTickToWireP99 ? null : gatewayTickToWireP99.source(),
            percent(window.serverCpuSeconds(), window.seconds()),
            window.serverPeakRssKb() < 0 ? null : window.serverPeakRssKb() / 1024.0,
            clientCpuPercent,
            null == clientCpuPercent || null == framesPerSecond ? null :
                ratio(clientCpuPercent / 100.0 * 1e9, framesPerSecond),
            percent(window.simulatorCpuSeconds(), window.seconds()),
            window.feedDrops() < 0 ? null : window.feedDrops(),
            writesPerSecond, writes.source(),
            null == entriesPerSecond ? null : ratio(entriesPerSecond, writesPerSecond),
            null == held ? null : held.intValue(), count(load, "slowestSessionEntries"),
            count(load, "frameSeqGaps"), count(load, "seqRegressions"), count(load, "rejectedSymbols"),
            count(load, "serverCloses"), count(load, "abnormalCloses"), count(load, "protocolErrors"),
            window.perSecond(), serverCounters);
    }

    /**
     * A figure of the load generator's summary; null where it wrote null (it has no such figure) or none.
     */
    private static Double number(final JsonNode load, final String field)
    {
        final JsonNode value = load.path(field);
        return value.isNumber() ? value.asDouble() : null;
    }

    private static Long count(final JsonNode load, final String field)
    {
        final JsonNode value = load.path(field);
        return value.isIntegralNumber() ? value.asLong() : null;
    }

    private static Double millis(final JsonNode percentiles, final String field)
    {
        // Null (no entries) is not 0 ms.
        final JsonNode micros = percentiles.path(field);
        return micros.isNumber() ? micros.asDouble() / 1_000.0 : null;
    }

    /**
     * {@code numerator / denominator}; null when either is unknown or the denominator is not positive.
     */
    private static Double ratio(final Number numerator, final Number denominator)
    {
        return null == numerator || null == denominator || !(denominator.doubleValue() > 0) ? null :
            numerator.doubleValue() / denominator.doubleValue();
    }

    private static Double percent(final double cpuSeconds, final double seconds)
    {
        return cpuSeconds < 0 ? null : ratio(100.0 * cpuSeconds, seconds);
    }
}

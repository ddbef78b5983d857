package io.tickgate.perf.sidebyside;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * The accounting: what the runner derives from the load generator's summary, procfs and the simulator's count.
 */
class RunSummaryTest
{
    /** 10 connections x 2 of 4 symbols: 5 subscribers per symbol; 100 ticks/s offered. */
    private static final Scenario SCENARIO = new Scenario("tiny", 10, 4, 2, 100, null);

    static JsonNode loadSummary(final double seconds, final long entries, final long conflated, final long seqAdvance,
        final long frames)
    {
        return loadSummary(seconds, entries, conflated, seqAdvance, frames, 10);
    }

    static JsonNode loadSummary(final double seconds, final long entries, final long conflated, final long seqAdvance,
        final long frames, final int held)
    {
        final ObjectNode load = SideBySide.JSON.createObjectNode()
            .put("measuredSeconds", seconds)
            .put("entries", entries)
            .put("conflated", conflated)
            .put("seqAdvance", seqAdvance)
            .put("accountedPercent", 100.0 * (entries + conflated) / seqAdvance)
            .put("frames", frames)
            .put("entriesPerSecond", entries / seconds)
            .put("entriesPerFrame", (double)entries / frames)
            .put("openAtMeasureEnd", held)
            .put("slowestSessionEntries", 7)
            .put("frameSeqGaps", 3);
        load.putObject("latencyMicros").put("p50", 150).put("p90", 240).put("p99", 1480).put("p999", 15_100)
            .put("max", 28_700);
        load.putObject("ageMicros").put("p99", 2500);
        return load;
    }

    @Test
    void shouldDeriveRatesAccountingAndCostsPerFrameAndPerWrite()
    {
        // 10 s: 4,500 entries + 500 conflated for a seq advance of 5,000; the feed sent 100 ticks/s x 5 subscribers.
        final ResourceSampler.Window window = new ResourceSampler.Window(10, 2.5, 1.0, 0.1, 300 * 1024, 0, 900,
            List.of());
        final RunSummary r = RunSummary.of(SCENARIO, ServerKind.TICKGATE, loadSummary(10, 4_500, 500, 5_000, 2_000),
            window, new WriteSyscallCounter.Count(1_000, 10, "perf stat"), 100, null,
            new ServerRun.TickToWireP99(1.25, "buckets"));

        assertThat(r.ok()).isTrue();
        assertThat(r.subscribersPerSymbol()).isEqualTo(5.0);
        assertThat(r.offeredDeliveriesPerSecond()).isEqualTo(500.0);
        assertThat(r.seqAdvancePerSecond()).isEqualTo(500.0);
        assertThat(r.accountedPercent()).isEqualTo(100.0);
        assertThat(r.appliedPercentOfFeed()).isEqualTo(100.0);
        assertThat(r.framesPerSecond()).isEqualTo(200.0);
        assertThat(r.serverCpuPercent()).isEqualTo(25.0);
        assertThat(r.clientCpuPercent()).isEqualTo(10.0);
        assertThat(r.simulatorCpuPercent()).isCloseTo(1.0, within(1e-9));
        // 10 % of a core over 200 frames/s: 0.1 s / 200 = 500 us per frame.
        assertThat(r.clientCpuNsPerFrame()).isCloseTo(500_000, within(1e-6));
        assertThat(r.serverPeakRssMiB()).isEqualTo(300.0);
        assertThat(r.writesPerSecond()).isEqualTo(100.0);
        assertThat(r.entriesPerWrite()).isEqualTo(4.5);
        assertThat(r.latencyP99Ms()).isEqualTo(1.48);
        assertThat(r.ageP99Ms()).isEqualTo(2.5);
        assertThat(r.gatewayTickToWireP99Ms()).isEqualTo(1.25);
        assertThat(r.gatewayTickToWireP99Source()).isEqualTo("buckets");
        assertThat(r.frameSeqGaps()).isEqualTo(3);
    }

    @Test
    void shouldTakeTheGatewaysOwnTickToWireP99FromTheEntriesCountedInTheWindowOnly()
    {
        // Before the window: 1,000 slow entries of the connection phase (up to 50 ms) and a window summary that
        // still remembers them; in the window: 1,000 entries, 990 within 1 ms and 10 within 2.5 ms.
        final String atStart = buckets(0, 0, 0, 1_000) + window(0.049);
        final String atEnd = buckets(990, 1_000, 1_000, 2_000) + window(0.049);

        final Double p99 = ServerRun.tickToWireP99Ms(
            ServerRun.tickToWireBuckets(atStart), ServerRun.tickToWireBuckets(atEnd));

        // The 990th of 1,000 is the last entry of the 0.5-1 ms bucket: 1 ms, not the connection phase's 49 ms.
        assertThat(p99).isCloseTo(1.0, within(1e-9));
        assertThat(ServerRun.tickToWireP99Ms(ServerRun.tickToWireBuckets(atEnd), ServerRun.tickToWireBuckets(atEnd)))
            .as("no entry written in the window").isNull();
        assertThat(ServerRun.tickToWireP99Ms(ServerRun.tickToWireBuckets(atStart),
            ServerRun.tickToWireBuckets("tickgate_sessions_open 3.0\n"))).isNull();
    }

    @Test
    void shouldTakeTheGatewaysExactP99OverItsLastTenSecondsWhenTheWindowHoldsThem()
    {
        // Before the window 1,000 entries of 10-25 ms; in it 500 within 5 ms and 500 of 5-10 ms, so the buckets put
        // the p99 at 9.9 ms by interpolation; the gateway's exact figure is 9.8 ms.
        final String atStart = coarseBuckets(0, 0, 1_000) + window(0.024);
        final String atEnd = coarseBuckets(500, 1_000, 2_000) + window(0.0098);

        final ServerRun.TickToWireP99 twentySeconds = ServerRun.gatewayTickToWireP99(atStart, atEnd, 20.0);
        final ServerRun.TickToWireP99 elevenSeconds = ServerRun.gatewayTickToWireP99(atStart, atEnd, 11.0);
        final ServerRun.TickToWireP99 tenSeconds = ServerRun.gatewayTickToWireP99(atStart, atEnd, 10.5);

        assertThat(twentySeconds.source()).isEqualTo("window-10s");
        assertThat(twentySeconds.ms()).isCloseTo(9.8, within(1e-9));
        assertThat(elevenSeconds.source()).isEqualTo("window-10s");
        // Read up to a second after its last publication, the gateway's 10 s may begin before a shorter window.
        assertThat(tenSeconds.source()).isEqualTo("buckets");
        assertThat(tenSeconds.ms()).as("the 990th of 1,000, interpolated in 5-10 ms").isCloseTo(9.9, within(1e-9));
        assertThat(ServerRun.gatewayTickToWireP99(atStart, coarseBuckets(500, 1_000, 2_000) + window(Double.NaN), 20.0)
            .source()).as("no entry in the gateway's last 10 s").isEqualTo("buckets");
        assertThat(ServerRun.gatewayTickToWireP99(null, atEnd, 20.0).source())
            .as("the read at the start failed").isEqualTo("window-10s");
        assertThat(ServerRun.gatewayTickToWireP99(null, atEnd, 5.0)).isNull();
        assertThat(ServerRun.gatewayTickToWireP99(atStart, null, 20.0)).isNull();
    }

    @Test
    void shouldReadTheGatewaysExactP99AmongItsOtherQuantiles()
    {
        assertThat(ServerRun.tickToWireWindowP99Ms(window(0.0098))).isCloseTo(9.8, within(1e-9));
        assertThat(ServerRun.tickToWireWindowP99Ms(window(Double.NaN))).isNull();
        assertThat(ServerRun.tickToWireWindowP99Ms(buckets(1, 1, 1, 1))).isNull();
        assertThat(ServerRun.tickToWireWindowP99Ms(
            "tickgate_latency_tick_to_wire_window_seconds{quantile=\"0.99\"} 1.2E-4\n")).isCloseTo(0.12, within(1e-9));
    }

    @Test
    void shouldRecordInTheJsonWhichGatewayP99WasUsedAndNoneForAPeer()
    {
        final ResourceSampler.Window window = new ResourceSampler.Window(20, 1, 1, 0, 1024, 0, -1, List.of());
        final RunSummary tickgate = RunSummary.of(SCENARIO, ServerKind.TICKGATE,
            loadSummary(20, 4_500, 500, 5_000, 2_000), window, new WriteSyscallCounter.Count(-1, 20, "-"), 100, null,
            new ServerRun.TickToWireP99(9.8, "window-10s"));
        final RunSummary peer = RunSummary.of(SCENARIO, ServerKind.BUN, loadSummary(20, 4_500, 500, 5_000, 2_000),
            window, new WriteSyscallCounter.Count(-1, 20, "-"), 100, null, null);

        final JsonNode json = SideBySide.JSON.valueToTree(tickgate);
        assertThat(json.path("gatewayTickToWireP99Ms").asDouble()).isEqualTo(9.8);
        assertThat(json.path("gatewayTickToWireP99Source").asText()).isEqualTo("window-10s");
        final JsonNode peerJson = SideBySide.JSON.valueToTree(peer);
        assertThat(peerJson.has("gatewayTickToWireP99Source")).isTrue();
        assertThat(peerJson.path("gatewayTickToWireP99Source").isNull()).isTrue();
        assertThat(peerJson.path("gatewayTickToWireP99Ms").isNull()).isTrue();
        assertThat(Report.gatewayTickToWireP99(tickgate)).isEqualTo("9.80 (last 10 s)");
        assertThat(Report.gatewayTickToWireP99(peer)).isEqualTo("-");
    }

    private static String buckets(final long upTo1Ms, final long upTo2point5Ms, final long upTo50Ms, final long all)
    {
        return String.join("\n",
            "# TYPE tickgate_latency_tick_to_wire_seconds histogram",
            "tickgate_latency_tick_to_wire_seconds_bucket{le=\"5.0E-4\"} 0",
            "tickgate_latency_tick_to_wire_seconds_bucket{le=\"0.001\"} " + upTo1Ms,
            "tickgate_latency_tick_to_wire_seconds_bucket{le=\"0.0025\"} " + upTo2point5Ms,
            "tickgate_latency_tick_to_wire_seconds_bucket{le=\"0.05\"} " + upTo50Ms,
            "tickgate_latency_tick_to_wire_seconds_bucket{le=\"+Inf\"} " + all,
            "");
    }

    /** Cumulative counts up to 5, 10 and 25 ms, and of all entries (none above 25 ms). */
    private static String coarseBuckets(final long upTo5Ms, final long upTo10Ms, final long all)
    {
        return String.join("\n",
            "tickgate_latency_tick_to_wire_seconds_bucket{le=\"0.0025\"} 0",
            "tickgate_latency_tick_to_wire_seconds_bucket{le=\"0.005\"} " + upTo5Ms,
            "tickgate_latency_tick_to_wire_seconds_bucket{le=\"0.01\"} " + upTo10Ms,
            "tickgate_latency_tick_to_wire_seconds_bucket{le=\"0.025\"} " + all,
            "tickgate_latency_tick_to_wire_seconds_bucket{le=\"+Inf\"} " + all,
            "");
    }

    private static String window(final double p99Seconds)
    {
        return String.join("\n",
            "# TYPE tickgate_latency_tick_to_wire_window_seconds summary",
            "tickgate_latency_tick_to_wire_window_seconds{quantile=\"0.9\"} " + p99Seconds / 2,
            "tickgate_latency_tick_to_wire_window_seconds{quantile=\"0.99\"} " + p99Seconds,
            "tickgate_latency_tick_to_wire_window_seconds{quantile=\"0.999\"} " + p99Seconds * 2,
            "tickgate_latency_tick_to_wire_window_seconds_count 2000",
            "");
    }

    @Test
    void shouldShowTicksTheServerNeverAppliedAgainstTheFeedAndCarryPeersFrameSeqGaps()
    {
        // A peer applied only 80 of the 100 ticks/s the feed sent, but delivered all it applied.
        final RunSummary r = RunSummary.of(SCENARIO, ServerKind.WS, loadSummary(10, 4_000, 0, 4_000, 4_000),
            new ResourceSampler.Window(10, 1, 1, 0, 1024, 12, -1, List.of()),
            new WriteSyscallCounter.Count(-1, 10, "unavailable"), 100, null, null);

        assertThat(r.accountedPercent()).isEqualTo(100.0);
        assertThat(r.appliedPercentOfFeed()).isEqualTo(80.0);
        assertThat(r.feedDrops()).isEqualTo(12);
        assertThat(r.writesPerSecond()).isNull();
        assertThat(r.entriesPerWrite()).isNull();
        assertThat(r.frameSeqGaps()).as("the load generator's count, gaps of a process-wide numbering").isEqualTo(3);
    }

    @Test
    void shouldWriteNullForEveryFigureOfARunThatDidNotHappen()
    {
        final RunSummary skipped = RunSummary.notRun(SCENARIO, ServerKind.BUN, "skipped: no bun");

        final JsonNode json = SideBySide.JSON.valueToTree(skipped);
        final List<String> shape = List.of("scenario", "server", "status", "connections", "symbols",
            "symbolsPerConnection", "subscribersPerSymbol", "ratePerSecond", "offeredDeliveriesPerSecond", "perSecond");
        json.properties().forEach(field ->
        {
            if (!shape.contains(field.getKey()))
            {
                assertThat(field.getValue().isNull()).as("%s: %s", field.getKey(), field.getValue()).isTrue();
            }
        });
        assertThat(json.path("latencyP99Ms").isNull()).isTrue();
        assertThat(json.path("connectionsHeld").isNull()).isTrue();
        assertThat(json.path("connections").asInt()).isEqualTo(10);
        assertThat(json.path("status").asText()).isEqualTo("skipped: no bun");
    }

    /**
     * Procfs, perf and the simulator could not say, and the load generator's summary has no accounted share or
     * entries per frame: each is null in the JSON and "-" in the tables, not -1 or 0.
     */
    @Test
    void shouldWriteNullAndShowADashForWhatARunCouldNotMeasure()
    {
        final ObjectNode load = (ObjectNode)loadSummary(10, 4_000, 0, 4_000, 4_000);
        load.putNull("accountedPercent");
        load.putNull("entriesPerFrame");
        load.remove("slowestSessionEntries");
        final RunSummary r = RunSummary.of(SCENARIO, ServerKind.TICKGATE, load,
            new ResourceSampler.Window(10, -1, -1, -1, -1, -1, -1, List.of()),
            new WriteSyscallCounter.Count(-1, 0, "perf stat: not permitted"), -1, null, null);

        final JsonNode json = SideBySide.JSON.valueToTree(r);
        for (final String field : List.of("accountedPercent", "entriesPerFrame", "slowestSessionEntries",
            "feedTicksPerSecond", "feedDeliveriesPerSecond", "appliedPercentOfFeed", "serverCpuPercent",
            "serverPeakRssMiB", "clientCpuPercent", "clientCpuNsPerFrame", "simulatorCpuPercent", "feedDrops",
            "writesPerSecond", "entriesPerWrite"))
        {
            assertThat(json.path(field).isNull()).as("%s: %s", field, json.path(field)).isTrue();
        }
        assertThat(json.path("entriesPerSecond").asDouble()).isEqualTo(400.0);
        assertThat(json.path("frameSeqGaps").asLong()).isEqualTo(3);

        final String row = Report.markdown(List.of(new Report.Run(r, null))).lines()
            .filter(line -> line.startsWith("| tickgate |")).findFirst().orElseThrow();
        assertThat(row).isEqualTo("| tickgate | - | 400 | 400 | - | - | - | 0.15 / 0.24 / 1.48 / 15.1 / 28.7 | " +
            "2.50 | - | - | - | - (-) | - | - | - | 10 of 10 | - |");
        assertThat(Targets.verdict("overload", List.of(r))).isEqualTo("unknown: no accounted measured for tickgate");
    }

    @Test
    void shouldCompareWithWhatTheFeedOfferedToTheSessionsHeldOnly()
    {
        // 8 of 10 sessions held: the feed offered them 100 ticks/s x 5 subscribers x 0.8 = 400 per second.
        final RunSummary r = RunSummary.of(SCENARIO, ServerKind.TICKGATE, loadSummary(10, 4_000, 0, 4_000, 4_000, 8),
            new ResourceSampler.Window(10, 1, 1, 0, 1024, 0, -1, List.of()),
            new WriteSyscallCounter.Count(-1, 10, "unavailable"), 100, null, null);

        assertThat(r.feedDeliveriesPerSecond()).isEqualTo(400.0);
        assertThat(r.appliedPercentOfFeed()).isEqualTo(100.0);
        assertThat(r.connectionsHeld()).isEqualTo(8);
    }

    @Test
    void shouldReadTheRateTheSimulatorReallySent()
    {
        assertThat(ServerRun.feedTicksPerSecond(
            "tickgate simulate: sent 12 datagrams, 345 messages (5000 ticks in 2.500 s, 0 send errors)"))
            .isEqualTo(2_000.0);
        assertThat(ServerRun.feedTicksPerSecond("tickgate simulate: 3 symbols at 1000 ticks/s")).isEqualTo(-1);
        assertThat(ServerRun.feedTicksPerSecond(null)).isEqualTo(-1);
    }

    @Test
    void shouldJudgeTickgateAgainstTheOverloadTargetAndTheBestPeer()
    {
        final ResourceSampler.Window window = new ResourceSampler.Window(10, 1, 1, 0, 1024, 0, -1, List.of());
        final Scenario overload = Scenario.named("overload");
        final RunSummary tickgate = RunSummary.of(overload, ServerKind.TICKGATE,
            loadSummary(10, 4_500, 500, 5_000, 2_000), window, new WriteSyscallCounter.Count(-1, 10, "-"), -1,
            null, null);
        assertThat(Targets.verdict("overload", List.of(tickgate))).isEqualTo("met");

        final RunSummary lossy = RunSummary.of(overload, ServerKind.TICKGATE,
            loadSummary(10, 4_000, 500, 5_000, 2_000), window, new WriteSyscallCounter.Count(-1, 10, "-"), -1,
            null, null);
        assertThat(Targets.verdict("overload", List.of(lossy))).isEqualTo("not met: accounted 90.00 %");

        final Scenario light = Scenario.named("light");
        final RunSummary light1 = RunSummary.of(light, ServerKind.TICKGATE, loadSummary(10, 10, 0, 10, 10), window,
            new WriteSyscallCounter.Count(-1, 10, "-"), -1, null, null);
        assertThat(Targets.verdict("light", List.of(light1))).startsWith("unknown");
        assertThat(Targets.verdict("light", List.of(light1, RunSummary.notRun(light, ServerKind.BUN, "skipped"))))
            .startsWith("unknown");
        assertThat(Targets.verdict("custom", List.of(light1))).isEmpty();
    }
}

package io.tickgate.perf.sidebyside;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The runner end to end on a tiny scenario: a real Tickgate, simulator and load generator, each its own JVM, with
 * procfs sampled; Bun is asked for too, and skipped because the (temporary) root holds no peers. Correctness only,
 * never timings.
 */
class SideBySideSystemTest
{
    private static final Pattern FRAMES_SENT =
        Pattern.compile("^tickgate_frames_sent_total\\S* (\\S+)$", Pattern.MULTILINE);

    @Test
    void shouldRunTickgateSkipAMissingPeerAndWriteSummariesAndTheReport(@TempDir final Path root) throws Exception
    {
        final Scenario tiny = new Scenario("tiny", 20, 10, 2, 500, "256m");
        final Path out = root.resolve("results");
        final StringWriter printed = new StringWriter();

        final List<RunSummary> runs = SideBySide.run(new SideBySideSettings(root, out, List.of(tiny),
            List.of(ServerKind.TICKGATE, ServerKind.BUN), 2, 0.5, false), new PrintWriter(printed, true));

        assertThat(runs).hasSize(2);
        final RunSummary tickgate = runs.get(0);
        assertThat(tickgate.status()).as(printed.toString()).isEqualTo("ok");
        assertThat(tickgate.entriesPerSecond()).isPositive();
        assertThat(tickgate.connectionsHeld()).isEqualTo(20);
        assertThat(tickgate.accountedPercent()).as("entries + conflated against the seq advance").isEqualTo(100.0);
        assertThat(tickgate.serverCpuPercent()).as("server CPU sampled").isPositive();
        assertThat(tickgate.clientCpuPercent()).as("load generator CPU sampled").isPositive();
        assertThat(tickgate.serverPeakRssMiB()).isPositive();
        assertThat(tickgate.feedDrops()).as("the feed socket's row was found").isGreaterThanOrEqualTo(0);
        assertThat(tickgate.feedTicksPerSecond()).as("the simulator's last line: %s",
            Files.readString(out.resolve("tiny/tickgate/simulator.out"))).isPositive();
        assertThat(tickgate.writeSource()).isNotEmpty();
        assertThat(tickgate.latencyP99Ms()).isPositive();
        assertThat(tickgate.gatewayTickToWireP99Ms()).as("read from the gateway's /metrics").isPositive();
        assertThat(tickgate.gatewayTickToWireP99Source()).as("a 2 s window is shorter than the gateway's 10 s")
            .isEqualTo("buckets");
        assertThat(runs.get(1).status()).startsWith("skipped: perf/peers/bun-server.mjs is missing");

        final Path run = out.resolve("tiny").resolve("tickgate");
        final JsonNode summary = SideBySide.JSON.readTree(run.resolve("summary.json").toFile());
        assertThat(summary.path("entriesPerSecond").asDouble()).isPositive();
        assertThat(run.resolve("loadtest").resolve("latency.hlog")).exists();
        assertThat(run.resolve("loadtest").resolve("summary.json")).exists();
        assertThat(run.resolve("server.out")).exists();
        assertThat(List.of(ServerRun.METRICS_AT_START, ServerRun.METRICS_AT_END)
            .stream().map(file -> framesSent(run.resolve(file))).toList())
            .as("the gateway's own frame count, read in the warm-up and as the window closed")
            .isSorted().doesNotHaveDuplicates().allMatch(frames -> frames > 0);
        assertThat(out.resolve("tiny").resolve("bun").resolve("summary.json")).exists();
        final JsonNode results = SideBySide.JSON.readTree(out.resolve("results.json").toFile());
        assertThat(results.path("runs")).hasSize(2);
        assertThat(results.path("runs").get(1).path("latencyP99Ms").isNull()).as("a skipped run measured nothing")
            .isTrue();
        assertThat(results.path("loadAverageAtStart").asText()).matches("[0-9.]+ [0-9.]+ [0-9.]+");
        final String html = Files.readString(out.resolve("report.html"));
        assertThat(html).contains("<polyline data-server=\"tickgate\"", "<td>tickgate</td>", "<td>bun</td>");
        assertThat(ProcessHandle.current().children().filter(ProcessHandle::isAlive)).as("no child left").isEmpty();
    }

    private static double framesSent(final Path metrics)
    {
        try
        {
            final Matcher matcher = FRAMES_SENT.matcher(Files.readString(metrics));
            assertThat(matcher.find()).as("tickgate_frames_sent_total in %s", metrics).isTrue();
            return Double.parseDouble(matcher.group(1));
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException(ex);
        }
    }
}

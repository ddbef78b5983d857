package io.tickgate.perf;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code tickgate loadtest} from its command line against {@link ScriptedWebSocketServer}: runs that measured
 * nothing fail with one line and exit 1, and still write their summary.
 */
class LoadTestCommandTest
{
    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    private int loadtest(final int port, final Path dir, final String duration, final String warmup)
    {
        final CommandLine commandLine = PerfCommand.newCommandLine();
        commandLine.setOut(new PrintWriter(out, true));
        commandLine.setErr(new PrintWriter(err, true));
        return commandLine.execute("loadtest", "--url", "ws://127.0.0.1:" + port + "/ws", "--connections", "2",
            "--symbols", "2", "--duration", duration, "--warmup", warmup, "--out", dir.toString());
    }

    @Test
    void shouldFailAndWriteNullLatenciesWhenNoEntryArrives(@TempDir final Path dir) throws Exception
    {
        // Upgrades and takes the subscribe, but never answers it nor sends a frame.
        try (ScriptedWebSocketServer server = new ScriptedWebSocketServer(peer ->
        {
            peer.upgrade();
            peer.closeWhenAsked();
        }))
        {
            assertThat(loadtest(server.port(), dir, "1", "0")).as(out + "\n" + err).isEqualTo(1);

            assertThat(err.toString()).startsWith("tickgate loadtest: no entries were received")
                .doesNotContain("\tat ");
            assertThat(out.toString()).contains("latency       n/a: no entries received")
                .doesNotContain("p50 0.0 us");
            final JsonNode summary = LoadTest.JSON.readTree(dir.resolve("summary.json").toFile());
            assertThat(summary.path("entries").asLong()).isZero();
            for (final String field : new String[] { "p50", "p90", "p99", "p999", "max", "mean" })
            {
                assertThat(summary.path("latencyMicros").path(field).isNull()).as(field).isTrue();
                assertThat(summary.path("ageMicros").path(field).isNull()).as(field).isTrue();
            }
            // Nothing offered and no frame: no share and nothing per frame, while the window's own figures exist.
            assertNull(summary, "accountedPercent", "entriesPerFrame", "clientCpuNsPerFrame",
                "clientAllocatedBytesPerFrame");
            assertThat(summary.path("entriesPerSecond").isNumber()).isTrue();
            assertThat(summary.path("clientThreadCpuSeconds").isNumber()).isTrue();
            assertThat(summary.path("slowestSessionEntries").asLong()).as("both sessions open, starved").isZero();
            assertThat(out.toString()).contains("(n/a entries per update frame",
                "accounted     n/a: no updates offered", "slowest       open session received 0 entries",
                "n/a ns per frame", "bytes allocated (n/a per frame)");
            assertThat(server.failure()).isNull();
        }
    }

    @Test
    void shouldFailWithoutWarmingUpOrMeasuringWhenNoConnectionOpens(@TempDir final Path dir) throws Exception
    {
        try (ScriptedWebSocketServer server = new ScriptedWebSocketServer(peer -> peer.out.write(
            "HTTP/1.1 503 Service Unavailable\r\nContent-Length: 0\r\n\r\n".getBytes(StandardCharsets.US_ASCII))))
        {
            assertThat(loadtest(server.port(), dir, "3", "3")).as(out + "\n" + err).isEqualTo(1);

            assertThat(err.toString())
                .startsWith("tickgate loadtest: no connection was opened (0 failed to connect, 2 to upgrade)");
            assertThat(out.toString()).contains("upgrade refused: HTTP/1.1 503 Service Unavailable")
                .doesNotContain("measuring for");
            final JsonNode summary = LoadTest.JSON.readTree(dir.resolve("summary.json").toFile());
            assertThat(summary.path("measuredSeconds").asDouble()).isZero();
            assertThat(summary.path("peakOpenConnections").asInt()).isZero();
            // No window: no rate, no CPU or allocation of it, nothing per frame, no session to call the slowest.
            assertNull(summary, "accountedPercent", "entriesPerSecond", "framesPerSecond", "bytesPerSecond",
                "entriesPerFrame", "slowestSessionEntries", "clientThreadCpuSeconds", "clientProcessCpuSeconds",
                "clientCpuNsPerFrame", "clientAllocatedBytes", "clientAllocatedBytesPerFrame");
            assertThat(out.toString()).contains(
                "throughput    n/a entries/s  n/a frames/s  n/a bytes/s  (n/a entries per update frame, 0 conflated)",
                "accounted     n/a: no updates offered",
                "slowest       n/a: no session was open at the end of the window",
                "client cpu    n/a s on the selector thread, n/a s process (n/a of a core), n/a ns per frame; n/a " +
                    "bytes allocated (n/a per frame)")
                .doesNotContain("-1 bytes");
        }
    }

    @Test
    void shouldNameNoSlowestSessionWhenEveryConnectionClosedBeforeTheWindowEnded(@TempDir final Path dir)
        throws Exception
    {
        // Upgrades, then drops the connection.
        try (ScriptedWebSocketServer server = new ScriptedWebSocketServer(ScriptedWebSocketServer.Peer::upgrade))
        {
            assertThat(loadtest(server.port(), dir, "1", "0")).as(out + "\n" + err).isEqualTo(1);

            assertThat(err.toString()).startsWith("tickgate loadtest: every connection was closed before the " +
                "measuring window ended");
            assertThat(out.toString()).contains("slowest       n/a: no session was open at the end of the window")
                .doesNotContain("open session received");
            final JsonNode summary = LoadTest.JSON.readTree(dir.resolve("summary.json").toFile());
            assertThat(summary.path("peakOpenConnections").asInt()).isPositive();
            assertNull(summary, "slowestSessionEntries");
        }
    }

    private static void assertNull(final JsonNode summary, final String... fields)
    {
        for (final String field : fields)
        {
            assertThat(summary.has(field)).as("%s written", field).isTrue();
            assertThat(summary.path(field).isNull()).as("%s is null: %s", field, summary.path(field)).isTrue();
        }
    }
}

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

            assertThat(err.toString()).startsWith("tickgate loadtest: no entries were received").doesNotContain("\tat ");
            assertThat(out.toString()).contains("latency       n/a: no entries received")
                .doesNotContain("p50 0.0 us");
            final JsonNode summary = LoadTest.JSON.readTree(dir.resolve("summary.json").toFile());
            assertThat(summary.path("entries").asLong()).isZero();
            for (final String field : new String[] { "p50", "p90", "p99", "p999", "max", "mean" })
            {
                assertThat(summary.path("latencyMicros").path(field).isNull()).as(field).isTrue();
                assertThat(summary.path("ageMicros").path(field).isNull()).as(field).isTrue();
            }
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

            assertThat(err.toString()).startsWith("tickgate loadtest: no connection was opened (0 failed to connect, 2 to " +
                "upgrade)");
            assertThat(out.toString()).contains("upgrade refused: HTTP/1.1 503 Service Unavailable")
                .doesNotContain("measuring for");
            final JsonNode summary = LoadTest.JSON.readTree(dir.resolve("summary.json").toFile());
            assertThat(summary.path("measuredSeconds").asDouble()).isZero();
            assertThat(summary.path("peakOpenConnections").asInt()).isZero();
        }
    }
}

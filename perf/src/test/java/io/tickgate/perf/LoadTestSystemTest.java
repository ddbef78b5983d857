package io.tickgate.perf;

import io.tickgate.gateway.Gateway;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A short load test against a real gateway with its embedded simulator: correctness only, never timings.
 */
class LoadTestSystemTest
{
    private static final int CONNECTIONS = 50;
    private static final int SYMBOLS = 20;
    /** Generous: anything from a healthy gateway on loopback is far below, even on a busy 2-core CI machine. */
    private static final double SANE_LATENCY_MICROS = 10_000_000;

    @Test
    void shouldReceiveAndDecodeUpdatesOnFiftyConnectionsAndCloseThemAll(@TempDir final Path out) throws Exception
    {
        try (Gateway gateway = Gateway.launch(new Gateway.Context()
            .bindAddress("127.0.0.1").httpPort(0).feedPort(-1).simulatorSymbols(SYMBOLS).simulatorRate(2_000)))
        {
            awaitUntil(() -> gateway.registry().count() >= SYMBOLS, "simulator symbols never all defined");
            final int port = gateway.httpAddress().getPort();
            final StringWriter printed = new StringWriter();

            final LoadTestResult result = LoadTest.run(
                new LoadTestSettings("127.0.0.1", port, "/ws", CONNECTIONS, 2, 0,
                    TimeUnit.SECONDS.toNanos(3), TimeUnit.MILLISECONDS.toNanos(500)),
                out, new PrintWriter(printed, true));

            assertThat(result.peakOpenConnections()).as(printed.toString()).isEqualTo(CONNECTIONS);
            assertThat(result.subscribedReplies()).isEqualTo(CONNECTIONS);
            assertThat(result.minSubscribersPerSymbol()).isEqualTo(CONNECTIONS * 2 / SYMBOLS);
            assertThat(result.maxSubscribersPerSymbol()).isEqualTo(CONNECTIONS * 2 / SYMBOLS);
            assertThat(result.entries()).as(printed.toString()).isPositive();
            assertThat(result.updateFrames()).isPositive();
            assertThat(result.latencyMicros().count()).isEqualTo(result.entries());
            assertThat(result.openAtMeasureEnd()).isEqualTo(CONNECTIONS);
            assertThat(result.rejectedSymbols()).isZero();
            assertThat(result.seqAdvance()).isPositive();
            assertThat(result.accountedPercent()).as("entries + conflated against the seq advance").isEqualTo(100.0);
            assertThat(result.frameSeqGaps()).isZero();
            assertThat(result.frameSeqRegressions()).isZero();
            assertThat(result.seqRegressions()).isZero();
            assertThat(result.unexpectedSids()).isZero();
            assertThat(result.malformedFrames()).isZero();
            assertThat(result.protocolErrors()).isZero();
            assertThat(result.errorReplies()).isZero();
            assertThat(result.nonPositiveLatencies()).isZero();
            assertThat(result.latencyMicros().p50()).isPositive();
            assertThat(result.latencyMicros().max()).isPositive().isLessThan(SANE_LATENCY_MICROS);
            assertThat(result.slowestSessionEntries()).isPositive();
            assertThat(result.abnormalCloses() + result.forcedCloses()).as(printed.toString()).isZero();
            assertThat(printed.toString()).contains("entries/s", "p99.9", "ns per frame");
            assertThat(Files.readString(out.resolve("summary.json"))).contains("\"entriesPerSecond\"");
            final String hlog = Files.readString(out.resolve("latency.hlog"));
            assertThat(hlog.contains("#[StartTime:") && hlog.contains("Tag=latency,") && hlog.contains("Tag=age,"))
                .as("latency.hlog has a start time and both tagged series").isTrue();

            awaitUntil(() -> 0 == gateway.sessionsOpen(), "gateway still holds sessions after the load test");
        }
    }

    private static void awaitUntil(final java.util.function.BooleanSupplier condition, final String failure)
    {
        final long deadlineNs = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!condition.getAsBoolean())
        {
            if (System.nanoTime() > deadlineNs)
            {
                throw new AssertionError(failure);
            }
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(20));
        }
    }
}

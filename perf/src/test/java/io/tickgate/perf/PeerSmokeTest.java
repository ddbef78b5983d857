package io.tickgate.perf;

import com.fasterxml.jackson.databind.JsonNode;
import io.tickgate.simulator.FeedSimulator;
import io.tickgate.simulator.MarketSimulator;
import io.tickgate.simulator.UdpFeedSender;
import org.agrona.CloseHelper;
import org.agrona.concurrent.AgentRunner;
import org.agrona.concurrent.BackoffIdleStrategy;
import org.agrona.concurrent.SystemNanoClock;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A short load test against each comparison peer in {@code perf/peers} (Bun pub/sub, Node {@code ws}), fed by the
 * simulator over real UDP: the peer runs as its own process and the load generator checks what it decodes, never
 * timings. The peers forward every tick unconflated and number frames process-wide, so a session's {@code frameSeq}
 * has gaps by design; regressions of either sequence are still errors.
 */
class PeerSmokeTest
{
    private static final int CONNECTIONS = 50;
    private static final int SYMBOLS = 20;
    private static final int SYMBOLS_PER_CONNECTION = 2;
    /** Generous bounds: sanity, not a timing assertion (a busy 2-core CI machine runs peer, feed and client). */
    private static final double SANE_P50_MICROS = 1_000_000;
    private static final double SANE_MAX_MICROS = 10_000_000;
    private static final long WAIT_NS = TimeUnit.SECONDS.toNanos(30);
    private static final Pattern READY = Pattern.compile("ready ws=(\\d+) feed=(\\d+)");

    /** The peers and how to start them; the fixed command lines of perf/peers/README.md. */
    enum Peer
    {
        BUN("bun-server.mjs"),
        NODE_WS("ws-server.mjs");

        final String script;

        Peer(final String script)
        {
            this.script = script;
        }

        List<String> command(final Path peersDir)
        {
            final String runtime;
            if (BUN == this)
            {
                final Path bun = peersDir.resolve("node_modules/.bin/bun");
                assertThat(Files.isExecutable(bun))
                    .as("bun is missing at %s: `mvn verify` runs `npm ci` in perf/peers before the tests " +
                        "(phase generate-test-resources); run it there by hand for this test alone", bun)
                    .isTrue();
                runtime = bun.toString();
            }
            else
            {
                runtime = onPath("node");
            }
            return List.of(runtime, peersDir.resolve(script).toString(), "--ws-port", "0", "--feed-port", "0",
                "--bind", "127.0.0.1");
        }
    }

    @ParameterizedTest
    @EnumSource(Peer.class)
    void shouldServeFiftyConnectionsFromTheUdpFeed(final Peer peer, @TempDir final Path out) throws Exception
    {
        final Path peersDir = Path.of(System.getProperty("tickgate.peers.dir", "peers")).toAbsolutePath();
        final Path stderr = out.resolve("peer-stderr.txt");
        final Process process = new ProcessBuilder(peer.command(peersDir))
            .redirectError(stderr.toFile())
            .start();
        final BlockingQueue<String> lines = readLines(process);
        UdpFeedSender sender = null;
        AgentRunner runner = null;
        try
        {
            final String ready = lines.poll(WAIT_NS, TimeUnit.NANOSECONDS);
            final Matcher ports = READY.matcher(null == ready ? "" : ready);
            assertThat(ports.matches()).as("%s ready line: %s; stderr: %s", peer, ready, read(stderr)).isTrue();
            final int wsPort = Integer.parseInt(ports.group(1));
            final int feedPort = Integer.parseInt(ports.group(2));

            sender = new UdpFeedSender(new InetSocketAddress("127.0.0.1", feedPort));
            runner = new AgentRunner(new BackoffIdleStrategy(), Throwable::printStackTrace, null, new FeedSimulator(
                new MarketSimulator(SYMBOLS, 7), sender, 2_000, 0, SystemNanoClock.INSTANCE));
            AgentRunner.startOnThread(runner);
            final AtomicReference<Throwable> fetchError = new AtomicReference<>();
            awaitUntil(() -> symbolCount(wsPort, fetchError) >= SYMBOLS,
                () -> peer + " never listed all " + SYMBOLS + " symbols; last error " + fetchError.get());

            final StringWriter printed = new StringWriter();
            final LoadTestResult result = LoadTest.run(
                new LoadTestSettings("127.0.0.1", wsPort, "/ws", CONNECTIONS, SYMBOLS_PER_CONNECTION, SYMBOLS,
                    TimeUnit.SECONDS.toNanos(3), TimeUnit.MILLISECONDS.toNanos(500)),
                out, new PrintWriter(printed, true));

            final String report = peer + "\n" + printed;
            assertThat(result.peakOpenConnections()).as(report).isEqualTo(CONNECTIONS);
            assertThat(result.subscribedReplies()).as(report).isEqualTo(CONNECTIONS);
            assertThat(result.entries()).as(report).isPositive();
            assertThat(result.updateFrames()).as("one entry per UPDATE: no conflation").isEqualTo(result.entries());
            assertThat(result.conflated()).isZero();
            assertThat(result.latencyMicros().count()).isEqualTo(result.entries());
            assertThat(result.malformedFrames()).as(report).isZero();
            assertThat(result.seqRegressions()).as(report).isZero();
            assertThat(result.frameSeqRegressions()).as(report).isZero();
            assertThat(result.unexpectedSids()).as(report).isZero();
            assertThat(result.protocolErrors()).as(report).isZero();
            assertThat(result.errorReplies()).as(report).isZero();
            // A peer's ingestTime ahead of this host's clock would be recorded as 1 ns and pass the p50 check. A
            // peer aligns its clock to the wall clock only as finely as its start-up check of Date.now()'s steps can
            // (tens of microseconds on a busy host: perf/peers/peer.mjs), so the fastest loopback deliveries, tens of
            // microseconds, may read at or below 0 now and then; a clock ahead by more reads so for most entries.
            assertThat(result.nonPositiveLatencies()).as(report).isLessThanOrEqualTo(result.entries() / 100);
            assertThat(result.latencyMicros().p50()).as(report).isPositive().isLessThan(SANE_P50_MICROS);
            assertThat(result.latencyMicros().max()).as(report).isLessThan(SANE_MAX_MICROS);
            assertThat(result.slowestSessionEntries()).as(report).isPositive();
            assertThat(result.abnormalCloses() + result.forcedCloses()).as(report).isZero();

            CloseHelper.quietCloseAll(runner, sender);
            runner = null;
            // SIGTERM through the handle: Process.destroy() would also close our end of the peer's stdout.
            process.toHandle().destroy();
            assertThat(process.waitFor(WAIT_NS, TimeUnit.NANOSECONDS)).as("%s exits after SIGTERM", peer).isTrue();
            assertThat(process.exitValue()).as("%s exit status; stderr: %s", peer, read(stderr)).isZero();
            final String countersLine = lastLine(lines);
            final JsonNode counters = LoadTest.JSON.readTree(countersLine);
            assertThat(counters.path("datagrams").asLong()).as("counters line: %s", countersLine).isPositive();
            assertThat(counters.path("malformedDatagrams").asLong()).isZero();
            assertThat(counters.path("ticks").asLong()).isPositive();
            assertThat(counters.path("framesSent").asLong()).isGreaterThanOrEqualTo(result.frames());
        }
        finally
        {
            CloseHelper.quietCloseAll(runner, sender);
            if (process.isAlive())
            {
                process.destroyForcibly();
                process.waitFor(WAIT_NS, TimeUnit.NANOSECONDS);
            }
        }
    }

    private static BlockingQueue<String> readLines(final Process process)
    {
        final BlockingQueue<String> lines = new LinkedBlockingQueue<>();
        final Thread reader = new Thread(() ->
        {
            try (BufferedReader in = new BufferedReader(
                new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8)))
            {
                for (String line = in.readLine(); null != line; line = in.readLine())
                {
                    lines.add(line);
                }
            }
            catch (final IOException ignore)
            {
                // The process went away; what it printed before is in the queue.
            }
            lines.add("");
        }, "peer-stdout");
        reader.setDaemon(true);
        reader.start();
        return lines;
    }

    /** The last line the peer printed before its stdout closed (the reader ends with an empty marker line). */
    private static String lastLine(final BlockingQueue<String> lines) throws InterruptedException
    {
        String last = "";
        for (String line = lines.poll(WAIT_NS, TimeUnit.NANOSECONDS); null != line && !line.isEmpty();
            line = lines.poll(WAIT_NS, TimeUnit.NANOSECONDS))
        {
            last = line;
        }
        return last;
    }

    private static int symbolCount(final int port, final AtomicReference<Throwable> lastError)
    {
        try
        {
            final LoadTestSettings listAll = new LoadTestSettings("127.0.0.1", port, "/ws", 1, 1, 0, 0, 0);
            return LoadTest.chooseSymbols(listAll, new PrintWriter(new StringWriter())).size();
        }
        catch (final IOException ex)
        {
            lastError.set(ex);
            return 0;
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", ex);
        }
    }

    private static String onPath(final String name)
    {
        for (final String dir : System.getenv().getOrDefault("PATH", "").split(java.io.File.pathSeparator))
        {
            final Path candidate = Path.of(dir.isEmpty() ? "." : dir, name);
            if (Files.isExecutable(candidate))
            {
                return candidate.toString();
            }
        }
        throw new AssertionError(name + " is not on the PATH: the ws peer runs on Node.js 20 (.ci/run installs it)");
    }

    private static String read(final Path file)
    {
        try
        {
            return Files.exists(file) ? Files.readString(file) : "";
        }
        catch (final IOException ex)
        {
            return "(unreadable: " + ex + ")";
        }
    }

    private static void awaitUntil(final BooleanSupplier condition, final java.util.function.Supplier<String> failure)
    {
        final long deadlineNs = System.nanoTime() + WAIT_NS;
        while (!condition.getAsBoolean())
        {
            if (System.nanoTime() > deadlineNs)
            {
                throw new AssertionError(failure.get());
            }
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(20));
        }
    }
}

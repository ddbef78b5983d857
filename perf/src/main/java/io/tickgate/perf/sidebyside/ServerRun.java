package io.tickgate.perf.sidebyside;

import com.fasterxml.jackson.databind.JsonNode;
import io.tickgate.gateway.cli.TickgateCommand;
import io.tickgate.perf.PerfCommand;

import java.io.IOException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One server under one scenario: picks free loopback ports, starts the server, then the simulator at the scenario's
 * rate, then the load generator, each its own process writing into {@code dir}; samples procfs and counts write
 * syscalls over the load generator's measured window; stops the simulator and the server and sums it all up.
 * <p>
 * Not thread-safe: the runner's thread uses it once. Every child it starts goes into {@code live} first, so the
 * runner (or its shutdown hook) can stop it whatever happens here.
 */
final class ServerRun
{
    static final String LOOPBACK = "127.0.0.1";
    static final long READY_TIMEOUT_MS = 60_000;
    /** The load generator may take up to 120 s to connect (LoadGenerator.CONNECT_PHASE_LIMIT_NS). */
    static final long MEASURE_START_TIMEOUT_MS = 200_000;
    /** The load generator's line at the end of its connect phase (not its "N of M connections open" progress). */
    private static final Pattern CONNECTED = Pattern.compile("tickgate loadtest: \\d+ connections open in ");
    private static final Pattern SIMULATOR_TICKS = Pattern.compile("\\((\\d+) ticks in ([0-9.]+) s");
    private static final Pattern TICK_TO_WIRE_BUCKET = Pattern.compile(
        "^tickgate_latency_tick_to_wire_seconds_bucket\\{le=\"([^\"]+)\"\\}\\s+(\\S+)$", Pattern.MULTILINE);
    private static final Pattern TICK_TO_WIRE_WINDOW_P99 = Pattern.compile(
        "^tickgate_latency_tick_to_wire_window_seconds\\{quantile=\"0\\.99\"\\}\\s+(\\S+)$", Pattern.MULTILINE);
    /**
     * The gateway's exact p99 covers its last 10 whole seconds and is republished once a second, so as read when the
     * window closes it may begin up to 11 s earlier: from that long on it lies inside the window.
     */
    static final double TICK_TO_WIRE_WINDOW_MIN_SECONDS = 11;
    static final String TICK_TO_WIRE_FROM_WINDOW = "window-10s";
    static final String TICK_TO_WIRE_FROM_BUCKETS = "buckets";
    static final String METRICS_AT_START = "metrics-start.prom";
    static final String METRICS_AT_END = "metrics-end.prom";
    private static final long WARMUP_SCRAPE_INTERVAL_MS = 1_000;

    /**
     * Tickgate's own tick-to-wire p99 over the measured window and how it was found: {@value #TICK_TO_WIRE_FROM_WINDOW}
     * (the gateway's exact figure over its last 10 s) or {@value #TICK_TO_WIRE_FROM_BUCKETS} (interpolated in the
     * difference of its histogram buckets).
     */
    record TickToWireP99(double ms, String source)
    {
    }

    private final SideBySideSettings settings;
    private final Scenario scenario;
    private final ServerKind server;
    private final Path dir;
    private final JavaCommand java;
    private final long clockTicksPerSecond;
    private final Set<ChildProcess> live;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    ServerRun(
        final SideBySideSettings settings,
        final Scenario scenario,
        final ServerKind server,
        final JavaCommand java,
        final long clockTicksPerSecond,
        final Set<ChildProcess> live)
    {
        this.settings = settings;
        this.scenario = scenario;
        this.server = server;
        this.dir = dir(settings, scenario, server);
        this.java = java;
        this.clockTicksPerSecond = clockTicksPerSecond;
        this.live = live;
    }

    /**
     * Where one run writes: {@code <out>/<scenario>/<server>/}.
     */
    static Path dir(final SideBySideSettings settings, final Scenario scenario, final ServerKind server)
    {
        return settings.out().resolve(scenario.name()).resolve(server.id);
    }

    /**
     * Starts the three processes, measures the window, stops them and returns the figures; throws a one-line
     * {@link IOException} when a step fails. The caller stops whatever is left.
     */
    RunSummary run() throws IOException, InterruptedException
    {
        Files.createDirectories(dir);
        final int wsPort = freeTcpPort();
        final int feedPort = freeUdpPort();
        final ChildProcess serverProcess = startServer(wsPort, feedPort);
        final ChildProcess simulator = startSimulator(wsPort, feedPort);
        final ChildProcess load = startLoadGenerator(wsPort);

        final ResourceSampler sampler = new ResourceSampler(
            serverProcess.pid(), load.pid(), simulator.pid(), feedPort, clockTicksPerSecond);
        final WriteSyscallCounter writeCounter = new WriteSyscallCounter();
        final ResourceSampler.Window window;
        final TickToWireP99 gatewayTickToWireP99;
        WriteSyscallCounter.Count writes;
        try
        {
            // Counting from the warm-up on, so the intervals that cover the window are all there to pick from.
            writeCounter.start(Procfs.tree(serverProcess.pid()), dir);
            final Measuring warmedUp = awaitMeasuring(load, wsPort);
            final ChildProcess.Line measuring = warmedUp.line();
            require(measuring, load, "the load generator never began measuring");
            sampler.start();
            final ChildProcess.Line measured = load.awaitTimedLine(
                line -> line.text().startsWith("tickgate loadtest: measured"),
                (long)(settings.durationSeconds() * 1000) + READY_TIMEOUT_MS);
            window = sampler.stop();
            require(measured, load, "the load generator stopped before the end of its window");
            gatewayTickToWireP99 = server.isPeer() ? null : gatewayTickToWireP99(warmedUp.metrics(),
                scrape(wsPort, METRICS_AT_END), (measured.nanoTime() - measuring.nanoTime()) / 1e9);
            writes = writeCounter.finish(measuring.nanoTime(), measured.nanoTime(), READY_TIMEOUT_MS);
        }
        finally
        {
            writeCounter.stop();
        }
        final Integer loadExit = load.awaitExit(READY_TIMEOUT_MS);
        if (null == loadExit || 0 != loadExit)
        {
            throw new IOException("the load generator " + (null == loadExit ? "did not finish" : "exited with " +
                loadExit) + ": " + load.lastErrorLine());
        }
        if (writes.count() < 0 && window.serverSyscw() >= 0)
        {
            writes = new WriteSyscallCounter.Count(window.serverSyscw(), window.seconds(),
                "/proc/PID/io syscw (write, writev; not send*): " + writes.source());
        }

        stop(simulator, live);
        final double feedTicksPerSecond = feedTicksPerSecond(simulator.lastLine(line -> line.contains(" ticks in ")));
        stop(serverProcess, live);
        final JsonNode loadSummary = SideBySide.JSON.readTree(dir.resolve("loadtest").resolve("summary.json").toFile());
        return RunSummary.of(scenario, server, loadSummary, window, writes, feedTicksPerSecond,
            serverCounters(serverProcess), gatewayTickToWireP99);
    }

    /**
     * The load generator's "measuring" line (null if it never came) and Tickgate's {@code /metrics} as last read
     * before it (null for a peer).
     */
    private record Measuring(ChildProcess.Line line, String metrics)
    {
    }

    /**
     * Waits for the load generator's "measuring" line. Meanwhile Tickgate's {@code /metrics} is read at once and then
     * every second, as Prometheus would read it, so that the window does not hold the JIT's first work on that path:
     * the gateway's first scrape loads classes that make the JIT drop code compiled for the IO thread's selector and
     * listener calls, and sets off a burst of compilations, on a host whose two cores the window shares. The last of
     * these reads, at most a second before the window, stands for its start (the gateway republishes its histograms
     * once a second anyway), so nothing reads the gateway inside the window.
     */
    private Measuring awaitMeasuring(final ChildProcess load, final int wsPort) throws InterruptedException
    {
        final long deadlineNs = System.nanoTime() +
            TimeUnit.MILLISECONDS.toNanos((long)(settings.warmupSeconds() * 1000) + READY_TIMEOUT_MS);
        String metrics = null;
        while (true)
        {
            if (!server.isPeer())
            {
                final String body = scrape(wsPort, METRICS_AT_START);
                metrics = null == body ? metrics : body;
            }
            final long leftMs = TimeUnit.NANOSECONDS.toMillis(deadlineNs - System.nanoTime());
            final ChildProcess.Line measuring = load.awaitTimedLine(
                line -> line.text().startsWith("tickgate loadtest: measuring"),
                Math.max(0, Math.min(WARMUP_SCRAPE_INTERVAL_MS, leftMs)));
            if (null != measuring || leftMs <= WARMUP_SCRAPE_INTERVAL_MS || !load.isAlive())
            {
                return new Measuring(measuring, metrics);
            }
        }
    }

    /**
     * Tickgate's {@code /metrics} body, also kept in {@code dir/file} (the last read before the window, the one after
     * it), so the gateway's own counters can be set beside the load generator's; null when it did not answer 200.
     */
    private String scrape(final int wsPort, final String file)
    {
        final String body = get(wsPort, "/metrics", 5);
        if (null != body)
        {
            try
            {
                Files.writeString(dir.resolve(file), body);
            }
            catch (final IOException ex)
            {
                // the figure still goes into the summary; only the copy on disk is missing
            }
        }
        return body;
    }

    private ChildProcess startServer(final int wsPort, final int feedPort) throws IOException, InterruptedException
    {
        final ChildProcess process = start("server", server.command(settings.root(), java, scenario, wsPort, feedPort));
        awaitReady(process, wsPort);
        return process;
    }

    /**
     * {@code tickgate simulate} at the scenario's rate; for Tickgate, waits until {@code /health} counts every symbol
     * (a peer has no such page: the load generator's start-up gives it the simulator's first definitions).
     */
    private ChildProcess startSimulator(final int wsPort, final int feedPort) throws IOException, InterruptedException
    {
        final List<String> simulate = new ArrayList<>(List.of("simulate", "--to", LOOPBACK + ":" + feedPort,
            "--symbols", Integer.toString(scenario.symbols()), "--rate", SideBySide.number(scenario.ratePerSecond())));
        if (!settings.skewedFeed())
        {
            simulate.add("--uniform");
        }
        final ChildProcess simulator = start("simulator",
            java.command(List.of(), TickgateCommand.class.getName(), simulate));
        require(simulator.awaitLine(line -> line.startsWith("tickgate simulate:"), READY_TIMEOUT_MS), simulator,
            "the simulator did not start");
        if (!server.isPeer())
        {
            awaitUntil(() -> healthSymbols(wsPort) >= scenario.symbols(), READY_TIMEOUT_MS,
                "Tickgate never listed the simulator's " + scenario.symbols() + " symbols");
        }
        return simulator;
    }

    /**
     * {@code tickgate loadtest} with exactly C x K / S subscribers per symbol; returns once its connections are open
     * and its warm-up begins.
     */
    private ChildProcess startLoadGenerator(final int wsPort) throws IOException, InterruptedException
    {
        final ChildProcess load = start("loadtest", java.command(PerfCommand.LOAD_GENERATOR_JVM_OPTIONS,
            PerfCommand.class.getName(), List.of("loadtest", "--url", "ws://" + LOOPBACK + ":" + wsPort + "/ws",
                "--connections", Integer.toString(scenario.connections()),
                "--symbols-per-connection", Integer.toString(scenario.symbolsPerConnection()),
                "--symbols", Integer.toString(scenario.symbols()),
                "--duration", SideBySide.number(settings.durationSeconds()),
                "--warmup", SideBySide.number(settings.warmupSeconds()),
                "--out", dir.resolve("loadtest").toString())));
        require(load.awaitLine(line -> CONNECTED.matcher(line).lookingAt(), MEASURE_START_TIMEOUT_MS), load,
            "the load generator never finished connecting");
        return load;
    }

    private ChildProcess start(final String name, final List<String> command) throws IOException
    {
        final ChildProcess child = ChildProcess.start(name, command, dir, settings.root());
        live.add(child);
        return child;
    }

    static void stop(final ChildProcess child, final Set<ChildProcess> live) throws InterruptedException
    {
        child.stop(ChildProcess.STOP_GRACE_MS);
        live.remove(child);
    }

    private void awaitReady(final ChildProcess process, final int wsPort)
        throws IOException, InterruptedException
    {
        if (server.isPeer())
        {
            require(process.awaitLine(line -> line.startsWith(ServerKind.READY_PREFIX), READY_TIMEOUT_MS), process,
                server.title + " did not print '" + ServerKind.READY_PREFIX + "...'");
            return;
        }
        awaitUntil(() -> healthSymbols(wsPort) >= 0 || !process.isAlive(), READY_TIMEOUT_MS,
            "Tickgate's /health did not answer 200");
        if (!process.isAlive())
        {
            throw new IOException("Tickgate exited at start: " + process.lastErrorLine());
        }
    }

    /**
     * The {@code symbols} count of Tickgate's {@code GET /health}, or -1 until it answers 200.
     */
    private int healthSymbols(final int port)
    {
        final String body = get(port, "/health", 2);
        try
        {
            return null == body ? -1 : SideBySide.JSON.readTree(body).path("symbols").asInt(0);
        }
        catch (final IOException ex)
        {
            return -1;
        }
    }

    /**
     * The body of a 200 answer to {@code GET path} on Tickgate's HTTP port; null for any other answer or none.
     */
    private String get(final int port, final String path, final int timeoutSeconds)
    {
        try
        {
            final HttpResponse<String> response = http.send(
                HttpRequest.newBuilder(URI.create("http://" + LOOPBACK + ":" + port + path))
                    .timeout(Duration.ofSeconds(timeoutSeconds)).GET().build(),
                HttpResponse.BodyHandlers.ofString());
            return 200 == response.statusCode() ? response.body() : null;
        }
        catch (final IOException ex)
        {
            return null;
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
            return null;
        }
    }

    private static void awaitUntil(final BooleanSupplier condition, final long timeoutMs, final String failure)
        throws IOException
    {
        final long deadlineNs = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMs);
        while (!condition.getAsBoolean())
        {
            if (System.nanoTime() - deadlineNs > 0 || Thread.currentThread().isInterrupted())
            {
                throw new IOException(failure + " within " + timeoutMs / 1000 + " s");
            }
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(100));
        }
    }

    private static void require(final Object line, final ChildProcess process, final String failure)
        throws IOException
    {
        if (null == line)
        {
            final String err = process.lastErrorLine();
            throw new IOException(failure + (process.isAlive() ? "" : " (it exited)") +
                (err.isEmpty() ? "" : ": " + err));
        }
    }

    /**
     * Tickgate's own tick-to-wire p99 (ingest to write) over a measured window of {@code windowSeconds}, from its
     * {@code /metrics} read in the last second before the window and as it closed. When the window holds the
     * gateway's last 10 s, its exact HdrHistogram figure over them, read at the close; otherwise (or when that figure
     * is missing or NaN) the
     * p99 of the entries counted in its cumulative {@code tickgate_latency_tick_to_wire_seconds} buckets between the
     * two reads, which covers the whole window (each edge within the second the gateway takes to publish them) but
     * only as finely as the buckets. Null when neither can be had.
     */
    static TickToWireP99 gatewayTickToWireP99(
        final String metricsAtStart, final String metricsAtEnd, final double windowSeconds)
    {
        if (null == metricsAtEnd)
        {
            return null;
        }
        final Double exactMs = windowSeconds >= TICK_TO_WIRE_WINDOW_MIN_SECONDS ?
            tickToWireWindowP99Ms(metricsAtEnd) : null;
        if (null != exactMs)
        {
            return new TickToWireP99(exactMs, TICK_TO_WIRE_FROM_WINDOW);
        }
        final Double bucketsMs = null == metricsAtStart ? null :
            tickToWireP99Ms(tickToWireBuckets(metricsAtStart), tickToWireBuckets(metricsAtEnd));
        return null == bucketsMs ? null : new TickToWireP99(bucketsMs, TICK_TO_WIRE_FROM_BUCKETS);
    }

    /**
     * {@code tickgate_latency_tick_to_wire_window_seconds{quantile="0.99"}} in a Prometheus text exposition, in
     * milliseconds; null when it is missing or not a number (NaN while no entry was written in the last 10 s).
     */
    static Double tickToWireWindowP99Ms(final String metrics)
    {
        final Matcher matcher = TICK_TO_WIRE_WINDOW_P99.matcher(metrics);
        if (!matcher.find())
        {
            return null;
        }
        try
        {
            final double seconds = Double.parseDouble(matcher.group(1));
            return Double.isFinite(seconds) ? seconds * 1_000.0 : null;
        }
        catch (final NumberFormatException ex)
        {
            return null;
        }
    }

    /**
     * The cumulative counts of {@code tickgate_latency_tick_to_wire_seconds} in a Prometheus text exposition, by
     * upper bound in seconds ({@code +Inf} included).
     */
    static NavigableMap<Double, Double> tickToWireBuckets(final String metrics)
    {
        final NavigableMap<Double, Double> buckets = new TreeMap<>();
        final Matcher matcher = TICK_TO_WIRE_BUCKET.matcher(metrics);
        while (matcher.find())
        {
            try
            {
                buckets.put("+Inf".equals(matcher.group(1)) ? Double.POSITIVE_INFINITY :
                    Double.parseDouble(matcher.group(1)), Double.parseDouble(matcher.group(2)));
            }
            catch (final NumberFormatException ex)
            {
                return new TreeMap<>();
            }
        }
        return buckets;
    }

    /**
     * The 0.99 quantile, in milliseconds, of the entries counted between two reads of the cumulative buckets,
     * interpolated inside its bucket as Prometheus' {@code histogram_quantile} does (so only as fine as the
     * buckets); null when nothing was counted in between or the buckets differ.
     */
    static Double tickToWireP99Ms(final NavigableMap<Double, Double> start, final NavigableMap<Double, Double> end)
    {
        if (end.isEmpty() || !start.keySet().equals(end.keySet()) || !end.containsKey(Double.POSITIVE_INFINITY))
        {
            return null;
        }
        final double total = end.get(Double.POSITIVE_INFINITY) - start.get(Double.POSITIVE_INFINITY);
        if (!(total > 0))
        {
            return null;
        }
        final double rank = 0.99 * total;
        double lowerBound = 0;
        double countBelow = 0;
        for (final Map.Entry<Double, Double> bucket : end.entrySet())
        {
            final double cumulative = bucket.getValue() - start.get(bucket.getKey());
            if (cumulative >= rank)
            {
                if (Double.isInfinite(bucket.getKey()))
                {
                    return lowerBound * 1_000.0;
                }
                final double inBucket = cumulative - countBelow;
                final double fraction = inBucket > 0 ? (rank - countBelow) / inBucket : 1;
                return (lowerBound + (bucket.getKey() - lowerBound) * fraction) * 1_000.0;
            }
            lowerBound = bucket.getKey();
            countBelow = cumulative;
        }
        return null;
    }

    /**
     * A peer's one JSON line of counters, printed on SIGTERM; null for Tickgate or when the line is missing.
     */
    private JsonNode serverCounters(final ChildProcess process)
    {
        final String line = server.isPeer() ? process.lastLine(l -> l.startsWith("{")) : null;
        try
        {
            return null == line ? null : SideBySide.JSON.readTree(line);
        }
        catch (final IOException ex)
        {
            return null;
        }
    }

    static double feedTicksPerSecond(final String simulatorLastLine)
    {
        if (null == simulatorLastLine)
        {
            return -1;
        }
        final Matcher matcher = SIMULATOR_TICKS.matcher(simulatorLastLine);
        if (!matcher.find())
        {
            return -1;
        }
        final double seconds = Double.parseDouble(matcher.group(2));
        return seconds > 0 ? Long.parseLong(matcher.group(1)) / seconds : -1;
    }

    static int freeTcpPort() throws IOException
    {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getByName(LOOPBACK)))
        {
            return socket.getLocalPort();
        }
    }

    static int freeUdpPort() throws IOException
    {
        try (DatagramSocket socket = new DatagramSocket(new InetSocketAddress(LOOPBACK, 0)))
        {
            return socket.getLocalPort();
        }
    }
}

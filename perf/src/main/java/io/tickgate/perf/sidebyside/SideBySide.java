package io.tickgate.perf.sidebyside;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.tickgate.gateway.cli.TickgateCommand;
import io.tickgate.perf.PerfCommand;
import org.HdrHistogram.Histogram;

import java.io.IOException;
import java.io.PrintWriter;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Runs every scenario against every server in turn: for each, a server, a simulator at the scenario's rate and a
 * load generator, each its own process on loopback, with procfs sampled over the load generator's measured window.
 * Writes {@code <out>/<scenario>/<server>/} (the children's output, the load generator's {@code summary.json} and
 * {@code latency.hlog} under {@code loadtest/}, this run's {@code summary.json}), then {@code results.json},
 * {@code report.html} and {@code results.md}.
 * <p>
 * Not thread-safe: one thread runs it. The set of live children is concurrent because the shutdown hook stops them
 * when the runner is interrupted (Ctrl-C) or fails.
 */
final class SideBySide
{
    static final String LOOPBACK = "127.0.0.1";
    static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    static final long READY_TIMEOUT_MS = 60_000;
    /** The load generator may take up to 120 s to connect (LoadGenerator.CONNECT_PHASE_LIMIT_NS), then warms up. */
    static final long MEASURE_START_TIMEOUT_MS = 200_000;
    private static final Pattern SIMULATOR_TICKS = Pattern.compile("\\((\\d+) ticks in ([0-9.]+) s");

    private final SideBySideSettings settings;
    private final PrintWriter out;
    private final JavaCommand java = JavaCommand.ofThisJvm();
    private final long clockTicksPerSecond = Procfs.clockTicksPerSecond();
    private final Set<ChildProcess> live = ConcurrentHashMap.newKeySet();
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    private SideBySide(final SideBySideSettings settings, final PrintWriter out)
    {
        this.settings = settings;
        this.out = out;
    }

    /**
     * Runs everything the settings ask for and returns one summary per scenario and server, skipped and failed runs
     * included; every child process is gone when it returns, also on an exception.
     */
    static List<RunSummary> run(final SideBySideSettings settings, final PrintWriter out)
        throws IOException, InterruptedException
    {
        final SideBySide runner = new SideBySide(settings, out);
        final Thread hook = new Thread(runner::stopAll, "side-by-side-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
        try
        {
            return runner.runAll();
        }
        finally
        {
            runner.stopAll();
            try
            {
                Runtime.getRuntime().removeShutdownHook(hook);
            }
            catch (final IllegalStateException shuttingDown)
            {
                // The JVM is already exiting (Ctrl-C): the hook runs anyway and finds nothing left.
            }
        }
    }

    private List<RunSummary> runAll() throws IOException, InterruptedException
    {
        Files.createDirectories(settings.out());
        final List<Report.Run> runs = new ArrayList<>();
        for (final Scenario scenario : settings.scenarios())
        {
            out.printf("side-by-side: %s: %s%n", scenario.name(), scenario.describe());
            out.flush();
            for (final ServerKind server : settings.servers())
            {
                final Path dir = settings.out().resolve(scenario.name()).resolve(server.id);
                final String missing = server.missing(settings.root());
                RunSummary summary;
                Histogram latency = null;
                if (null != missing)
                {
                    summary = RunSummary.notRun(scenario, server, "skipped: " + missing);
                }
                else
                {
                    try
                    {
                        summary = runOne(scenario, server, dir);
                        latency = Report.readLatency(dir.resolve("loadtest").resolve("latency.hlog"));
                    }
                    catch (final IOException ex)
                    {
                        summary = RunSummary.notRun(scenario, server, "failed: " + ex.getMessage());
                    }
                    finally
                    {
                        stopAll();
                    }
                }
                Files.createDirectories(dir);
                JSON.writeValue(dir.resolve("summary.json").toFile(), summary);
                runs.add(new Report.Run(summary, latency));
                out.println(describe(summary));
                out.flush();
            }
        }
        writeResults(runs);
        return runs.stream().map(Report.Run::summary).toList();
    }

    private RunSummary runOne(final Scenario scenario, final ServerKind server, final Path dir)
        throws IOException, InterruptedException
    {
        Files.createDirectories(dir);
        final int wsPort = freeTcpPort();
        final int feedPort = freeUdpPort();
        final ChildProcess serverProcess = start("server",
            server.command(settings.root(), java, scenario, wsPort, feedPort), dir);
        awaitReady(server, serverProcess, wsPort);

        final List<String> simulate = new ArrayList<>(List.of("simulate", "--to", LOOPBACK + ":" + feedPort,
            "--symbols", Integer.toString(scenario.symbols()), "--rate", number(scenario.ratePerSecond())));
        if (!settings.skewedFeed())
        {
            simulate.add("--uniform");
        }
        final ChildProcess simulator = start("simulator", java.command(List.of(), TickgateCommand.class.getName(),
            simulate), dir);
        require(simulator.awaitLine(line -> line.startsWith("tickgate simulate:"), READY_TIMEOUT_MS), simulator,
            "the simulator did not start");
        if (!server.isPeer())
        {
            awaitUntil(() -> healthSymbols(wsPort) >= scenario.symbols(), READY_TIMEOUT_MS,
                "Tickgate never listed the simulator's " + scenario.symbols() + " symbols");
        }

        final Path loadDir = dir.resolve("loadtest");
        final ChildProcess load = start("loadtest", java.command(List.of("-XX:AutoBoxCacheMax=65536"),
            PerfCommand.class.getName(), List.of("loadtest", "--url", "ws://" + LOOPBACK + ":" + wsPort + "/ws",
                "--connections", Integer.toString(scenario.connections()),
                "--symbols-per-connection", Integer.toString(scenario.symbolsPerConnection()),
                "--symbols", Integer.toString(scenario.symbols()),
                "--duration", number(settings.durationSeconds()), "--warmup", number(settings.warmupSeconds()),
                "--out", loadDir.toString())), dir);
        require(load.awaitLine(line -> line.startsWith("tickgate loadtest: measuring"),
            MEASURE_START_TIMEOUT_MS + (long)(settings.warmupSeconds() * 1000)), load,
            "the load generator never began measuring");

        final ResourceSampler sampler = new ResourceSampler(
            serverProcess.pid(), load.pid(), simulator.pid(), feedPort, clockTicksPerSecond);
        final WriteSyscallCounter writeCounter = new WriteSyscallCounter(dir.resolve("perf-stat.csv"));
        final ResourceSampler.Window window;
        WriteSyscallCounter.Count writes;
        try
        {
            sampler.start();
            writeCounter.start(Procfs.tree(serverProcess.pid()), settings.durationSeconds(),
                dir.resolve("perf-stat.err"));
            final String measured = load.awaitLine(line -> line.startsWith("tickgate loadtest: measured"),
                (long)(settings.durationSeconds() * 1000) + READY_TIMEOUT_MS);
            window = sampler.stop();
            require(measured, load, "the load generator stopped before the end of its window");
            writes = writeCounter.finish(READY_TIMEOUT_MS);
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
        stop(simulator);
        final double feedTicksPerSecond = feedTicksPerSecond(simulator.lastLine(line -> line.contains(" ticks in ")));
        stop(serverProcess);
        final JsonNode counters = serverCounters(server, serverProcess);
        final JsonNode loadSummary = JSON.readTree(loadDir.resolve("summary.json").toFile());
        return RunSummary.of(scenario, server, loadSummary, window, writes, feedTicksPerSecond, counters);
    }

    private ChildProcess start(final String name, final List<String> command, final Path dir) throws IOException
    {
        final ChildProcess child = ChildProcess.start(name, command, dir, settings.root());
        live.add(child);
        return child;
    }

    private void stop(final ChildProcess child) throws InterruptedException
    {
        child.stop(ChildProcess.STOP_GRACE_MS);
        live.remove(child);
    }

    /**
     * Stops every child still alive; the shutdown hook's body too.
     */
    private void stopAll()
    {
        for (final ChildProcess child : List.copyOf(live))
        {
            try
            {
                stop(child);
            }
            catch (final InterruptedException ex)
            {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    private void awaitReady(final ServerKind server, final ChildProcess process, final int wsPort)
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
        try
        {
            final HttpResponse<String> response = http.send(
                HttpRequest.newBuilder(URI.create("http://" + LOOPBACK + ":" + port + "/health"))
                    .timeout(Duration.ofSeconds(2)).GET().build(),
                HttpResponse.BodyHandlers.ofString());
            return 200 == response.statusCode() ? JSON.readTree(response.body()).path("symbols").asInt(0) : -1;
        }
        catch (final IOException ex)
        {
            return -1;
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
            return -1;
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

    private static void require(final String line, final ChildProcess process, final String failure)
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
     * A peer's one JSON line of counters, printed on SIGTERM; null for Tickgate or when the line is missing.
     */
    private static JsonNode serverCounters(final ServerKind server, final ChildProcess process)
    {
        final String line = server.isPeer() ? process.lastLine(l -> l.startsWith("{")) : null;
        try
        {
            return null == line ? null : JSON.readTree(line);
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

    private void writeResults(final List<Report.Run> runs) throws IOException
    {
        final Machine machine = Machine.describe();
        final Map<String, Object> results = new LinkedHashMap<>();
        results.put("generated", Instant.now().toString());
        results.put("machine", machine);
        results.put("durationSeconds", settings.durationSeconds());
        results.put("warmupSeconds", settings.warmupSeconds());
        results.put("feed", settings.skewedFeed() ? "skewed" : "uniform");
        results.put("runs", runs.stream().map(Report.Run::summary).toList());
        JSON.writeValue(settings.out().resolve("results.json").toFile(), results);

        final List<String> notes = List.of(
            "Machine: " + machine + ". Server, simulator and load generator share it, over loopback.",
            String.format(Locale.ROOT, "Each run: %s s measured after %s s warm-up; one run each, not an average. " +
                "Feed: tickgate simulate, %s. Latency = client receive time - ingestTime; age = client receive " +
                "time - exchangeTime.", number(settings.durationSeconds()), number(settings.warmupSeconds()),
                settings.skewedFeed() ? "market-like activity (symbol i weighted i^-0.9)" :
                    "every symbol equally busy (--uniform)"));
        Files.writeString(settings.out().resolve("report.html"),
            Report.html("Tickgate side by side, " + Instant.now().toString().substring(0, 10), notes, runs),
            StandardCharsets.UTF_8);
        Files.writeString(settings.out().resolve("results.md"), Report.markdown(runs), StandardCharsets.UTF_8);
        out.printf("side-by-side: wrote %s, %s and results.md%n", settings.out().resolve("report.html"),
            settings.out().resolve("results.json"));
        out.flush();
    }

    private static String describe(final RunSummary r)
    {
        if (!r.ok())
        {
            return "side-by-side:   " + r.server() + ": " + r.status();
        }
        return String.format(Locale.ROOT, "side-by-side:   %s: %,.0f entries/s, accounted %.2f %%, latency p99 %.2f " +
            "ms, age p99 %.2f ms, server CPU %.0f %%, RSS %.0f MiB, client CPU %.0f %%, %d feed drops, %.2f entries " +
            "per write, %d of %d sessions held, slowest %d", r.server(), r.entriesPerSecond(), r.accountedPercent(),
            r.latencyP99Ms(), r.ageP99Ms(), r.serverCpuPercent(), r.serverPeakRssMiB(), r.clientCpuPercent(),
            r.feedDrops(), r.entriesPerWrite(), r.connectionsHeld(), r.connections(), r.slowestSessionEntries());
    }

    private static String number(final double value)
    {
        return value == Math.rint(value) ? Long.toString((long)value) : Double.toString(value);
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

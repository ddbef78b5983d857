package io.tickgate.perf.sidebyside;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import org.HdrHistogram.Histogram;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Runs every scenario against every server in turn (each run a {@link ServerRun}: server, simulator and load
 * generator as separate processes on loopback, procfs sampled over the load generator's measured window).
 * Writes {@code <out>/<scenario>/<server>/} (the children's output, the load generator's {@code summary.json} and
 * {@code latency.hlog} under {@code loadtest/}, this run's {@code summary.json}), then {@code results.json},
 * {@code report.html} and {@code results.md}.
 * <p>
 * Not thread-safe: one thread runs it. The set of live children is concurrent because the shutdown hook stops them
 * when the runner is interrupted (Ctrl-C) or fails.
 */
final class SideBySide
{
    static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private final SideBySideSettings settings;
    private final PrintWriter out;
    private final JavaCommand java = JavaCommand.ofThisJvm();
    private final long clockTicksPerSecond = Procfs.clockTicksPerSecond();
    private final Set<ChildProcess> live = ConcurrentHashMap.newKeySet();

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
        final String loadAtStart = loadAverage();
        final List<Report.Run> runs = new ArrayList<>();
        for (final Scenario scenario : settings.scenarios())
        {
            out.printf("side-by-side: %s: %s%n", scenario.name(), scenario.describe());
            out.flush();
            for (final ServerKind server : settings.servers())
            {
                final Path dir = ServerRun.dir(settings, scenario, server);
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
                        summary = new ServerRun(settings, scenario, server, java, clockTicksPerSecond, live).run();
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
        writeResults(runs, loadAtStart);
        return runs.stream().map(Report.Run::summary).toList();
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
                ServerRun.stop(child, live);
            }
            catch (final InterruptedException ex)
            {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    private void writeResults(final List<Report.Run> runs, final String loadAtStart) throws IOException
    {
        final Machine machine = Machine.describe();
        final String loadAtEnd = loadAverage();
        final Map<String, Object> results = new LinkedHashMap<>();
        results.put("generated", Instant.now().toString());
        results.put("machine", machine);
        results.put("loadAverageAtStart", loadAtStart);
        results.put("loadAverageAtEnd", loadAtEnd);
        results.put("durationSeconds", settings.durationSeconds());
        results.put("warmupSeconds", settings.warmupSeconds());
        results.put("feed", settings.skewedFeed() ? "skewed" : "uniform");
        results.put("runs", runs.stream().map(Report.Run::summary).toList());
        JSON.writeValue(settings.out().resolve("results.json").toFile(), results);

        final List<String> notes = List.of(
            "Machine: " + machine + ". Server, simulator and load generator share it, over loopback. Load " +
                "average (1, 5, 15 min) before the runs " + loadAtStart + ", after " + loadAtEnd + ".",
            String.format(Locale.ROOT, "Each run: %s s measured after %s s warm-up; one run each, not an average. " +
                "Feed: tickgate simulate, %s. Latency = client receive time - ingestTime; age = client receive " +
                "time - exchangeTime.", number(settings.durationSeconds()), number(settings.warmupSeconds()),
                settings.skewedFeed() ? "market-like activity (symbol i weighted i^-0.9)" :
                    "every symbol equally busy (--uniform)"),
            "Gateway tick-to-wire p99 (Tickgate only, ingest to socket write, from its /metrics): \"last 10 s\" is " +
                "the gateway's exact figure over its last 10 s, read as the window closed (used when the window is " +
                "at least " + number(ServerRun.TICK_TO_WIRE_WINDOW_MIN_SECONDS) + " s long); \"buckets\" is " +
                "interpolated in the difference of its histogram buckets over the whole window, so only as fine as " +
                "the buckets (5 to 10 ms, 10 to 25 ms, ...).");
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
        return String.format(Locale.ROOT, "side-by-side:   %s: %s entries/s, accounted %s, latency p99 %s ms, " +
            "age p99 %s ms, %sserver CPU %s, RSS %s MiB, client CPU %s, %s feed drops, %s entries per write, %s of " +
            "%s sessions held, slowest %s", r.server(), Report.count(r.entriesPerSecond()),
            Report.percent(r.accountedPercent(), 2), Report.decimal(r.latencyP99Ms(), 2),
            Report.decimal(r.ageP99Ms(), 2), null == r.gatewayTickToWireP99Ms() ? "" :
            String.format(Locale.ROOT, "gateway tick-to-wire p99 %.2f ms (%s), ", r.gatewayTickToWireP99Ms(),
                r.gatewayTickToWireP99Source()),
            Report.percent(r.serverCpuPercent(), 0), Report.decimal(r.serverPeakRssMiB(), 0),
            Report.percent(r.clientCpuPercent(), 0), Report.count(r.feedDrops()),
            Report.decimal(r.entriesPerWrite(), 2), Report.count(r.connectionsHeld()), Report.count(r.connections()),
            Report.count(r.slowestSessionEntries()));
    }

    /**
     * The first three fields of {@code /proc/loadavg}: other work on a shared host shows here.
     */
    private static String loadAverage()
    {
        final String loadavg = Procfs.read(Path.of("/proc/loadavg"));
        return null == loadavg ? "unknown" : String.join(" ", List.of(loadavg.trim().split("\\s+")).subList(0, 3));
    }

    static String number(final double value)
    {
        return value == Math.rint(value) ? Long.toString((long)value) : Double.toString(value);
    }
}

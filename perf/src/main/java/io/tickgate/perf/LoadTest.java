package io.tickgate.perf;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.tickgate.simulator.IoErrors;
import io.tickgate.simulator.MarketSimulator;
import org.HdrHistogram.HistogramLogWriter;

import java.io.File;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.channels.UnresolvedAddressException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * One load test from start to end: learns the symbols (see {@link #chooseSymbols}), plans the subscriptions, runs
 * the {@link LoadGenerator} on the calling thread, then prints the summary and writes {@code latency.hlog} and
 * {@code summary.json} into the output directory. Used by the command and by the smoke test.
 */
final class LoadTest
{
    static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private LoadTest()
    {
    }

    static LoadTestResult run(final LoadTestSettings settings, final Path outDir, final PrintWriter out)
        throws IOException, InterruptedException
    {
        final List<SubscriptionPlan.SymbolRef> symbols = chooseSymbols(settings, out);
        final SubscriptionPlan plan = new SubscriptionPlan(
            symbols, settings.connections(), settings.symbolsPerConnection());
        final String url = "ws://" + settings.host() + ":" + settings.port() + settings.path();
        out.printf(Locale.ROOT, "tickgate loadtest: %d connections x %d symbols of %d on %s; %s subscribers per " +
            "symbol; warm-up %.1f s, measuring %.1f s%n",
            plan.connections(), plan.symbolsPerConnection(), plan.symbolCount(), url,
            plan.minSubscribersPerSymbol() == plan.maxSubscribersPerSymbol() ?
                Integer.toString(plan.minSubscribersPerSymbol()) :
                plan.minSubscribersPerSymbol() + "-" + plan.maxSubscribersPerSymbol(),
            settings.warmupNs() / 1e9, settings.durationNs() / 1e9);
        out.flush();

        Files.createDirectories(outDir);
        final LoadGenerator generator = new LoadGenerator(settings, plan, out);
        final File hlogFile = outDir.resolve("latency.hlog").toFile();
        final HistogramLogWriter hlog = new HistogramLogWriter(hlogFile);
        try
        {
            hlog.outputComment("tickgate loadtest " + url + ": tag latency = receive - ingestTime, " +
                "tag age = receive - exchangeTime, nanoseconds");
            hlog.outputLogFormatVersion();
            final long startMs = System.currentTimeMillis();
            hlog.setBaseTime(startMs);
            hlog.outputStartTime(startMs);
            hlog.outputLegend();
            generator.run(hlog);
        }
        finally
        {
            hlog.close();
        }

        final LoadTestResult result = LoadTestResult.of(url, plan, generator);
        JSON.writeValue(outDir.resolve("summary.json").toFile(), result);
        print(result, out);
        out.printf("tickgate loadtest: wrote %s and %s%n", hlogFile, outDir.resolve("summary.json"));
        out.flush();
        return result;
    }

    /**
     * The symbols to spread the subscriptions over: those the server lists at {@code GET /api/symbols} (the first
     * {@code settings.symbols()} of them in sid order, or all when 0). A server that lists none (any answer but 200,
     * or none at all: a bare WebSocket server may just close a plain HTTP request) is taken to be fed by
     * {@code tickgate simulate}: with {@code --symbols N} the plan is then that simulator's first N symbols, whose
     * sids the {@code subscribed} replies tell. A 200 whose body is not the symbol list ({@link SymbolListReader}) is
     * an error, whatever the count.
     */
    static List<SubscriptionPlan.SymbolRef> chooseSymbols(final LoadTestSettings settings, final PrintWriter out)
        throws IOException, InterruptedException
    {
        final int wanted = settings.symbols();
        final URI uri = URI.create("http://" + settings.host() + ":" + settings.port() + "/api/symbols");
        final HttpResponse<String> response;
        try
        {
            response = get(uri);
        }
        catch (final IOException ex)
        {
            if (0 == wanted || ex.getCause() instanceof ConnectException)
            {
                throw ex; // nothing listens there: no server to measure, peer or not
            }
            return simulatorSymbols(wanted, ex.getMessage(), out);
        }
        if (200 != response.statusCode())
        {
            if (0 == wanted)
            {
                throw new IOException("GET " + uri + " answered " + response.statusCode() +
                    " (give --symbols N to subscribe to the first N symbols of tickgate simulate)");
            }
            return simulatorSymbols(wanted, "GET " + uri + " answered " + response.statusCode(), out);
        }
        final List<SubscriptionPlan.SymbolRef> listed = SymbolListReader.read(uri, response.body());
        if (0 == wanted)
        {
            return listed;
        }
        if (listed.size() < wanted)
        {
            throw new IOException("the server lists " + listed.size() + " symbols, fewer than --symbols " + wanted);
        }
        return listed.subList(0, wanted);
    }

    private static List<SubscriptionPlan.SymbolRef> simulatorSymbols(
        final int count, final String why, final PrintWriter out)
    {
        out.printf("tickgate loadtest: %s; subscribing to the first %d symbols of tickgate simulate%n", why, count);
        return simulatorSymbols(count);
    }

    /**
     * The first {@code count} symbol names {@code tickgate simulate --symbols count} defines, sids unknown.
     */
    static List<SubscriptionPlan.SymbolRef> simulatorSymbols(final int count)
    {
        final MarketSimulator simulator = new MarketSimulator(count, 0);
        final List<SubscriptionPlan.SymbolRef> symbols = new ArrayList<>(count);
        for (int id = 1; id <= count; id++)
        {
            symbols.add(new SubscriptionPlan.SymbolRef(simulator.symbol(id), -1));
        }
        return symbols;
    }

    private static HttpResponse<String> get(final URI uri) throws IOException, InterruptedException
    {
        final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        try
        {
            return http.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(10)).GET().build(),
                HttpResponse.BodyHandlers.ofString());
        }
        catch (final IOException ex)
        {
            // The HTTP client's ConnectException carries no message of its own.
            throw new IOException("cannot GET " + uri + ": " + (ex instanceof ConnectException ?
                connectFailure(ex) : IoErrors.describe(ex, uri)), ex);
        }
    }

    private static String connectFailure(final IOException ex)
    {
        for (Throwable cause = ex; null != cause; cause = cause.getCause())
        {
            if (cause instanceof UnresolvedAddressException)
            {
                return "unknown host";
            }
        }
        return "connection refused (is the server running?)";
    }

    static void print(final LoadTestResult r, final PrintWriter out)
    {
        out.printf(Locale.ROOT, "connections   %d of %d open at the peak, %d at the end of the window (failed: %d " +
            "connect, %d upgrade; %d protocol errors; %d closed by server, %d abnormal, %d forced; %d symbols " +
            "rejected)%n",
            r.peakOpenConnections(), r.connections(), r.openAtMeasureEnd(), r.connectFailures(), r.upgradeFailures(),
            r.protocolErrors(), r.serverCloses(), r.abnormalCloses(), r.forcedCloses(), r.rejectedSymbols());
        out.printf(Locale.ROOT, "throughput    %s entries/s  %s frames/s  %s bytes/s  (%s entries per update " +
            "frame, %,d conflated)%n",
            figure(r.entriesPerSecond(), "%,.0f"), figure(r.framesPerSecond(), "%,.0f"),
            figure(r.bytesPerSecond(), "%,.0f"), figure(r.entriesPerFrame(), "%.2f"), r.conflated());
        if (null == r.accountedPercent())
        {
            out.println("accounted     n/a: no updates offered on the subscribed symbols (seq advance 0)");
        }
        else
        {
            out.printf(Locale.ROOT, "accounted     %.2f%% of %,d updates offered (seq advance), as entries + " +
                "conflated%n", r.accountedPercent(), r.seqAdvance());
        }
        printPercentiles(out, "latency", r.latencyMicros());
        printPercentiles(out, "age", r.ageMicros());
        out.printf(Locale.ROOT, "sequencing    %d frameSeq gaps, %d frameSeq regressions, %d seq regressions, " +
            "%d unexpected sids, %d malformed frames%n",
            r.frameSeqGaps(), r.frameSeqRegressions(), r.seqRegressions(), r.unexpectedSids(), r.malformedFrames());
        if (null == r.slowestSessionEntries())
        {
            out.println("slowest       n/a: no session was open at the end of the window");
        }
        else
        {
            out.printf(Locale.ROOT, "slowest       open session received %,d entries in %.1f s%n",
                r.slowestSessionEntries(), r.measuredSeconds());
        }
        final Double percentOfCore = null == r.clientProcessCpuSeconds() ? null :
            LoadTestResult.ratio(100 * r.clientProcessCpuSeconds(), r.measuredSeconds());
        out.printf(Locale.ROOT, "client cpu    %s s on the selector thread, %s s process (%s of a core), %s ns per " +
            "frame; %s bytes allocated (%s per frame)%n",
            figure(r.clientThreadCpuSeconds(), "%.2f"), figure(r.clientProcessCpuSeconds(), "%.2f"),
            figure(percentOfCore, "%.0f%%"),
            figure(r.clientCpuNsPerFrame(), "%.0f"), figure(r.clientAllocatedBytes(), "%,d"),
            figure(r.clientAllocatedBytesPerFrame(), "%.2f"));
    }

    /**
     * {@code value} in {@code format}, or n/a where the run has no such figure (null in summary.json).
     */
    static String figure(final Object value, final String format)
    {
        return null == value ? "n/a" : String.format(Locale.ROOT, format, value);
    }

    private static void printPercentiles(final PrintWriter out, final String name, final LoadTestResult.Percentiles p)
    {
        if (0 == p.count())
        {
            out.printf(Locale.ROOT, "%-13s n/a: no entries received in the window%n", name);
            return;
        }
        out.printf(Locale.ROOT, "%-13s p50 %.1f us  p90 %.1f us  p99 %.1f us  p99.9 %.1f us  max %.1f us  " +
            "(%,d entries)%n", name, p.p50(), p.p90(), p.p99(), p.p999(), p.max(), p.count());
    }
}

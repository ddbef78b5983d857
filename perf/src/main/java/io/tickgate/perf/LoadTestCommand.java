package io.tickgate.perf;

import io.tickgate.simulator.MarketSimulator;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.concurrent.Callable;

/**
 * {@code tickgate loadtest}: many WebSocket clients from one process against a gateway. The launcher runs this
 * module's jar for it ({@link PerfCommand}), since the gateway's own jar cannot depend on perf.
 * <p>
 * Usage errors exit 2 with one line and the usage; failures at run time exit 1 with one line; no stack traces. A run
 * that opened no connection, whose every connection was closed before its window ended, or that received no entry
 * in its window is a failure too: its summary is still printed and written.
 */
@Command(name = "loadtest", mixinStandardHelpOptions = true, version = "tickgate loadtest development build",
    description = "Open many WebSocket connections to a gateway, decode every frame, and report throughput and " +
        "tick-to-client latency (receive time - ingestTime) percentiles.")
final class LoadTestCommand implements Callable<Integer>
{
    static final int MAX_CONNECTIONS = 100_000;

    @CommandLine.Spec
    private CommandLine.Model.CommandSpec spec;

    @Option(names = "--url", paramLabel = "URL", required = true,
        description = "the gateway's WebSocket endpoint, e.g. ws://127.0.0.1:8080/ws")
    private String url;

    @Option(names = "--connections", paramLabel = "N", description = "WebSocket connections to open (100)")
    private int connections = 100;

    @Option(names = "--symbols-per-connection", paramLabel = "K", description = "symbols each connection " +
        "subscribes to, spread so every symbol gets about the same number of subscribers (1)")
    private int symbolsPerConnection = 1;

    @Option(names = "--symbols", paramLabel = "S", description = "spread the subscriptions over the first S " +
        "symbols the server lists, or, when it answers GET /api/symbols with a status other than 200, the first " +
        "S of tickgate simulate --symbols S (0: every symbol the server lists)")
    private int symbols;

    @Option(names = "--duration", paramLabel = "S", description = "seconds to measure, after the warm-up (10)")
    private double durationSeconds = 10;

    @Option(names = "--warmup", paramLabel = "S", description = "seconds after every connection is open and " +
        "before measuring, not counted (2)")
    private double warmupSeconds = 2;

    @Option(names = "--out", paramLabel = "DIR", description = "where latency.hlog and summary.json go " +
        "(loadtest-<UTC time> in the current directory)")
    private Path outDir;

    @Override
    public Integer call() throws Exception
    {
        final LoadTestSettings settings = settings();
        final Path dir = null != outDir ? outDir : Path.of("loadtest-" +
            DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss").format(ZonedDateTime.now(ZoneOffset.UTC)));
        final LoadTestResult result = LoadTest.run(settings, dir, spec.commandLine().getOut());
        if (0 == result.peakOpenConnections())
        {
            throw new IOException("no connection was opened (" + result.connectFailures() + " failed to connect, " +
                result.upgradeFailures() + " to upgrade)");
        }
        if (0 == result.openAtMeasureEnd())
        {
            // The figures cover only part of the window; a script must not take them for a full measurement.
            throw new IOException("every connection was closed before the measuring window ended (" +
                result.serverCloses() + " by the server, " + result.abnormalCloses() + " abnormally); the " +
                "figures above cover part of the window only");
        }
        if (0 == result.entries())
        {
            // A server that delivered nothing must not pass for one with no latency.
            throw new IOException("no entries were received in the measuring window (" + result.subscribedReplies() +
                " subscribed replies, " + result.frames() + " frames, " + result.unexpectedSids() +
                " entries for symbols not subscribed)");
        }
        return 0;
    }

    private LoadTestSettings settings()
    {
        final URI uri;
        try
        {
            uri = new URI(url);
        }
        catch (final URISyntaxException ex)
        {
            throw usage("--url is not a URL: " + url);
        }
        if (!"ws".equalsIgnoreCase(uri.getScheme()) || null == uri.getHost() || uri.getPort() < 1)
        {
            throw usage("--url must look like ws://HOST:PORT/ws: " + url);
        }
        if (uri.getPort() > 65535)
        {
            throw usage("--url: the port must be from 1 to 65535: " + url);
        }
        if (null != outDir && outDir.toString().isBlank())
        {
            throw usage("--out must name a directory (leave it out for loadtest-<UTC time>)");
        }
        if (connections < 1 || connections > MAX_CONNECTIONS)
        {
            throw usage("--connections must be from 1 to " + MAX_CONNECTIONS + ": " + connections);
        }
        if (symbolsPerConnection < 1)
        {
            throw usage("--symbols-per-connection must be at least 1: " + symbolsPerConnection);
        }
        if (symbols < 0 || symbols > MarketSimulator.MAX_SYMBOL_COUNT)
        {
            throw usage("--symbols must be from 0 (every symbol the server lists) to " +
                MarketSimulator.MAX_SYMBOL_COUNT + ": " + symbols);
        }
        if (symbols > 0 && symbolsPerConnection > symbols)
        {
            throw usage("--symbols-per-connection " + symbolsPerConnection + " is more than --symbols " + symbols);
        }
        if (!(durationSeconds > 0) || Double.isInfinite(durationSeconds))
        {
            throw usage("--duration must be positive: " + durationSeconds);
        }
        if (!(warmupSeconds >= 0) || Double.isInfinite(warmupSeconds))
        {
            throw usage("--warmup must be zero or more: " + warmupSeconds);
        }
        final String path = null == uri.getRawPath() || uri.getRawPath().isEmpty() ? "/" : uri.getRawPath();
        return new LoadTestSettings(uri.getHost(), uri.getPort(), path, connections, symbolsPerConnection, symbols,
            (long)(durationSeconds * 1e9), (long)(warmupSeconds * 1e9));
    }

    private CommandLine.ParameterException usage(final String message)
    {
        return new CommandLine.ParameterException(spec.commandLine(), message);
    }
}

package io.tickgate.perf.sidebyside;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.function.Function;

/**
 * {@code tickgate side-by-side} (what {@code perf/run-side-by-side} runs): Tickgate, Bun and Node {@code ws} under
 * the same feed and load, one after another. Usage errors exit 2 with one line and the usage; a run that fails is
 * recorded as failed and the rest go on, and the exit status is then 1.
 */
@Command(name = "side-by-side", mixinStandardHelpOptions = true, version = "tickgate side-by-side development build",
    description = "Run each scenario against each server in turn (server, simulator and load generator as separate " +
        "processes on loopback), sample CPU, memory, feed drops and write syscalls, and write JSON, .hlog files and " +
        "an HTML report.")
public final class SideBySideCommand implements Callable<Integer>
{
    @CommandLine.Spec
    private CommandLine.Model.CommandSpec spec;

    @Option(names = "--scenarios", paramLabel = "LIST", split = ",",
        description = "which scenarios, comma-separated: light, watchlist, overload, wide (all)")
    private List<String> scenarios = List.of("light", "watchlist", "overload", "wide");

    @Option(names = "--servers", paramLabel = "LIST", split = ",",
        description = "which servers, comma-separated: tickgate, bun, ws (all; a peer missing from perf/peers/ is " +
            "skipped)")
    private List<String> servers = List.of("tickgate", "bun", "ws");

    @Option(names = "--duration", paramLabel = "S", description = "seconds measured per run (20)")
    private double durationSeconds = 20;

    @Option(names = "--warmup", paramLabel = "S", description = "seconds of warm-up before each measurement (5)")
    private double warmupSeconds = 5;

    @Option(names = "--skewed-feed", description = "feed with the simulator's market-like activity (symbol i " +
        "weighted i^-0.9) instead of every symbol equally busy")
    private boolean skewedFeed;

    @Option(names = "--out", paramLabel = "DIR",
        description = "results directory (perf/results/<date>/, with a time suffix if that exists)")
    private Path out;

    @Option(names = "--root", paramLabel = "DIR", hidden = true,
        description = "the repository root (found from where this jar or these classes are)")
    private Path root;

    @Override
    public Integer call() throws IOException, InterruptedException
    {
        final List<Scenario> chosenScenarios = pick(scenarios, Scenario::named, "--scenarios", "scenario",
            "light, watchlist, overload, wide");
        final List<ServerKind> chosenServers = pick(servers, ServerKind::byId, "--servers", "server",
            "tickgate, bun, ws");
        if (!(durationSeconds > 0) || Double.isInfinite(durationSeconds))
        {
            throw usage("--duration must be positive: " + durationSeconds);
        }
        if (!(warmupSeconds >= 0) || Double.isInfinite(warmupSeconds))
        {
            throw usage("--warmup must be zero or more: " + warmupSeconds);
        }
        final Path repository = null != root ? root : repositoryRoot();
        final Path outDir = null != out ? out : defaultOut(repository.resolve("perf").resolve("results"),
            LocalDateTime.now());

        final List<RunSummary> runs = SideBySide.run(new SideBySideSettings(repository, outDir,
            chosenScenarios, chosenServers, durationSeconds, warmupSeconds, skewedFeed), spec.commandLine().getOut());
        return runs.stream().anyMatch(r -> r.status().startsWith("failed")) ? 1 : 0;
    }

    private <T> List<T> pick(
        final List<String> names, final Function<String, T> lookup, final String option, final String what,
        final String choices)
    {
        final List<T> picked = new ArrayList<>();
        for (final String name : names)
        {
            final T value = lookup.apply(name.trim());
            if (null == value)
            {
                throw usage(option + ": no " + what + " '" + name + "' (" + choices + ")");
            }
            picked.add(value);
        }
        return picked;
    }

    /**
     * {@code results/<yyyy-MM-dd>}, or with {@code -HHmmss} added when a run of the same day is there already.
     */
    static Path defaultOut(final Path results, final LocalDateTime now)
    {
        final Path day = results.resolve(DateTimeFormatter.ofPattern("yyyy-MM-dd").format(now));
        return Files.exists(day) ? results.resolve(DateTimeFormatter.ofPattern("yyyy-MM-dd-HHmmss").format(now)) : day;
    }

    /**
     * Three levels above this code: {@code <root>/perf/target/tickgate-perf.jar} or {@code <root>/perf/target/classes}.
     */
    private static Path repositoryRoot()
    {
        try
        {
            final Path code = Path.of(SideBySideCommand.class.getProtectionDomain().getCodeSource().getLocation()
                .toURI());
            return code.toAbsolutePath().getParent().getParent().getParent();
        }
        catch (final URISyntaxException ex)
        {
            throw new IllegalStateException("cannot tell where the repository is; give --root DIR", ex);
        }
    }

    private CommandLine.ParameterException usage(final String message)
    {
        return new CommandLine.ParameterException(spec.commandLine(), message);
    }
}

package io.tickgate.perf;

import io.tickgate.gateway.cli.TickgateCommand;
import io.tickgate.perf.sidebyside.SideBySideCommand;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The perf jar's entry point: the launcher hands it {@code loadtest} and {@code side-by-side} with their arguments,
 * since the gateway's own jar cannot depend on perf. Same error conventions as the gateway's commands.
 */
@Command(name = "tickgate", mixinStandardHelpOptions = true, version = "tickgate perf development build",
    description = "Tickgate's load generator and side-by-side benchmark runner.",
    subcommands = { LoadTestCommand.class, SideBySideCommand.class })
public final class PerfCommand implements Runnable
{
    /**
     * The JVM options the load generator runs with, from the launcher ({@code ./tickgate loadtest}) and from
     * {@code side-by-side} alike. With the JVM's default sizing its young generation was a few MB, collected every
     * few seconds for 15 ms or more on a two-core host (the live histograms copied each time): a stall of the
     * selector thread, measured as every server's latency. A young generation of 512 MiB is not filled within a run
     * (the generator allocates nothing per frame; a few hundred KB a second in all), so no collection falls in the
     * measured window. Boxed descriptors up to 65,535 are cached for the selector's ready-key lookup.
     */
    public static final java.util.List<String> LOAD_GENERATOR_JVM_OPTIONS =
        java.util.List.of("-Xms768m", "-Xmn512m", "-XX:AutoBoxCacheMax=65536");

    @CommandLine.Spec
    private CommandLine.Model.CommandSpec spec;

    public static void main(final String[] args)
    {
        TickgateCommand.quietLibraries();
        System.exit(execute(args));
    }

    /**
     * Runs the command line and returns the exit status; for tests.
     */
    public static int execute(final String... args)
    {
        return newCommandLine().execute(args);
    }

    static CommandLine newCommandLine()
    {
        return TickgateCommand.withUserFacingErrors(new CommandLine(new PerfCommand()));
    }

    @Override
    public void run()
    {
        spec.commandLine().usage(spec.commandLine().getOut());
    }
}

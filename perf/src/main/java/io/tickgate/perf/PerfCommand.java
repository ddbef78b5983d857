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

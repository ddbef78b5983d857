package io.tickgate.gateway.cli;

import io.tickgate.gateway.AsciiDecimal;
import io.tickgate.simulator.IoErrors;
import picocli.CommandLine;
import picocli.CommandLine.Command;

import java.io.PrintWriter;
import java.nio.file.FileSystemException;
import java.util.function.Function;

/**
 * {@code tickgate}: the launcher's entry point.
 */
@Command(
    name = "tickgate",
    mixinStandardHelpOptions = true,
    versionProvider = TickgateCommand.Version.class,
    description = "Tickgate market-data streaming gateway.",
    footer = { "Benchmark commands (the perf module; each has --help):",
        "  loadtest      Many WebSocket clients against a gateway: latency and",
        "                  throughput.",
        "  side-by-side  Tickgate, Bun and Node ws under the same feed and load",
        "                  (perf/run-side-by-side)." },
    subcommands = { DemoCommand.class, GatewayCommand.class, SimulateCommand.class, ImportCommand.class,
        ReplayCommand.class, InspectCommand.class, WatchCommand.class })
public final class TickgateCommand implements Runnable
{
    @CommandLine.Spec
    private CommandLine.Model.CommandSpec spec;

    public static void main(final String[] args)
    {
        quietLibraries();
        System.exit(execute(args));
    }

    /**
     * Call first thing in a main, before any library class loads: Undertow logs through slf4j, not JUL, and
     * Chronicle stays quiet.
     */
    public static void quietLibraries()
    {
        System.setProperty("org.jboss.logging.provider", "slf4j");
        System.setProperty("chronicle.analytics.disable", "true");
        System.setProperty("disable.perf.info", "true");
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
        return withUserFacingErrors(new CommandLine(new TickgateCommand()));
    }

    /**
     * The launcher's error conventions for any command line: a usage error prints one line and the usage and exits
     * 2; a failure at run time prints one line and exits 1; never a stack trace.
     */
    public static CommandLine withUserFacingErrors(final CommandLine commandLine)
    {
        // picocli's own converters take any script's digits ("--http-port ٢٠١٧٣" would listen on 20173).
        final CommandLine.ITypeConverter<Integer> ints = value -> wholeNumber(value, "an int", AsciiDecimal::parseInt);
        final CommandLine.ITypeConverter<Long> longs = value -> wholeNumber(value, "a long", AsciiDecimal::parseLong);
        commandLine.registerConverter(Integer.class, ints).registerConverter(Integer.TYPE, ints)
            .registerConverter(Long.class, longs).registerConverter(Long.TYPE, longs);
        commandLine.setExecutionExceptionHandler((ex, cmd, parseResult) ->
        {
            final PrintWriter err = cmd.getErr();
            err.println("tickgate " + cmd.getCommandName() + ": " + describe(ex));
            err.flush();
            return 1;
        });
        commandLine.setParameterExceptionHandler((ex, args) ->
        {
            final CommandLine cmd = ex.getCommandLine();
            final PrintWriter err = cmd.getErr();
            // picocli checks required options before it reports what it did not recognise; a misspelt option is
            // the likelier mistake, and naming it explains the "missing" one too.
            final String message = ex instanceof CommandLine.MissingParameterException &&
                !cmd.getUnmatchedArguments().isEmpty() ?
                new CommandLine.UnmatchedArgumentException(cmd, cmd.getUnmatchedArguments()).getMessage() :
                ex.getMessage();
            err.println("tickgate: " + message);
            cmd.usage(err);
            err.flush();
            return 2;
        });
        return commandLine;
    }

    /**
     * picocli's wording for a value that is not a number ("'x' is not an int"), for ASCII digits only.
     */
    private static <T> T wholeNumber(final String value, final String type, final Function<String, T> parser)
    {
        try
        {
            return parser.apply(value);
        }
        catch (final NumberFormatException ex)
        {
            throw new CommandLine.TypeConversionException("'" + value + "' is not " + type);
        }
    }

    /**
     * One line for a person: the first message on the cause chain, never a stack trace.
     */
    private static String describe(final Throwable ex)
    {
        for (Throwable cause = ex; null != cause; cause = cause.getCause())
        {
            if (cause instanceof FileSystemException)
            {
                return IoErrors.describe((FileSystemException)cause, null);
            }
            if (null != cause.getMessage() && !cause.getMessage().isBlank())
            {
                return cause.getMessage();
            }
        }
        return ex.getClass().getSimpleName();
    }

    /**
     * No subcommand: a usage error like any other (exit 2), so a script whose command came out empty fails.
     */
    @Override
    public void run()
    {
        throw new CommandLine.ParameterException(spec.commandLine(), "Missing required subcommand");
    }

    static final class Version implements CommandLine.IVersionProvider
    {
        @Override
        public String[] getVersion()
        {
            final String version = TickgateCommand.class.getPackage().getImplementationVersion();
            return new String[] { "tickgate " + (null == version ? "development build" : version) };
        }
    }
}

package io.tickgate.gateway.cli;

import io.tickgate.simulator.recording.RecordingInspector;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;

/**
 * {@code tickgate inspect}: a recording's summary, or its first records one a line.
 */
@Command(name = "inspect", mixinStandardHelpOptions = true, versionProvider = TickgateCommand.Version.class,
    description = "Print a recording's summary: segments, instruments, per-symbol counts, time span, first and " +
        "last values.")
final class InspectCommand implements Callable<Integer>
{
    @CommandLine.Spec
    private CommandLine.Model.CommandSpec spec;

    @Parameters(index = "0", converter = PathConverter.class, paramLabel = "DIR", description = "the recording")
    private Path dir;

    @Option(names = "--records", paramLabel = "N", description = "also print the first N records (0)")
    private long records;

    @Override
    public Integer call()
    {
        if (records < 0)
        {
            throw new CommandLine.ParameterException(spec.commandLine(), "--records must not be negative: " + records);
        }
        if (!Files.exists(dir))
        {
            throw new CommandLine.ParameterException(spec.commandLine(), "no such recording: " + dir);
        }
        new RecordingInspector(spec.commandLine().getOut()).inspect(dir, records);
        return 0;
    }
}

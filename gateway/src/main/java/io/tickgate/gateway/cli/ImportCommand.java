package io.tickgate.gateway.cli;

import io.tickgate.simulator.IoErrors;
import io.tickgate.simulator.recording.ImportBuffer;
import io.tickgate.simulator.recording.MarketDataImporter;
import io.tickgate.simulator.recording.ProgressBar;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

import static io.tickgate.simulator.recording.RecordingInspector.count;

/**
 * {@code tickgate import}: converts real market-data files into a recording and prints, per symbol, the quotes
 * and trades it wrote.
 */
@Command(name = "import", mixinStandardHelpOptions = true, versionProvider = TickgateCommand.Version.class,
    description = "Convert real market-data files into a recording (docs/recording.md lists what becomes Q and T).")
final class ImportCommand implements Callable<Integer>
{
    @CommandLine.Spec
    private CommandLine.Model.CommandSpec spec;

    @Option(names = "--format", required = true, paramLabel = "F",
        description = "lobster, binance, coinbase, kraken or histdata")
    private String format;

    @Option(names = "--out", required = true, converter = PathConverter.class, paramLabel = "DIR",
        description = "the recording to write (a new segment if DIR already holds one)")
    private Path out;

    @Parameters(arity = "1..*", paramLabel = "FILE", description = "input files")
    private List<Path> files;

    private static String describe(final List<Path> files)
    {
        if (files.size() > 3)
        {
            return files.size() + " files";
        }
        final StringBuilder names = new StringBuilder();
        for (int i = 0; i < files.size(); i++)
        {
            names.append(0 == i ? "" : i + 1 == files.size() ? " and " : ", ").append(files.get(i));
        }
        return names.toString();
    }

    // Each input is opened once up front only to learn it can be read; the stream itself is not used.
    @Override
    @SuppressWarnings("try")
    public Integer call() throws Exception
    {
        final MarketDataImporter importer;
        try
        {
            importer = MarketDataImporter.forFormat(format);
        }
        catch (final IllegalArgumentException ex)
        {
            throw new CommandLine.ParameterException(spec.commandLine(), "--format: " + ex.getMessage());
        }
        long totalBytes = 0;
        // The same file named twice, however spelt (./x and x, a symbolic or a hard link), would import every tick
        // of it twice: files are told apart by their file system identity (device and inode), not their names.
        final Map<Object, Path> named = new HashMap<>();
        for (final Path file : files)
        {
            if (!Files.exists(file))
            {
                throw new CommandLine.ParameterException(spec.commandLine(), "no such input file: " + file);
            }
            if (Files.isDirectory(file))
            {
                throw new CommandLine.ParameterException(
                    spec.commandLine(), "input is a directory, not a file: " + file);
            }
            final Object key = Files.readAttributes(file, BasicFileAttributes.class).fileKey();
            final Path before = named.putIfAbsent(null == key ? file.toRealPath() : key, file);
            if (null != before)
            {
                throw new CommandLine.ParameterException(spec.commandLine(), "input file named twice: " +
                    (before.equals(file) ? file : before + " and " + file));
            }
        }
        for (final Path file : files)
        {
            // A file that is there but cannot be read is a failure at run time (exit 1), not a usage error.
            try (InputStream in = Files.newInputStream(file))
            {
                totalBytes += Files.size(file);
            }
            catch (final IOException ex)
            {
                throw new UncheckedIOException("cannot read " + file + ": " + IoErrors.describe(ex, file), ex);
            }
        }

        final PrintWriter stdout = spec.commandLine().getOut();
        final long startNs = System.nanoTime();
        final ImportBuffer buffer = new ImportBuffer();
        final ProgressBar reading = new ProgressBar(spec.commandLine().getErr(), ProgressBar.isTerminal(), "B");
        final long total = totalBytes;
        importer.read(files, buffer, done -> reading.update(done, total));
        reading.finish();
        // A file of another format can parse as nothing at all (every line skipped): say which, write nothing, also
        // when other files beside it hold ticks.
        final List<Path> withoutTicks = buffer.filesWithoutTicks();
        if (0 == buffer.size() || !withoutTicks.isEmpty())
        {
            throw new IllegalStateException("no quotes or trades found in " +
                describe(withoutTicks.isEmpty() ? files : withoutTicks) + " as --format " + format +
                " (is that their format?); nothing written");
        }
        // On standard error: standard output is the per-symbol summary scripts read.
        final PrintWriter stderr = spec.commandLine().getErr();
        for (final String note : buffer.notes())
        {
            stderr.println("note: " + note);
        }
        stderr.flush();
        final ProgressBar writing = new ProgressBar(spec.commandLine().getErr(), ProgressBar.isTerminal(), "ticks");
        final Path segment = buffer.writeTo(out, "import " + format, done -> writing.update(done, buffer.size()));
        writing.finish();
        final double seconds = (System.nanoTime() - startNs) / 1e9;

        long quotes = 0;
        long trades = 0;
        for (final ImportBuffer.Instrument instrument : buffer.instruments())
        {
            stdout.printf("%-16s quotes %,10d  trades %,10d  (priceScale %d, sizeScale %d)%n", instrument.symbol(),
                instrument.quotes(), instrument.trades(), instrument.priceScale(), instrument.sizeScale());
            quotes += instrument.quotes();
            trades += instrument.trades();
        }
        final long bytes = Files.size(segment);
        stdout.printf("tickgate import: wrote %s and %s of %s to %s (%,d bytes, %.1f bytes " +
            "a tick) in %.2f s, %,.0f ticks/s%n", count(quotes, "quote"), count(trades, "trade"),
            count(buffer.instruments().size(), "symbol"), segment, bytes,
            (double)bytes / Math.max(1, quotes + trades), seconds, (quotes + trades) / seconds);
        stdout.flush();
        return 0;
    }
}

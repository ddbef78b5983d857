package io.tickgate.gateway.cli;

import io.tickgate.gateway.Tests;
import io.tickgate.simulator.recording.RecordingDescriptor;
import io.tickgate.simulator.recording.RecordingReader;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.io.PrintWriter;
import java.io.RandomAccessFile;
import java.io.StringWriter;
import java.net.InetSocketAddress;
import java.nio.channels.DatagramChannel;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The import, inspect and replay commands as a person runs them: printed counts, and a damaged recording that is
 * read up to the damage and then reported as one line naming the file and offset, exit status 1, no stack trace.
 */
class RecordingCommandsTest
{
    static final Path DATA = Path.of(System.getProperty("tickgate.shared.data", "../../shared/data"));

    @TempDir
    Path tmp;

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    private int run(final String... args)
    {
        out.getBuffer().setLength(0);
        err.getBuffer().setLength(0);
        final CommandLine commandLine = TickgateCommand.newCommandLine();
        commandLine.setOut(new PrintWriter(out, true));
        commandLine.setErr(new PrintWriter(err, true));
        return commandLine.execute(args);
    }

    @Test
    void shouldPrintPerSymbolCountsOfImport()
    {
        final Path recording = tmp.resolve("amzn");
        assertThat(run("import", "--format", "lobster", "--out", recording.toString(),
            DATA.resolve("lobster-nasdaq-l1-2012-06-21/AMZN_2012-06-21_34200000_57600000_message_1.csv").toString()))
            .as(err.toString()).isZero();
        assertThat(out.toString()).containsPattern("AMZN +quotes +55,071 +trades +11,419")
            .contains("wrote 55,071 quotes and 11,419 trades of 1 symbol to ");

        assertThat(run("inspect", recording.toString(), "--records", "3")).as(err.toString()).isZero();
        assertThat(out.toString()).contains("last  bid 220.5100x249 ask 220.6400x100 trade 220.5100x51");
    }

    @Test
    void shouldInspectUpToCorruptedByteThenFailWithFileAndOffset() throws IOException
    {
        final Path recording = importKraken();
        final Path file = RecordingDescriptor.segments(recording).get(0);
        final long offset = offsetOfRecord(recording, 12);
        try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "rw"))
        {
            raf.seek(offset + 6);
            final int b = raf.read();
            raf.seek(offset + 6);
            raf.write(b ^ 0x01);
        }

        assertThat(run("inspect", recording.toString())).isEqualTo(1);
        assertThat(out.toString()).contains("11 records");
        assertThat(err.toString()).isEqualTo("tickgate inspect: damaged recording " + file + " at offset " + offset +
            ": check mismatch (bytes changed or cut)" + System.lineSeparator());
    }

    /**
     * A zero header is how a segment ends; one zeroed in the middle of a segment must not end the read silently.
     */
    @Test
    void shouldInspectAndReplayUpToZeroedHeaderThenFailWithFileAndOffset() throws IOException
    {
        final Path recording = importKraken();
        final Path file = RecordingDescriptor.segments(recording).get(0);
        final long offset = offsetOfRecord(recording, 12);
        try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "rw"))
        {
            raf.seek(offset);
            raf.write(new byte[4]);
        }

        assertThat(run("inspect", recording.toString())).isEqualTo(1);
        assertThat(out.toString()).contains("11 records");
        assertThat(err.toString()).startsWith("tickgate inspect: damaged recording " + file + " at offset " + offset +
            ": a zero record header, yet data follows it");
        assertThat(err.toString().lines()).hasSize(1);

        try (DatagramChannel receiver = DatagramChannel.open().bind(new InetSocketAddress("127.0.0.1", 0)))
        {
            final int port = ((InetSocketAddress)receiver.getLocalAddress()).getPort();
            assertThat(run("replay", recording.toString(), "--to", "127.0.0.1:" + port, "--speed", "max")).isEqualTo(1);
        }
        assertThat(err.toString()).startsWith("tickgate replay: damaged recording " + file + " at offset " + offset);
    }

    @Test
    void shouldReplayUpToTruncationThenFailWithFileAndOffset() throws IOException
    {
        final Path recording = importKraken();
        final Path file = RecordingDescriptor.segments(recording).get(0);
        final long offset = offsetOfRecord(recording, 20);
        try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "rw"))
        {
            raf.setLength(offset + 10);
        }

        try (DatagramChannel receiver = DatagramChannel.open().bind(new InetSocketAddress("127.0.0.1", 0)))
        {
            final int port = ((InetSocketAddress)receiver.getLocalAddress()).getPort();
            assertThat(run("replay", recording.toString(), "--to", "127.0.0.1:" + port, "--speed", "max")).isEqualTo(1);
        }
        // Records 1..19 were read: the definitions (first) are not among the ticks sent.
        assertThat(out.toString()).containsPattern("sent [0-9,]+ datagrams, [0-9,]+ messages \\(" +
            (19 - definitions(recording)) + " quotes and trades");
        assertThat(err.toString()).startsWith("tickgate replay: damaged recording " + file + " at offset " + offset +
            ": a record of ").doesNotContain("\tat ").doesNotContain("Exception");
        assertThat(err.toString().lines()).hasSize(1);
    }

    @Test
    void shouldRejectBadSpeedWithUsageAndStatusTwo()
    {
        assertThat(run("replay", tmp.toString(), "--speed", "fast")).isEqualTo(2);
        assertThat(err.toString()).startsWith("tickgate: Invalid value for option '--speed': speed must be a " +
            "positive number or max: 'fast'");
        assertThat(run("import", "--format", "csv", "--out", tmp.toString(), "x")).isEqualTo(2);
        assertThat(err.toString()).startsWith("tickgate: --format: unknown format 'csv'");
        // --max-rate caps only --speed max: with another speed it was accepted and silently ignored.
        assertThat(run("replay", tmp.toString(), "--speed", "10", "--max-rate", "1000")).isEqualTo(2);
        assertThat(err.toString()).startsWith("tickgate: --max-rate applies only with --speed max" +
            System.lineSeparator() + "Usage: ");
    }

    @Test
    void shouldSayOneInTheSingular()
    {
        assertThat(ReplayCommand.pacing(1, null, new io.tickgate.simulator.recording.MaxSpeedPacer(1, null, 1)))
            .startsWith("tickgate replay: max pacing: capped at 1 message/s; ");
        assertThat(ReplayCommand.pacing(1_000, null, new io.tickgate.simulator.recording.MaxSpeedPacer(1, null, 1)))
            .startsWith("tickgate replay: max pacing: capped at 1,000 messages/s; ");
    }

    @Test
    void shouldFailNamingTheTargetWhenNothingListensThere() throws IOException
    {
        final Path recording = importHistData();
        final int closedPort;
        try (DatagramChannel probe = DatagramChannel.open().bind(new InetSocketAddress("127.0.0.1", 0)))
        {
            closedPort = ((InetSocketAddress)probe.getLocalAddress()).getPort();
        }

        assertThat(run("replay", recording.toString(), "--to", "127.0.0.1:" + closedPort, "--speed", "max"))
            .as("exit status; stdout:%n%s%nstderr:%n%s", out, err).isEqualTo(1);
        assertThat(err.toString()).matches("tickgate replay: [0-9,]+ datagrams were refused by 127\\.0\\.0\\.1:" +
            closedPort + ": is a gateway listening there\\?\\R");
        // What was sent plus what was lost adds up to what was replayed.
        final Matcher summary = Pattern.compile("sent ([0-9,]+) datagrams, ([0-9,]+) " +
            "messages to .*; ([0-9,]+) more datagrams lost: ([0-9,]+) of the ([0-9,]+) messages replayed " +
            "\\(([0-9,]+) quotes and trades, ([0-9,]+) definitions?\\)").matcher(out.toString());
        assertThat(summary.find()).as(out.toString()).isTrue();
        assertThat(number(summary.group(3))).isPositive();
        assertThat(number(summary.group(2)) + number(summary.group(4))).isEqualTo(number(summary.group(5)));
        assertThat(number(summary.group(6)) + number(summary.group(7))).isEqualTo(number(summary.group(5)));
    }

    /**
     * CLI.md: replay ends by printing what it sent, also when Ctrl-C or SIGTERM ends it early.
     */
    @Test
    void shouldPrintWhatWasSentWhenStoppedBySignal() throws Exception
    {
        final Path recording = importHistData();
        try (java.net.DatagramSocket receiver =
            new java.net.DatagramSocket(new InetSocketAddress("127.0.0.1", 0)))
        {
            receiver.setSoTimeout(30_000);
            final Path log = tmp.resolve("replay.log");
            // At the recorded pace the 9,500 quotes take minutes: the signal comes long before the end.
            final Process replay = new ProcessBuilder(Tests.tickgateCommand(List.of("replay", recording.toString(),
                "--to", "127.0.0.1:" + receiver.getLocalPort(), "--speed", "1")))
                .redirectErrorStream(true)
                .redirectOutput(log.toFile())
                .start();
            try
            {
                receiver.receive(new java.net.DatagramPacket(new byte[2048], 2048)); // it has started sending
                replay.destroy(); // SIGTERM
                assertThat(replay.waitFor(20, TimeUnit.SECONDS)).as("replay exited after SIGTERM").isTrue();
            }
            finally
            {
                replay.destroyForcibly();
            }
            final String output = Files.readString(log, StandardCharsets.UTF_8);
            assertThat(replay.exitValue()).as(output).isEqualTo(143);
            // How many ticks went out before the signal varies, from none (the definition alone, "1 message") up.
            assertThat(output).containsPattern("tickgate replay: sent [0-9,]+ datagrams?, [0-9,]+ messages? \\(" +
                "([0-9,]+ quotes and trades|1 quote or trade), 1 definition\\) to 127\\.0\\.0\\.1:" +
                receiver.getLocalPort() + " in [0-9.]+ s, [0-9,]+ messages/s, stopped early");
            assertThat(output).doesNotContain("Exception");
        }
    }

    /**
     * CLI.md: no stack trace is a user message. SIGTERM while a --replay gateway started made Chronicle's first use
     * fail to add its shutdown hook ("Shutdown in progress"), with a stack trace from main and one from its
     * releaser thread.
     */
    @Test
    void shouldStopWithOneLineWhenSignalledWhileAReplayGatewayStarts() throws Exception
    {
        final Path recording = tmp.resolve("rec");
        try (io.tickgate.simulator.recording.RecordingWriter writer =
            io.tickgate.simulator.recording.RecordingWriter.open(recording, "test"))
        {
            writer.definition(1, "X", 2, 0);
            writer.quote(1, 1, 0, 10, 101, 1, 102, 1);
        }
        final List<String> command = new java.util.ArrayList<>(Tests.tickgateCommand(List.of("gateway", "--replay",
            recording.toString(), "--http-port", "0", "--bind", "127.0.0.1")));
        command.set(command.indexOf(TickgateCommand.class.getName()), SignalWhileStartingMain.class.getName());
        final Path log = tmp.resolve("gateway.log");
        final Process gateway = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile())
            .start();
        try
        {
            assertThat(gateway.waitFor(60, TimeUnit.SECONDS)).as("gateway exited after SIGTERM").isTrue();
        }
        finally
        {
            gateway.destroyForcibly();
        }
        final String output = Files.readString(log, StandardCharsets.UTF_8);
        assertThat(output).doesNotContain("\tat ").doesNotContain("Exception").doesNotContain("Error")
            .doesNotContain("tickgate listening").contains("tickgate stopping: SIGTERM while starting");
        assertThat(gateway.exitValue()).as(output).isEqualTo(143);
    }

    /**
     * The Coinbase sample as a killed recorder leaves it, its last line cut: imported up to that line, with a note.
     */
    @Test
    void shouldImportACaptureWhoseLastLineWasCutWithANoteNamingTheLine() throws IOException
    {
        final byte[] whole = Files.readAllBytes(DATA.resolve(
            "crypto-ws-captures-2021/coinbase-pro_2021-04-17_level2-ticker-matches.log"));
        final Path cut = Files.write(tmp.resolve("cbcut.log"), java.util.Arrays.copyOf(whole, whole.length - 40));
        assertThat(run("import", "--format", "coinbase", "--out", tmp.resolve("cb").toString(), cut.toString()))
            .as(err.toString()).isZero();
        assertThat(err.toString()).contains("note: " + cut + " line 9950 is cut short");
        assertThat(out.toString()).as("the summary scripts read").doesNotContain("note:")
            .contains("wrote 107 quotes and 107 trades");
    }

    /**
     * A second import whose values need more decimals than the recording gives the symbol: one line, exit 1,
     * nothing written.
     */
    @Test
    void shouldRefuseAnImportNeedingMoreDecimalsThanTheRecordingGivesASymbol() throws IOException
    {
        final Path recording = tmp.resolve("rec");
        final String line = "1626916403.1: {\"stream\":\"x@aggTrade\",\"data\":{\"e\":\"aggTrade\"," +
            "\"s\":\"X\",\"p\":\"%s\",\"q\":\"1\"}}\n";
        final Path first = Files.writeString(tmp.resolve("first.log"), String.format(line, "100.1"));
        final Path second = Files.writeString(tmp.resolve("second.log"), String.format(line, "100.25"));
        assertThat(run("import", "--format", "binance", "--out", recording.toString(), first.toString()))
            .as(err.toString()).isZero();
        assertThat(run("import", "--format", "binance", "--out", recording.toString(), second.toString()))
            .isEqualTo(1);
        assertThat(err.toString()).isEqualTo("tickgate import: X prices need 2 decimals, but " + recording +
            " already records X with priceScale 1, sizeScale 0 (this import: priceScale 2, sizeScale 0); nothing " +
            "written: import into a new --out directory, or import all of X's files there in one command" +
            System.lineSeparator());
        assertThat(RecordingDescriptor.segments(recording)).hasSize(1);
    }

    @Test
    void shouldNameAnInputThatIsADirectory() throws IOException
    {
        final Path folder = Files.createDirectories(tmp.resolve("not-a-file"));
        final Path recording = tmp.resolve("from-a-directory");

        assertThat(run("import", "--format", "histdata", "--out", recording.toString(), folder.toString()))
            .isEqualTo(2);
        assertThat(err.toString()).startsWith("tickgate: input is a directory, not a file: " + folder +
            System.lineSeparator());
        assertThat(recording).doesNotExist();
    }

    /**
     * The same file named twice, however spelt, imported every tick of it twice.
     */
    @Test
    void shouldRefuseTheSameInputFileNamedTwice() throws IOException
    {
        final Path folder = DATA.resolve("histdata-eurusd-ticks-2020-01-01");
        final Path file = folder.resolve("EURUSD_T_2020-01-01_first9500.csv");
        final Path sameOtherwise = folder.resolve(".").resolve("EURUSD_T_2020-01-01_first9500.csv");
        final Path recording = tmp.resolve("twice");

        for (final Path second : new Path[] {file, sameOtherwise})
        {
            assertThat(run("import", "--format", "histdata", "--out", recording.toString(), file.toString(),
                second.toString())).isEqualTo(2);
            assertThat(err.toString()).startsWith("tickgate: input file named twice: " +
                (second == file ? file : file + " and " + sameOtherwise) + System.lineSeparator() + "Usage: ");
            assertThat(recording).doesNotExist();
        }

        final Path copy = Files.copy(file, tmp.resolve("ticks.csv"));
        final Path hardLink = Files.createLink(tmp.resolve("same-ticks.csv"), copy);
        assertThat(run("import", "--format", "histdata", "--out", recording.toString(), copy.toString(),
            hardLink.toString())).as("a hard link is the same file").isEqualTo(2);
        assertThat(err.toString()).contains("input file named twice: " + copy + " and " + hardLink);
        assertThat(recording).doesNotExist();
    }

    /**
     * README: a failure at run time exits 1; a missing file is a usage error (docs/recording.md), exit 2. A file that
     * is there but cannot be opened for reading (a socket here: the tests may run as root, whom permissions do not
     * stop) is the former.
     */
    @Test
    void shouldFailAtRunTimeForAnInputThatCannotBeReadAndAsUsageForAMissingOne() throws IOException
    {
        final Path socketFile = tmp.resolve("EURUSD_socket.csv");
        final Path recording = tmp.resolve("unreadable");
        try (java.nio.channels.ServerSocketChannel socket =
            java.nio.channels.ServerSocketChannel.open(java.net.StandardProtocolFamily.UNIX))
        {
            socket.bind(java.net.UnixDomainSocketAddress.of(socketFile));
            assertThat(run("import", "--format", "histdata", "--out", recording.toString(), socketFile.toString()))
                .isEqualTo(1);
        }
        assertThat(err.toString()).startsWith("tickgate import: cannot read " + socketFile + ": ")
            .doesNotContain("Usage");
        assertThat(err.toString().lines()).hasSize(1);
        assertThat(recording).doesNotExist();

        final Path missing = tmp.resolve("EURUSD_missing.csv");
        assertThat(run("import", "--format", "histdata", "--out", recording.toString(), missing.toString()))
            .isEqualTo(2);
        assertThat(err.toString()).startsWith("tickgate: no such input file: " + missing + System.lineSeparator() +
            "Usage: ");
    }

    @Test
    void shouldFailWithoutWritingWhenTheFormatFindsNothing()
    {
        final Path capture = DATA.resolve("crypto-ws-captures-2021/kraken_2021-04-17_ticker.log");
        final Path recording = tmp.resolve("wrong-format");

        assertThat(run("import", "--format", "coinbase", "--out", recording.toString(), capture.toString()))
            .isEqualTo(1);
        assertThat(err.toString()).isEqualTo("tickgate import: no quotes or trades found in " + capture +
            " as --format coinbase (is that their format?); nothing written" + System.lineSeparator());
        assertThat(recording).doesNotExist();
    }

    /**
     * A file of another format among files of the named one parsed as nothing, and the import went on with the
     * others, exit 0: the file's ticks were missing from the recording without a word.
     */
    @Test
    void shouldFailWithoutWritingWhenOneOfSeveralFilesIsOfAnotherFormat()
    {
        final Path coinbase = DATA.resolve("crypto-ws-captures-2021/coinbase-pro_2021-04-17_level2-ticker-matches.log");
        final Path kraken = DATA.resolve("crypto-ws-captures-2021/kraken_2021-04-17_ticker.log");
        final Path recording = tmp.resolve("mixed-formats");

        assertThat(run("import", "--format", "coinbase", "--out", recording.toString(), coinbase.toString(),
            kraken.toString())).isEqualTo(1);
        assertThat(err.toString()).isEqualTo("tickgate import: no quotes or trades found in " + kraken +
            " as --format coinbase (is that their format?); nothing written" + System.lineSeparator());
        assertThat(recording).doesNotExist();

        err.getBuffer().setLength(0);
        assertThat(run("import", "--format", "coinbase", "--out", recording.toString(), coinbase.toString()))
            .as(err.toString()).isZero();
    }

    /**
     * A ticker without its bid was dropped without a word: the counts came out lower and the exit status was 0.
     */
    @Test
    void shouldRefuseAFrameWithoutAFieldItNeedsNamingTheLineAndWriteNothing() throws IOException
    {
        final List<String> lines = Files.readAllLines(
            DATA.resolve("crypto-ws-captures-2021/coinbase-pro_2021-04-17_level2-ticker-matches.log"));
        int n = 0;
        while (!lines.get(n).contains("\"type\":\"ticker\""))
        {
            n++;
        }
        lines.set(n, lines.get(n).replaceFirst("\"best_bid\":\"[^\"]*\",", ""));
        final Path capture = Files.write(tmp.resolve("cb.log"), lines);
        final Path recording = tmp.resolve("cb");

        assertThat(run("import", "--format", "coinbase", "--out", recording.toString(), capture.toString()))
            .isEqualTo(1);
        assertThat(err.toString()).isEqualTo("tickgate import: " + capture + " line " + (n + 1) +
            ": coinbase ticker without \"best_bid\"" + System.lineSeparator());
        assertThat(recording).doesNotExist();
    }

    @Test
    void shouldRefuseALobsterPairWhoseMessageFileWasCut() throws IOException
    {
        final Path folder = DATA.resolve("lobster-nasdaq-l1-2012-06-21");
        final String stem = "AMZN_2012-06-21_34200000_57600000_";
        final Path pair = Files.createDirectories(tmp.resolve("cut"));
        final List<String> messages = Files.readAllLines(folder.resolve(stem + "message_1.csv"));
        Files.write(pair.resolve(stem + "message_1.csv"), messages.subList(0, 2_000));
        Files.copy(folder.resolve(stem + "orderbook_1.csv"), pair.resolve(stem + "orderbook_1.csv"));

        assertThat(run("import", "--format", "lobster", "--out", tmp.resolve("amzn").toString(),
            pair.resolve(stem + "message_1.csv").toString())).isEqualTo(1);
        // The count is the cut file's: "(2000)" after the order book's name read as the book's own count.
        assertThat(err.toString()).startsWith("tickgate import: " + pair.resolve(stem + "message_1.csv") +
            " has 2000 rows, fewer than " + pair.resolve(stem + "orderbook_1.csv") + ": the pair does not match");
    }

    @Test
    void shouldSayWhyTheOutputDirectoryCannotBeMade() throws IOException
    {
        final Path file = Files.writeString(tmp.resolve("a-file"), "not a directory");

        assertThat(run("import", "--format", "kraken", "--out", file.toString(),
            DATA.resolve("crypto-ws-captures-2021/kraken_2021-04-17_ticker.log").toString())).isEqualTo(1);
        assertThat(err.toString()).isEqualTo("tickgate import: cannot create a recording in " + file +
            ": exists and is not a directory" + System.lineSeparator());
    }

    private Path importHistData()
    {
        final Path recording = tmp.resolve("eurusd");
        assertThat(run("import", "--format", "histdata", "--out", recording.toString(),
            DATA.resolve("histdata-eurusd-ticks-2020-01-01/EURUSD_T_2020-01-01_first9500.csv").toString()))
            .as(err.toString()).isZero();
        return recording;
    }

    private Path importKraken()
    {
        final Path recording = tmp.resolve("kraken");
        final Path folder = DATA.resolve("crypto-ws-captures-2021");
        assertThat(run("import", "--format", "kraken", "--out", recording.toString(),
            folder.resolve("kraken_2021-04-17_ticker.log").toString(),
            folder.resolve("kraken_2021-04-17_trade.log").toString())).as(err.toString()).isZero();
        assertThat(out.toString()).containsPattern("SC/EUR +quotes +6 +trades +6");
        return recording;
    }

    /**
     * Header offset of the n-th record (1-based), definitions included.
     */
    private static long offsetOfRecord(final Path recording, final int n)
    {
        try (RecordingReader reader = RecordingReader.open(recording))
        {
            for (int i = 0; i < n; i++)
            {
                reader.next();
            }
            return reader.recordOffset();
        }
    }

    private static int definitions(final Path recording)
    {
        int count = 0;
        try (RecordingReader reader = RecordingReader.open(recording))
        {
            while (RecordingDescriptor.TYPE_DEFINITION == reader.next())
            {
                count++;
            }
        }
        return count;
    }

    private static long number(final String digits)
    {
        return Long.parseLong(digits.replace(",", ""));
    }
}

package io.tickgate.gateway.cli;

import io.tickgate.gateway.Gateway;
import io.tickgate.gateway.conflation.LastValueCache;
import io.tickgate.gateway.Tests;
import io.tickgate.gateway.feed.FeedHandler;
import io.tickgate.simulator.recording.RecordingDescriptor;
import io.tickgate.simulator.recording.RecordingWriter;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.io.RandomAccessFile;
import java.net.BindException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.channels.DatagramChannel;
import java.io.StringWriter;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

/**
 * The launcher's contract from CLI.md: a wrong flag or value prints one clear line and the usage and exits 2, with
 * no stack trace; {@code --help} lists the subcommands and every option scripts rely on.
 */
class LauncherCommandTest
{
    /**
     * Bounds every run: a bad value the launcher failed to reject would start a gateway that waits for Ctrl-C.
     */
    private static final Duration RUN_TIMEOUT = Duration.ofSeconds(20);

    @TempDir
    Path tempDir;

    private record Run(int status, String out, String err)
    {
        String firstErrLine()
        {
            return err.lines().findFirst().orElse("");
        }
    }

    private static Run run(final String... args)
    {
        return assertTimeoutPreemptively(RUN_TIMEOUT, () ->
        {
            final StringWriter out = new StringWriter();
            final StringWriter err = new StringWriter();
            final CommandLine commandLine = TickgateCommand.newCommandLine();
            commandLine.setOut(new PrintWriter(out, true));
            commandLine.setErr(new PrintWriter(err, true));
            final int status = commandLine.execute(args);
            return new Run(status, out.toString(), err.toString());
        }, () -> "tickgate " + String.join(" ", args) + " did not return");
    }

    /**
     * Exit 2, one line naming the problem, then the usage, and nothing that looks like a stack trace.
     */
    private static void assertUsageError(final Run run, final String... lineMentions)
    {
        final String all = run.out() + run.err();
        assertThat(run.status()).as("exit status; stderr:%n%s", run.err()).isEqualTo(2);
        assertThat(run.firstErrLine()).startsWith("tickgate:");
        for (final String mention : lineMentions)
        {
            assertThat(run.firstErrLine()).contains(mention);
        }
        assertThat(run.err().lines().skip(1).findFirst().orElse(""))
            .as("the line after the message starts the usage; stderr:%n%s", run.err())
            .startsWith("Usage:");
        assertThat(all).doesNotContain("at io.", "\tat ", "Exception");
    }

    @Test
    void shouldExitTwoWithOneLineAndUsageOnUnknownFlag()
    {
        assertUsageError(run("--bogus-flag"), "--bogus-flag");
        assertUsageError(run("gateway", "--no-such-option", "1"), "--no-such-option");
        assertUsageError(run("simulate", "--nope"), "--nope");
        // A command with required options names the unknown flag, not a required option it made look missing.
        assertUsageError(run("import", "--frob"), "Unknown option", "--frob");
        assertUsageError(run("import", "--format", "histdata", "--frob"), "Unknown option", "--frob");
    }

    /**
     * Every command's help offers {@code -V, --version}; each prints the launcher's version line and exits 0.
     */
    @Test
    void shouldPrintTheVersionFromEveryCommand()
    {
        final Run top = run("--version");
        assertThat(top.status()).isZero();
        assertThat(top.out()).startsWith("tickgate ");
        for (final String command : List.of("gateway", "demo", "simulate", "import", "inspect", "replay", "watch"))
        {
            final Run run = run(command, "--version");
            assertThat(run.status()).as(command).isZero();
            assertThat(run.out()).as(command).isEqualTo(top.out());
        }
    }

    @Test
    void shouldExitTwoOnUnknownSubcommand()
    {
        assertUsageError(run("frobnicate"), "frobnicate");
    }

    @Test
    void shouldExitTwoWhenHttpPortIsNotANumber()
    {
        assertUsageError(run("gateway", "--http-port", "abc", "--feed-port", "0"), "--http-port", "abc");
    }

    @Test
    void shouldExitTwoWhenHttpPortIsOutOfRange()
    {
        assertUsageError(run("gateway", "--http-port", "70000", "--feed-port", "0"), "70000");
        assertUsageError(run("demo", "--http-port", "-1"), "-1");
    }

    @Test
    void shouldExitTwoWhenHeartbeatIsNotPositive()
    {
        assertUsageError(run("gateway", "--heartbeat-ms", "0", "--http-port", "0", "--feed-port", "0",
            "--bind", "127.0.0.1"), "--heartbeat-ms");
        assertUsageError(run("demo", "--slow-consumer-timeout-ms", "-3", "--http-port", "0"),
            "--slow-consumer-timeout-ms");
        assertUsageError(run("gateway", "--stale-after-ms", "0", "--http-port", "0", "--feed-port", "0",
            "--bind", "127.0.0.1"), "--stale-after-ms");
        // Refused as the config file and -D refuse them, not quietly capped.
        assertUsageError(run("gateway", "--heartbeat-ms", "9223372036855", "--http-port", "0", "--feed-port", "0",
            "--bind", "127.0.0.1"), "--heartbeat-ms", "does not fit");
        assertUsageError(run("demo", "--stale-after-ms", "9223372036854775807", "--http-port", "0"),
            "--stale-after-ms", "does not fit");
    }

    @Test
    void shouldExitTwoWhenSimulatorRateIsInfinite()
    {
        assertUsageError(run("demo", "--rate", "Infinity", "--http-port", "0"), "rate", "Infinity");
        assertUsageError(run("gateway", "--simulate", "2", "--simulate-rate", "Infinity", "--http-port", "0",
            "--feed-port", "0", "--bind", "127.0.0.1"), "rate", "Infinity");
    }

    @Test
    void shouldExitTwoWhenBindAddressDoesNotResolve()
    {
        // RFC 2606 reserves .invalid, so this name never resolves: a wrong value like any other, not a crash.
        assertUsageError(run("gateway", "--bind", "no-such-host.invalid", "--http-port", "0", "--feed-port", "0"),
            "no-such-host.invalid");
        assertUsageError(run("gateway", "--bind=", "--http-port", "0", "--feed-port", "0"), "bind address", "empty");
        assertUsageError(run("demo", "--bind", " ", "--http-port", "0"), "bind address", "empty");
    }

    @Test
    void shouldExitTwoWhenSimulateTargetHasNoPort()
    {
        assertUsageError(run("simulate", "--to", "nohostport"), "nohostport");
        assertUsageError(run("simulate", "--to", "127.0.0.1:99999"), "99999");
    }

    @Test
    void shouldExitTwoWhenSimulateRateIsNotPositive()
    {
        assertUsageError(run("simulate", "--rate", "-5", "--to", "127.0.0.1:9"), "--rate");
        assertUsageError(run("simulate", "--symbols", "0", "--to", "127.0.0.1:9"), "--symbols");
    }

    @Test
    void shouldListSubcommandsOnHelp()
    {
        final Run run = run("--help");
        assertThat(run.status()).isZero();
        assertThat(run.out()).contains("demo", "gateway", "simulate", "import", "replay", "inspect", "watch",
            "loadtest", "side-by-side");
        assertThat(run.out().lines()).as("help fits 80 columns").allMatch(line -> line.length() <= 80);
        assertThat(run.err()).isEmpty();
    }

    @Test
    void shouldListEveryScriptedGatewayOptionOnGatewayHelp()
    {
        final Run run = run("gateway", "--help");
        assertThat(run.status()).isZero();
        assertThat(run.out()).contains("--http-port", "--feed-port", "--bind", "--simulate",
            "--slow-consumer-timeout-ms", "--heartbeat-ms", "--stale-after-ms");
        assertThat(run.err()).isEmpty();
    }

    @Test
    void shouldListScriptedOptionsOnDemoAndSimulateHelp()
    {
        final Run demo = run("demo", "--help");
        assertThat(demo.status()).isZero();
        assertThat(demo.out()).contains("--http-port", "--bind", "--slow-consumer-timeout-ms", "--heartbeat-ms",
            "http://localhost:8080");

        final Run simulate = run("simulate", "--help");
        assertThat(simulate.status()).isZero();
        assertThat(simulate.out()).contains("--to", "--symbols", "--rate", "--duration", "--uniform");
    }

    @Test
    void shouldEndSimulateWithTheTicksItSentAndOverHowLong() throws Exception
    {
        try (DatagramSocket receiver = new DatagramSocket(0, InetAddress.getLoopbackAddress()))
        {
            final Run run = run("simulate", "--to", "127.0.0.1:" + receiver.getLocalPort(), "--symbols", "3",
                "--rate", "1000", "--duration", "0.3");

            assertThat(run.status()).as(run.err()).isZero();
            // The schedule pays out exactly rate x duration ticks before it stops.
            assertThat(run.out()).containsPattern("tickgate simulate: sent \\d+ datagrams, \\d+ messages " +
                "\\(300 ticks in \\d+\\.\\d{3} s, 0 send errors\\)");

            // A positive duration under a nanosecond ends at once; it is not "no limit".
            final Run brief = run("simulate", "--to", "127.0.0.1:" + receiver.getLocalPort(), "--duration", "1e-300");
            assertThat(brief.status()).as(brief.err()).isZero();
            assertThat(brief.out()).contains("(0 ticks in");
        }
    }

    @Test
    void shouldExitOneWhenNothingListensWhereSimulateSends() throws Exception
    {
        final int port;
        try (DatagramSocket closed = new DatagramSocket(0, InetAddress.getLoopbackAddress()))
        {
            port = closed.getLocalPort();
        }

        final Run run = run("simulate", "--to", "127.0.0.1:" + port, "--symbols", "3", "--rate", "1000",
            "--duration", "0.3");

        assertThat(run.status()).as(run.out() + run.err()).isEqualTo(1);
        assertThat(run.err()).matches("tickgate simulate: [0-9,]+ datagrams were refused by 127\\.0\\.0\\.1:" + port +
            ": is a gateway listening there\\?\\R");
        // The ticks of refused datagrams were never sent: the summary counts no more ticks than messages.
        final java.util.regex.Matcher summary = java.util.regex.Pattern.compile(
            "sent \\d+ datagrams, (\\d+) messages \\((\\d+) ticks in").matcher(run.out());
        assertThat(summary.find()).as(run.out()).isTrue();
        assertThat(Long.parseLong(summary.group(2))).isLessThanOrEqualTo(Long.parseLong(summary.group(1)));
    }

    /**
     * A second gateway on a feed port another one reads must fail to start, not share the port: on Linux the last
     * socket bound with address reuse gets every datagram, so the first gateway would silently stop ingesting.
     */
    @Test
    void shouldExitOneWhenTheFeedPortBelongsToAnotherGateway()
    {
        try (Gateway first = Gateway.launch(new Gateway.Context().bindAddress("127.0.0.1").httpPort(0).feedPort(0)))
        {
            final int feedPort = first.feedAddress().getPort();

            final Run run = run("gateway", "--bind", "127.0.0.1", "--http-port", "0", "--feed-port",
                Integer.toString(feedPort));

            assertThat(run.status()).as("exit status; stdout:%n%s%nstderr:%n%s", run.out(), run.err()).isEqualTo(1);
            assertThat(run.err().strip())
                .isEqualTo("tickgate gateway: cannot bind the UDP feed port 127.0.0.1:" + feedPort +
                    ": Address already in use");
            assertThat(run.out()).doesNotContain("tickgate listening");
        }
    }

    /**
     * A restart loop against a taken port must not pile up header-only segments in the recording.
     */
    @Test
    void shouldLeaveNoNewSegmentWhenARecordingGatewayCannotListen(@TempDir final Path tmp) throws Exception
    {
        final Path dir = tmp.resolve("rec");
        RecordingWriter.open(dir, "earlier run").close();
        final List<Path> before = RecordingDescriptor.segments(dir);
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress()))
        {
            for (int attempt = 0; attempt < 2; attempt++)
            {
                final Run run = run("gateway", "--bind", "127.0.0.1", "--http-port",
                    Integer.toString(taken.getLocalPort()), "--record", dir.toString());

                assertThat(run.status()).as("exit status; stderr:%n%s", run.err()).isEqualTo(1);
                assertThat(run.err()).contains("cannot listen on 127.0.0.1:" + taken.getLocalPort());
            }
        }
        try (Stream<Path> files = Files.list(dir))
        {
            assertThat(files).containsExactlyElementsOf(before);
        }
    }

    @Test
    void shouldExitOneWithOneLineWhenTheReplayedRecordingIsDamaged(@TempDir final Path dir) throws Exception
    {
        final long damagedAt = writeTrades(dir, 1_300, 1_234, true);
        final Path file = RecordingDescriptor.segments(dir).get(0);
        try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "rw"))
        {
            raf.seek(damagedAt + 9);
            final int b = raf.read();
            raf.seek(damagedAt + 9);
            raf.write(b ^ 0x10);
        }

        final Run run = run("gateway", "--bind", "127.0.0.1", "--http-port", "0", "--replay", dir.toString(),
            "--speed", "max");

        assertThat(run.status()).as("exit status; stdout:%n%s%nstderr:%n%s", run.out(), run.err()).isEqualTo(1);
        assertThat(run.err().strip()).isEqualTo("tickgate gateway: replay of " + dir + " stopped after 1,234 ticks: " +
            "damaged recording " + file + " at offset " + damagedAt + ": check mismatch (bytes changed or cut)");
    }

    /**
     * Like {@code replay} and {@code inspect}: a path that is not there is a usage error; a directory that is there
     * but holds no recording fails at run time with one line.
     */
    @Test
    void shouldTellAMissingRecordingFromADirectoryWithoutOne(@TempDir final Path dir)
    {
        final Path missing = dir.resolve("nowhere");
        assertUsageError(run("gateway", "--bind", "127.0.0.1", "--http-port", "0", "--replay", missing.toString()),
            "no such recording: " + missing);

        final Run empty = run("gateway", "--bind", "127.0.0.1", "--http-port", "0", "--replay", dir.toString());
        assertThat(empty.status()).as("exit status; stderr:%n%s", empty.err()).isEqualTo(1);
        assertThat(empty.err().strip())
            .isEqualTo("tickgate gateway: no recording in " + dir + " (no segment-*.tkr files)");
        assertThat(empty.out()).isEmpty();

        // An empty file named on its own likewise (it started, replayed 0 ticks and served nothing).
        final Path emptyFile = dir.resolve("afile");
        try
        {
            Files.createFile(emptyFile);
        }
        catch (final java.io.IOException ex)
        {
            throw new java.io.UncheckedIOException(ex);
        }
        final Run file = run("gateway", "--bind", "127.0.0.1", "--http-port", "0", "--replay", emptyFile.toString());
        assertThat(file.status()).as("exit status; stderr:%n%s", file.err()).isEqualTo(1);
        assertThat(file.err().strip()).isEqualTo("tickgate gateway: no recording in " + emptyFile + " (an empty file)");
    }

    /**
     * The normal crash case: a writer killed before closing leaves a segment that ends at a header not complete.
     */
    @Test
    void shouldKeepServingAReplayOfARecordingItsWriterNeverClosed(@TempDir final Path dir)
    {
        writeTrades(dir, 10, 0, false);
        try (Gateway gateway = Gateway.launch(new Gateway.Context().bindAddress("127.0.0.1").httpPort(0)
            .replay(dir, 0)))
        {
            Tests.await(Duration.ofSeconds(10), () -> gateway.replaySource().isDone(), () -> "replay never ended");
            assertThat(gateway.replaySource().ticksSent()).isEqualTo(10);
            assertThat(gateway.failure()).isNull();
        }
    }

    /**
     * A recording's instrument ids are any u32, as the feed's are: one past 2^31 (negative as an int) failed the
     * replay with an exception, and a large one made it allocate an array as long as the id.
     */
    @Test
    void shouldReplayInstrumentIdsAnywhereInTheirRange(@TempDir final Path dir)
    {
        final int[] ids = {3, 0xFFFF_FFF0, 2_000_000_000, 65_536};
        try (RecordingWriter writer = RecordingWriter.open(dir, "test"))
        {
            for (int i = 0; i < ids.length; i++)
            {
                writer.definition(ids[i], "ID" + i, 2, 0);
                writer.trade(ids[i], i + 1, 1_700_000_000_000_000_000L, 1_700_000_000_000_000_000L, 100 + i, 1);
            }
        }
        try (Gateway gateway = Gateway.launch(new Gateway.Context().bindAddress("127.0.0.1").httpPort(0).feedPort(-1)
            .replay(dir, 0)))
        {
            Tests.await(Duration.ofSeconds(10), () -> gateway.replaySource().isDone(), () -> "replay never ended");
            assertThat(gateway.failure()).isNull();
            assertThat(gateway.replaySource().ticksSent()).isEqualTo(ids.length);
            final LastValueCache.ValueView view = new LastValueCache.ValueView();
            for (int i = 0; i < ids.length; i++)
            {
                final int sid = gateway.registry().byName("ID" + i).sid();
                final int n = i;
                Tests.await(Duration.ofSeconds(10), () ->
                {
                    gateway.cache().read(sid, view);
                    return view.lastPrice == 100 + n;
                }, () -> "ID" + n + " never got its trade: last " + view.lastPrice);
            }
        }
    }

    /**
     * One definition and {@code count} trades, flushed; closed only if {@code close}.
     *
     * @return where trade number {@code markAt} (from 0) starts.
     */
    private static long writeTrades(final Path dir, final int count, final int markAt, final boolean close)
    {
        final RecordingWriter writer = RecordingWriter.open(dir, "test");
        writer.definition(0, "DMG", 2, 0);
        long mark = -1;
        for (int i = 0; i < count; i++)
        {
            if (i == markAt)
            {
                mark = writer.length();
            }
            writer.trade(0, i + 1, 1_700_000_000_000_000_000L + i, 1_700_000_000_000_000_000L + i, 100 + i, 1);
        }
        writer.flush();
        if (close)
        {
            writer.close();
        }
        return mark;
    }

    @Test
    void shouldRefuseAFeedPortAnotherFeedChannelHolds() throws Exception
    {
        final InetSocketAddress any = new InetSocketAddress(InetAddress.getLoopbackAddress(), 0);
        try (DatagramChannel first = FeedHandler.openChannel(any, 64 * 1024))
        {
            final InetSocketAddress taken = (InetSocketAddress)first.getLocalAddress();
            assertThatThrownBy(() -> FeedHandler.openChannel(taken, 64 * 1024))
                .isInstanceOf(BindException.class);
        }
    }

    @Test
    void shouldLetASystemPropertyWinOverTheSameKeyInTheConfigFile() throws Exception
    {
        final Path config = configFile("tickgate.http.port=0");
        System.setProperty("tickgate.http.port", "70000");
        try
        {
            assertUsageError(run("gateway", "--config", config.toString(), "--bind", "127.0.0.1", "--feed-port", "-1"),
                "70000");
        }
        finally
        {
            System.clearProperty("tickgate.http.port");
        }
    }

    @Test
    void shouldSayWhyAConfigFileCannotBeRead() throws Exception
    {
        final Path missing = configFile("tickgate.http.port=0").resolveSibling("missing.properties");
        assertUsageError(run("gateway", "--config", missing.toString(), "--bind", "127.0.0.1", "--feed-port", "-1"),
            "cannot read config file " + missing + ": no such file or directory");
    }

    @Test
    void shouldRefuseAConfigFileNamingAnUnknownSetting() throws Exception
    {
        final Path config = configFile("tickgate.http.port=0", "tickgate.session.hartbeat=200ms");
        assertUsageError(run("gateway", "--config", config.toString(), "--bind", "127.0.0.1", "--feed-port", "-1"),
            "unknown setting 'tickgate.session.hartbeat' in config file " + config);
        // A line that is no key=value at all: every unknown key is named, the empty one too.
        final Path garbled = configFile("tickgate.http.port=0", "this is not a setting", "=");
        assertUsageError(run("gateway", "--config", garbled.toString(), "--bind", "127.0.0.1", "--feed-port", "-1"),
            "unknown setting '', 'this' in config file " + garbled);
        final Path badEscape = configFile("tickgate.http.port=\\u00zz");
        assertUsageError(run("gateway", "--config", badEscape.toString(), "--bind", "127.0.0.1", "--feed-port", "-1"),
            "cannot read config file " + badEscape + ": Malformed");
    }

    @Test
    void shouldRefuseASystemPropertyNamingAnUnknownSetting()
    {
        System.setProperty("tickgate.session.hartbeat", "200ms");
        try
        {
            assertUsageError(run("gateway", "--bind", "127.0.0.1", "--http-port", "0", "--feed-port", "-1"),
                "unknown setting -Dtickgate.session.hartbeat");
        }
        finally
        {
            System.clearProperty("tickgate.session.hartbeat");
        }
    }

    @Test
    void shouldLetAFlagWinOverASystemProperty()
    {
        System.setProperty("tickgate.session.heartbeat", "1s");
        try
        {
            assertUsageError(run("gateway", "--heartbeat-ms", "0", "--bind", "127.0.0.1", "--http-port", "0",
                "--feed-port", "-1"), "--heartbeat-ms");
        }
        finally
        {
            System.clearProperty("tickgate.session.heartbeat");
        }
    }

    @Test
    void shouldReadTheSimulatorRateFromTheConfigFile() throws Exception
    {
        final Path config = configFile("tickgate.simulator.symbols=3", "tickgate.simulator.rate=0");
        assertUsageError(run("gateway", "--config", config.toString(), "--bind", "127.0.0.1", "--http-port", "0",
            "--feed-port", "-1"), "simulator rate", "0");

        final Path notANumber = configFile("tickgate.simulator.symbols=3", "tickgate.simulator.rate=fast");
        assertUsageError(run("gateway", "--config", notANumber.toString(), "--bind", "127.0.0.1", "--http-port", "0",
            "--feed-port", "-1"), "tickgate.simulator.rate", "fast");
    }

    /**
     * Each file holds a value the gateway refuses: the demo must read it rather than put its own default in its
     * place, which would start a demo that waits for Ctrl-C.
     */
    @Test
    void shouldLetTheConfigFileSetWhatTheDemoOtherwiseDefaults() throws Exception
    {
        assertUsageError(run("demo", "--http-port", "0", "--config",
            configFile("tickgate.simulator.symbols=-1").toString()), "simulator symbols", "-1");
        assertUsageError(run("demo", "--http-port", "0", "--config",
            configFile("tickgate.http.bind=no-such-host.invalid").toString()), "no-such-host.invalid");
        assertUsageError(run("demo", "--http-port", "0", "--config",
            configFile("tickgate.feed.port=70000").toString()), "feed port", "70000");
        assertUsageError(run("demo", "--http-port", "0", "--config",
            configFile("tickgate.simulator.rate=-5").toString()), "simulator rate", "-5");
    }

    @Test
    void shouldLetDemoFlagsWinOverTheConfigFile() throws Exception
    {
        final Path config = configFile("tickgate.simulator.symbols=5", "tickgate.http.bind=127.0.0.1");
        assertUsageError(run("demo", "--http-port", "0", "--symbols", "-2", "--config", config.toString()),
            "simulator symbols", "-2");
    }

    /**
     * The JDK's integer parsers read other scripts' digits as numbers: "٢٠١٧٣" (Arabic-Indic) would be port 20173.
     */
    @Test
    void shouldRefuseDigitsOtherThanAsciiInEveryNumber() throws Exception
    {
        final String port = "\u0662\u0660\u0661\u0667\u0663";
        final String twelve = "\u0661\u0662";
        assertUsageError(run("gateway", "--bind", "127.0.0.1", "--http-port", port, "--feed-port", "-1"),
            "--http-port", port);
        assertUsageError(run("demo", "--http-port", "0", "--heartbeat-ms", twelve), "--heartbeat-ms", twelve);
        assertUsageError(run("simulate", "--to", "127.0.0.1:" + port, "--duration", "1"), "port must be a number");
        assertUsageError(run("inspect", tempDir.toString(), "--records", twelve), "--records", twelve);
        System.setProperty("tickgate.session.heartbeat", twelve + "ms");
        try
        {
            assertUsageError(run("gateway", "--bind", "127.0.0.1", "--http-port", "0", "--feed-port", "-1"),
                "tickgate.session.heartbeat", twelve);
        }
        finally
        {
            System.clearProperty("tickgate.session.heartbeat");
        }
    }

    /**
     * A config file is read as UTF-8, so what refuses its value quotes the value as written.
     */
    @Test
    void shouldReadTheConfigFileAsUtf8AndSaySoWhenItIsNot() throws Exception
    {
        final String twelve = "\u0661\u0662";
        assertUsageError(run("gateway", "--bind", "127.0.0.1", "--feed-port", "-1", "--config",
            configFile("tickgate.http.port=0", "tickgate.session.heartbeat=" + twelve + "ms").toString()),
            "tickgate.session.heartbeat", twelve + "ms");

        final Path latin1 = Files.write(tempDir.resolve("latin1.properties"),
            "tickgate.http.port=0\n# caf\u00e9\n".getBytes(java.nio.charset.StandardCharsets.ISO_8859_1));
        assertUsageError(run("gateway", "--bind", "127.0.0.1", "--feed-port", "-1", "--config", latin1.toString()),
            "latin1.properties", "not UTF-8 text");
    }

    @Test
    void shouldRefuseANumberBeyondAnIntRatherThanWrapIt() throws Exception
    {
        assertUsageError(run("gateway", "--bind", "127.0.0.1", "--feed-port", "-1", "--config",
            configFile("tickgate.http.port=4294986537").toString()), "tickgate.http.port", "4294986537");
        assertUsageError(run("gateway", "--bind", "127.0.0.1", "--http-port", "0", "--feed-port", "-1", "--config",
            configFile("tickgate.symbols.capacity=4294967297").toString()), "tickgate.symbols.capacity", "4294967297");
        assertUsageError(run("gateway", "--bind", "127.0.0.1", "--http-port", "0", "--feed-port", "-1", "--config",
            configFile("tickgate.ring.capacity=4g").toString()), "tickgate.ring.capacity", "4g");
    }

    /**
     * The trailing blanks must go: the run then gets past the address and strategy to the out-of-range port.
     */
    @Test
    void shouldTrimStringValuesLikeNumbers() throws Exception
    {
        final Path config = configFile("tickgate.http.bind=127.0.0.1 \t", "tickgate.conflator.idle.strategy=spin  ",
            "tickgate.feed.idle.strategy= backoff ", "tickgate.http.port=70000");
        assertUsageError(run("gateway", "--feed-port", "-1", "--config", config.toString()), "70000");
    }

    @Test
    void shouldRefuseAnEmptyStringValue() throws Exception
    {
        assertUsageError(run("gateway", "--http-port", "0", "--feed-port", "-1", "--config",
            configFile("tickgate.http.bind=  ").toString()), "tickgate.http.bind");
    }

    @Test
    void shouldExitTwoOnAnEmptyPath()
    {
        assertUsageError(run("gateway", "--bind", "127.0.0.1", "--http-port", "0", "--feed-port", "-1",
            "--record", ""), "--record", "empty path");
        assertUsageError(run("gateway", "--bind", "127.0.0.1", "--http-port", "0", "--replay", ""),
            "--replay", "empty path");
        assertUsageError(run("gateway", "--bind", "127.0.0.1", "--http-port", "0", "--feed-port", "-1",
            "--config", ""), "--config", "empty path");
        assertUsageError(run("demo", "--http-port", "0", "--config", ""), "--config", "empty path");
    }

    @Test
    void shouldExitTwoOnAnEmptyRecordingPath() throws Exception
    {
        final Path input = Files.writeString(tempDir.resolve("input.csv"), "");
        assertUsageError(run("import", "--format", "lobster", "--out", "", input.toString()), "--out", "empty path");
        assertUsageError(run("replay", "", "--to", "127.0.0.1:9"), "DIR", "empty path");
        assertUsageError(run("inspect", ""), "DIR", "empty path");
    }

    @Test
    void shouldExitTwoWhenRecordAndReplayNameTheSameDirectory() throws Exception
    {
        final Path dir = Files.createDirectory(tempDir.resolve("recording"));
        final Path link = Files.createSymbolicLink(tempDir.resolve("link"), dir);
        assertUsageError(run("gateway", "--bind", "127.0.0.1", "--http-port", "0", "--replay", dir.toString(),
            "--record", dir.toString()), "--record", "same directory");
        assertUsageError(run("gateway", "--bind", "127.0.0.1", "--http-port", "0", "--replay", dir.toString(),
            "--record", dir.resolve("..").resolve("recording").resolve(".").toString()), "same directory");
        assertUsageError(run("gateway", "--bind", "127.0.0.1", "--http-port", "0", "--replay", link.toString(),
            "--record", dir.toString()), "same directory");
    }

    @Test
    void shouldNameThePropertyOfAnOutOfRangeValue() throws Exception
    {
        assertUsageError(run("gateway", "--bind", "127.0.0.1", "--http-port", "0", "--feed-port", "0", "--config",
            configFile("tickgate.feed.receive.buffer=-1").toString()), "tickgate.feed.receive.buffer", "-1");
        assertUsageError(run("gateway", "--feed-port", "-1", "--config",
            configFile("tickgate.http.port=70000").toString()), "tickgate.http.port", "70000");
        assertUsageError(run("gateway", "--feed-port", "-1", "--config",
            configFile("tickgate.http.port=abc").toString()), "tickgate.http.port", "not a whole number", "abc");
        // A port is no size: 8k was taken as port 8192.
        assertUsageError(run("gateway", "--feed-port", "-1", "--config",
            configFile("tickgate.http.port=8k").toString()), "tickgate.http.port", "not a whole number", "8k");
        assertUsageError(run("gateway", "--feed-port", "-1", "--config",
            configFile("tickgate.session.close.grace=-1").toString()), "close grace", "must be positive: -1ms");
        // A duration's range is said in a config file's units, not in nanoseconds.
        assertUsageError(run("gateway", "--feed-port", "-1", "--config",
            configFile("tickgate.http.request.timeout=50ms").toString()), "tickgate.http.request.timeout",
            "must be from 100ms to 60m: 50ms");
        assertUsageError(run("gateway", "--feed-port", "-1", "--config",
            configFile("tickgate.recording.park=2s").toString()), "must be from 1us to 1s: 2s");
        // 16m symbols of 128 bytes each do not fit one buffer: the gateway failed to start with "capacity < 0".
        assertUsageError(run("gateway", "--feed-port", "-1", "--config",
            configFile("tickgate.symbols.capacity=16m").toString()), "tickgate.symbols.capacity",
            "must be from 1 to 8388608: 16777216");
        assertUsageError(run("gateway", "--feed-port", "-1", "--config",
            configFile("tickgate.http.allowed.origins=https://ok.example,trading.example.com").toString()),
            "tickgate.http.allowed.origins", "'trading.example.com' is not an origin");
    }

    @Test
    void shouldTreatNoSubcommandAsUsageError() throws Exception
    {
        assertUsageError(run(), "Missing required subcommand");
    }

    @Test
    void shouldListEveryAcceptedIdleStrategyWhenOneIsUnknown() throws Exception
    {
        assertUsageError(run("gateway", "--bind", "127.0.0.1", "--http-port", "0", "--feed-port", "-1", "--config",
            configFile("tickgate.conflator.idle.strategy=bogus").toString()),
            "tickgate.conflator.idle.strategy", "io, feed, park, backoff, yield, sleep or spin", "bogus");
        assertUsageError(run("gateway", "--bind", "127.0.0.1", "--http-port", "0", "--feed-port", "-1", "--config",
            configFile("tickgate.feed.idle.strategy=bogus").toString()),
            "tickgate.feed.idle.strategy", "socket, backoff, yield, sleep or spin", "bogus");
        assertUsageError(run("gateway", "--bind", "127.0.0.1", "--http-port", "0", "--feed-port", "-1", "--config",
            configFile("tickgate.session.socket.writes=java").toString()),
            "tickgate.session.socket.writes", "native or jdk", "java");
    }

    private Path configFile(final String... lines) throws Exception
    {
        return Files.writeString(tempDir.resolve("tickgate.properties"), String.join("\n", lines) + "\n");
    }
}


package io.tickgate.gateway;

import io.tickgate.gateway.symbols.Symbol;
import io.tickgate.simulator.UdpFeedSender;
import io.tickgate.simulator.recording.ImportBuffer;
import io.tickgate.simulator.recording.MarketDataImporter;
import io.tickgate.simulator.recording.Replayer;
import org.agrona.concurrent.SystemNanoClock;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.math.BigDecimal;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Real data files imported, replayed into real gateways (over UDP and straight from the recording), checked
 * through real WebSocket clients against the values the data folders' READMEs state. Stale-after is ten minutes
 * so no stale-only entry (which counts in seq, not in conflated) enters the sums.
 */
class RecordingSystemTest
{
    static final Path DATA = Path.of(System.getProperty("tickgate.shared.data", "../../shared/data"));
    static final Path LOBSTER = DATA.resolve("lobster-nasdaq-l1-2012-06-21");
    static final Path CRYPTO = DATA.resolve("crypto-ws-captures-2021");
    static final Path BINANCE = CRYPTO.resolve("binance-coinm_2021-07-22_bookTicker-aggTrade-depth.log");

    @TempDir
    Path tmp;

    private final List<Gateway> gateways = new ArrayList<>();
    private final List<TestClient> clients = new ArrayList<>();

    @AfterEach
    void tearDown()
    {
        clients.forEach(TestClient::close);
        gateways.forEach(Gateway::close);
    }

    private Gateway start(final Gateway.Context ctx)
    {
        final Gateway gateway = Gateway.launch(ctx.bindAddress("127.0.0.1").httpPort(0)
            .staleAfterNs(TimeUnit.MINUTES.toNanos(10)));
        gateways.add(gateway);
        return gateway;
    }

    private TestClient client(final Gateway gateway)
    {
        final TestClient client = TestClient.connect(gateway);
        clients.add(client);
        return client;
    }

    @Test
    void shouldEndOnLobsterReadmeFinalValuesAndAccountForEveryImportedTickOverUdp() throws IOException
    {
        final ImportBuffer imported = importFiles("lobster",
            LOBSTER.resolve("AMZN_2012-06-21_34200000_57600000_message_1.csv"),
            LOBSTER.resolve("GOOG_2012-06-21_34200000_57600000_message_1.csv"));
        final Path recording = tmp.resolve("lobster");
        imported.writeTo(recording, "import lobster", null);

        final Gateway gateway = start(new Gateway.Context().feedPort(0));
        final TestClient client = client(gateway);
        try (UdpFeedSender sender = new UdpFeedSender(
            new InetSocketAddress("127.0.0.1", gateway.feedAddress().getPort())))
        {
            // A 100k/s cap keeps a loaded two-core test host lossless; the first duty cycle sends only definitions.
            final Replayer replayer = new Replayer(recording, sender, 0, 100_000, 0, SystemNanoClock.INSTANCE,
                TimeUnit.SECONDS.toNanos(5));
            replayer.onStart();
            replayer.doWork();
            awaitSymbols(gateway, "AMZN", "GOOG");
            client.awaitReply(client.subscribe("AMZN", "GOOG"));
            Tests.await(Duration.ofSeconds(10), () -> !client.frames.isEmpty(), () -> "no snapshot");

            while (!replayer.isDone())
            {
                if (0 == replayer.doWork())
                {
                    Thread.onSpinWait();
                }
            }
            replayer.onClose();
            assertThat(replayer.failure()).isNull();
        }

        final Map<String, long[]> expected = Map.of(
            "AMZN", new long[] {2_205_100, 249, 2_206_400, 100, 2_205_100, 51},
            "GOOG", new long[] {5_651_200, 200, 5_652_200, 42, 5_653_500, 100});
        for (final ImportBuffer.Instrument instrument : imported.instruments())
        {
            final int sid = gateway.registry().byName(instrument.symbol()).sid();
            final long ticks = instrument.quotes() + instrument.trades();
            Tests.await(Duration.ofSeconds(30), () -> accounted(client, sid) == ticks,
                () -> instrument.symbol() + ": client accounted for " + accounted(client, sid) + " of " + ticks +
                    " ticks; metrics:\n" + gateway.metrics().scrape());
            assertThat(values(client.latest(sid))).as(instrument.symbol())
                .containsExactly(expected.get(instrument.symbol()));
        }
        assertThat(gateway.metrics().scrape()).contains("tickgate_feed_gaps_total{source=\"udp\"} 0.0");
    }

    @Test
    void shouldEndFastAndThrottledClientsOnBinanceReadmeLastBookTickers() throws IOException
    {
        final Map<String, String[]> readme = binanceReadme();
        final ImportBuffer imported = importFiles("binance", BINANCE);
        for (final ImportBuffer.Instrument instrument : imported.instruments())
        {
            assertThat(instrument.quotes()).as(instrument.symbol() + " bookTickers")
                .isEqualTo(Long.parseLong(readme.get(instrument.symbol())[0]));
        }
        final Path recording = tmp.resolve("binance");
        imported.writeTo(recording, "import binance", null);

        // Ten times the recorded pace: the 30 s capture takes about 3 s, so both clients subscribe mid-replay.
        final Gateway gateway = start(new Gateway.Context().feedPort(-1).replay(recording, 10));
        awaitSymbols(gateway, readme.keySet().toArray(new String[0]));
        final TestClient fast = client(gateway);
        final TestClient throttled = client(gateway);
        throttled.awaitReply(throttled.request("throttle", "\"maxRateHz\":4"));
        final String[] symbols = readme.keySet().toArray(new String[0]);
        fast.awaitReply(fast.subscribe(symbols));
        throttled.awaitReply(throttled.subscribe(symbols));
        Tests.await(Duration.ofSeconds(30), () -> gateway.replaySource().isDone(), () -> "replay never finished");
        assertThat(gateway.replaySource().failure()).isNull();

        for (final Map.Entry<String, String[]> row : readme.entrySet())
        {
            final Symbol symbol = gateway.registry().byName(row.getKey());
            final String[] last = row.getValue();
            final long[] quote = {
                mantissa(last[1], symbol.priceScale()), mantissa(last[2], symbol.sizeScale()),
                mantissa(last[3], symbol.priceScale()), mantissa(last[4], symbol.sizeScale())};
            for (final TestClient client : List.of(fast, throttled))
            {
                Tests.await(Duration.ofSeconds(10), () -> null != client.latest(symbol.sid()) &&
                    client.latest(symbol.sid()).seq() == gateway.cache().seq(symbol.sid()),
                    () -> row.getKey() + " never reached its last value on " + (client == fast ? "fast" : "throttled"));
                final TestClient.Entry entry = client.latest(symbol.sid());
                assertThat(new long[] {entry.bidPrice(), entry.bidSize(), entry.askPrice(), entry.askSize()})
                    .as(row.getKey()).containsExactly(quote);
            }
        }
    }

    @Test
    void shouldShowClientsTheSameStateAndCountsWhenRecordingIsReplayedIntoSecondGateway() throws IOException
    {
        final Path imported = tmp.resolve("binance");
        importFiles("binance", BINANCE).writeTo(imported, "import binance", null);
        final Path recorded = tmp.resolve("recorded");

        final Gateway first = start(new Gateway.Context().feedPort(0).recordDir(recorded));
        final Map<String, long[]> firstView;
        try (UdpFeedSender sender = new UdpFeedSender(
            new InetSocketAddress("127.0.0.1", first.feedAddress().getPort())))
        {
            final Replayer replayer = new Replayer(imported, sender, 0, 200_000, 0, SystemNanoClock.INSTANCE,
                TimeUnit.SECONDS.toNanos(5));
            replayer.onStart();
            while (!replayer.isDone())
            {
                replayer.doWork();
            }
            replayer.onClose();
            Tests.await(Duration.ofSeconds(10), () -> ingested(first) == replayer.ticksSent(),
                () -> "first gateway ingested " + ingested(first) + " of " + replayer.ticksSent());
            firstView = view(first);
        }
        gateways.remove(first);
        first.close();

        final Gateway second = start(new Gateway.Context().feedPort(-1).replay(recorded, 0));
        Tests.await(Duration.ofSeconds(30), () -> second.replaySource().isDone(), () -> "replay never finished");
        assertThat(second.replaySource().failure()).isNull();
        final Map<String, long[]> secondView = view(second);
        assertThat(secondView.keySet()).containsExactlyElementsOf(firstView.keySet());
        for (final String symbol : firstView.keySet())
        {
            assertThat(secondView.get(symbol)).as(symbol).containsExactly(firstView.get(symbol));
        }
    }

    /**
     * A recording directory deleted while the gateway records into it: the writes into the removed segment still
     * succeeded and the whole run's recording was lost without a word. The recorder notices within a second and goes
     * on in a new segment of the directory, definitions first, so what is recorded from then on can be read.
     */
    @Test
    void shouldGoOnInANewSegmentWhenTheRecordingIsRemovedWhileRecording() throws IOException
    {
        final Path dir = tmp.resolve("live");
        final Gateway gateway = start(new Gateway.Context().feedPort(-1).recordDir(dir)
            .simulatorSymbols(5).simulatorRate(500));
        Tests.await(Duration.ofSeconds(10), () -> recorded(gateway) > 0, () -> "nothing recorded");
        try (java.util.stream.Stream<Path> files = Files.walk(dir))
        {
            files.sorted(java.util.Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        }
        assertThat(dir).doesNotExist();

        Tests.await(Duration.ofSeconds(10), () -> hasSegment(dir), () -> "no new segment in " + dir);
        final double before = recorded(gateway);
        Tests.await(Duration.ofSeconds(10), () -> recorded(gateway) > before + 100, () -> "recording stopped");
        gateways.remove(gateway);
        gateway.close();

        final java.io.StringWriter text = new java.io.StringWriter();
        new io.tickgate.simulator.recording.RecordingInspector(new java.io.PrintWriter(text)).inspect(dir, 0);
        assertThat(text.toString()).as(text.toString()).contains("5 instruments").doesNotContain("#");
    }

    /**
     * A segment removed where no new one could be made went on taking ticks into the removed file, counted as
     * recorded: the recording was lost while the metrics said all was well. They are counted as dropped now, until a
     * new segment can be made (here a file stood where the directory must be made again).
     */
    @Test
    void shouldCountTicksAsDroppedWhileNoNewSegmentCanBeMade() throws IOException
    {
        final Path dir = tmp.resolve("blocked");
        final Gateway gateway = start(new Gateway.Context().feedPort(-1).recordDir(dir)
            .simulatorSymbols(5).simulatorRate(500));
        Tests.await(Duration.ofSeconds(10), () -> recorded(gateway) > 0, () -> "nothing recorded");
        try (java.util.stream.Stream<Path> files = Files.walk(dir))
        {
            files.sorted(java.util.Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        }
        Files.writeString(dir, "in the way of the recording directory");

        Tests.await(Duration.ofSeconds(10), () -> dropped(gateway) > 100, () -> "no tick counted as dropped, " +
            recorded(gateway) + " recorded");
        final double recordedWhileBlocked = recorded(gateway);
        final double droppedBefore = dropped(gateway);
        Tests.await(Duration.ofSeconds(10), () -> dropped(gateway) > droppedBefore + 100, () -> "dropping stopped");
        assertThat(recorded(gateway)).as("recorded while no segment can be made").isEqualTo(recordedWhileBlocked);

        Files.delete(dir);
        Tests.await(Duration.ofSeconds(10), () -> hasSegment(dir), () -> "no new segment in " + dir);
        // Not the removed segment's name, which a copy job may hold with other content.
        assertThat(io.tickgate.simulator.recording.RecordingDescriptor.segments(dir))
            .extracting(path -> path.getFileName().toString()).containsExactly("segment-000002.tkr");
        final double droppedAfter = dropped(gateway);
        Tests.await(Duration.ofSeconds(10), () -> recorded(gateway) > recordedWhileBlocked + 100,
            () -> "recording did not resume");
        assertThat(dropped(gateway)).as("dropped once a segment is made again").isEqualTo(droppedAfter);
    }

    private static double dropped(final Gateway gateway)
    {
        final Matcher matcher = Pattern.compile("tickgate_recording_dropped_total ([0-9.E]+)")
            .matcher(gateway.metrics().scrape());
        return matcher.find() ? Double.parseDouble(matcher.group(1)) : -1;
    }

    private static boolean hasSegment(final Path dir)
    {
        try
        {
            return Files.isDirectory(dir) &&
                !io.tickgate.simulator.recording.RecordingDescriptor.segments(dir).isEmpty();
        }
        catch (final IOException ex)
        {
            return false;
        }
    }

    private static double recorded(final Gateway gateway)
    {
        final Matcher matcher = Pattern.compile("tickgate_recording_ticks_total ([0-9.E]+)")
            .matcher(gateway.metrics().scrape());
        return matcher.find() ? Double.parseDouble(matcher.group(1)) : -1;
    }

    /**
     * What a client subscribed to every symbol ends on, per symbol: the values, exchange time and Σ(1+conflated).
     */
    private Map<String, long[]> view(final Gateway gateway)
    {
        final List<String> names = new ArrayList<>();
        for (int sid = 0; sid < gateway.registry().count(); sid++)
        {
            names.add(gateway.registry().bySid(sid).name());
        }
        final TestClient client = client(gateway);
        client.awaitReply(client.subscribe(names.toArray(new String[0])));
        final Map<String, long[]> view = new LinkedHashMap<>();
        for (final String name : names)
        {
            final int sid = gateway.registry().byName(name).sid();
            Tests.await(Duration.ofSeconds(10), () -> null != client.latest(sid) &&
                client.latest(sid).seq() == gateway.cache().seq(sid), () -> name + " never reached the cache's seq");
            final long[] values = values(client.latest(sid));
            final long[] row = java.util.Arrays.copyOf(values, values.length + 2);
            row[values.length] = client.latest(sid).exchangeTime();
            row[values.length + 1] = accounted(client, sid);
            view.put(name, row);
        }
        return view;
    }

    private static long ingested(final Gateway gateway)
    {
        final Matcher matcher = Pattern.compile("tickgate_ticks_ingested_total\\{source=\"udp\"} ([0-9.E]+)")
            .matcher(gateway.metrics().scrape());
        return matcher.find() ? (long)Double.parseDouble(matcher.group(1)) : -1;
    }

    static ImportBuffer importFiles(final String format, final Path... files) throws IOException
    {
        final ImportBuffer buffer = new ImportBuffer();
        MarketDataImporter.forFormat(format).read(List.of(files), buffer, done -> { });
        return buffer;
    }

    /**
     * Symbol → {bookTicker count, bid, bid qty, ask, ask qty} from the capture folder's README table.
     */
    static Map<String, String[]> binanceReadme() throws IOException
    {
        final Pattern row = Pattern.compile("^\\| ([A-Z0-9_]+) \\| ([0-9,]+) \\| [0-9,]+ \\| [0-9,]+ \\| " +
            "([0-9.]+)×([0-9.]+) / ([0-9.]+)×([0-9.]+) \\|$");
        final Map<String, String[]> rows = new LinkedHashMap<>();
        for (final String line : Files.readAllLines(CRYPTO.resolve("README.md")))
        {
            final Matcher matcher = row.matcher(line);
            if (matcher.matches())
            {
                rows.put(matcher.group(1), new String[] {matcher.group(2).replace(",", ""), matcher.group(3),
                    matcher.group(4), matcher.group(5), matcher.group(6)});
            }
        }
        assertThat(rows).as("Binance rows of the README").hasSize(10);
        return rows;
    }

    private static long mantissa(final String decimal, final int scale)
    {
        return new BigDecimal(decimal).movePointRight(scale).longValueExact();
    }

    private static void awaitSymbols(final Gateway gateway, final String... symbols)
    {
        for (final String symbol : symbols)
        {
            Tests.await(Duration.ofSeconds(10), () -> null != gateway.registry().byName(symbol),
                () -> symbol + " never defined");
        }
    }

    static long accounted(final TestClient client, final int sid)
    {
        long sum = 0;
        for (final TestClient.Entry entry : client.entries(sid))
        {
            sum += 1 + entry.conflated();
        }
        return sum;
    }

    static long[] values(final TestClient.Entry entry)
    {
        return null == entry ? new long[0] : new long[] {entry.bidPrice(), entry.bidSize(), entry.askPrice(),
            entry.askSize(), entry.lastPrice(), entry.lastSize()};
    }
}

package io.tickgate.simulator.recording;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static io.tickgate.simulator.recording.RecordingDescriptor.*;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Each import format against what its data folder's README states: times, scales, final quotes, counts.
 */
class ImportTest
{
    static final Path DATA = RecordingTest.DATA;
    static final Path CRYPTO = DATA.resolve("crypto-ws-captures-2021");

    @TempDir
    Path dir;

    /**
     * Per symbol: {symbol, priceScale, sizeScale, first recorded, last bid, last bid size, last ask, quotes, trades}.
     */
    private Map<String, Object[]> importAndRead(final String format, final Path... files) throws IOException
    {
        final ImportBuffer buffer = new ImportBuffer();
        MarketDataImporter.forFormat(format).read(List.of(files), buffer, done -> { });
        buffer.writeTo(dir, "import " + format, null);
        final Map<Integer, Object[]> byId = new HashMap<>();
        final Map<String, Object[]> bySymbol = new LinkedHashMap<>();
        try (RecordingReader reader = RecordingReader.open(dir))
        {
            byte type;
            while (RecordingReader.END != (type = reader.next()))
            {
                if (TYPE_DEFINITION == type)
                {
                    final Object[] row = {reader.symbol(), reader.priceScale(), reader.sizeScale(), 0L, 0L, 0L, 0L,
                        0L, 0L};
                    byId.put(reader.instrumentId(), row);
                    bySymbol.put(reader.symbol(), row);
                    continue;
                }
                final Object[] row = byId.get(reader.instrumentId());
                if (0L == (long)row[3])
                {
                    row[3] = reader.recordedTimeNs();
                }
                if (TYPE_QUOTE == type)
                {
                    row[4] = reader.price1();
                    row[5] = reader.size1();
                    row[6] = reader.price2();
                    row[7] = (long)row[7] + 1;
                }
                else
                {
                    row[8] = (long)row[8] + 1;
                }
            }
        }
        return bySymbol;
    }

    private static long mantissa(final String decimal, final Object scale)
    {
        return new BigDecimal(decimal).movePointRight((int)scale).longValueExact();
    }

    @Test
    void shouldImportHistDataInUtcWithReadmeFirstTimeAndFinalQuote() throws IOException
    {
        final Map<String, Object[]> symbols = importAndRead("histdata",
            DATA.resolve("histdata-eurusd-ticks-2020-01-01/EURUSD_T_2020-01-01_first9500.csv"));
        final Object[] eurusd = symbols.get("EURUSD");
        assertThat(Instant.ofEpochSecond(0, (long)eurusd[3])).isEqualTo(Instant.parse("2020-01-01T22:00:00.065Z"));
        assertThat((long)eurusd[4]).isEqualTo(mantissa("1.12130", eurusd[1]));
        assertThat((long)eurusd[6]).isEqualTo(mantissa("1.12132", eurusd[1]));
        assertThat(eurusd[7]).isEqualTo(9_500L);
    }

    @Test
    void shouldImportCoinbaseTickersEndingOnReadmeLastTicker() throws IOException
    {
        final Map<String, Object[]> symbols = importAndRead("coinbase",
            CRYPTO.resolve("coinbase-pro_2021-04-17_level2-ticker-matches.log"));
        final Pattern row = Pattern.compile("^\\| ([A-Z]+-[A-Z]+) \\| ([0-9.]+) \\| ([0-9.]+) \\| ([0-9.]+) \\| .*");
        int checked = 0;
        for (final String line : Files.readAllLines(CRYPTO.resolve("README.md")))
        {
            final Matcher matcher = row.matcher(line);
            if (matcher.matches())
            {
                final Object[] symbol = symbols.get(matcher.group(1));
                assertThat((long)symbol[4]).as(matcher.group(1)).isEqualTo(mantissa(matcher.group(2), symbol[1]));
                assertThat((long)symbol[6]).as(matcher.group(1)).isEqualTo(mantissa(matcher.group(3), symbol[1]));
                checked++;
            }
        }
        assertThat(checked).isEqualTo(10);
        assertThat(symbols.get("SKL-USD")[7]).isEqualTo(53L);
    }

    @Test
    void shouldImportKrakenTickersAndTradesWithReadmeCountsAndFinalQuotes() throws IOException
    {
        final Map<String, Object[]> symbols = importAndRead("kraken",
            CRYPTO.resolve("kraken_2021-04-17_ticker.log"), CRYPTO.resolve("kraken_2021-04-17_trade.log"));
        assertThat(symbols).hasSize(10);
        final Object[] sc = symbols.get("SC/EUR");
        assertThat(new Object[] {sc[7], sc[8]}).containsExactly(6L, 6L);
        assertThat((long)sc[4]).isEqualTo(mantissa("0.043020", sc[1]));
        assertThat((long)sc[6]).isEqualTo(mantissa("0.043080", sc[1]));
        final Object[] xmr = symbols.get("XMR/USD");
        assertThat(new Object[] {xmr[7], xmr[8]}).containsExactly(4L, 4L);
        assertThat((long)xmr[4]).isEqualTo(mantissa("353.81", xmr[1]));
        assertThat((long)xmr[6]).isEqualTo(mantissa("354.38", xmr[1]));
    }

    private static final String CB_TICKER = "1618677817.079694: {\"type\":\"ticker\",\"product_id\":\"BAND-GBP\"," +
        "\"best_bid\":\"14.7550\",\"best_ask\":\"14.8060\",\"time\":\"2021-04-17T16:43:30.244075Z\"}";
    private static final String CB_MATCH = "1618677817.1295161: {\"type\":\"match\",\"size\":\"985\"," +
        "\"price\":\"0.00001305\",\"product_id\":\"SKL-BTC\",\"time\":\"2021-04-17T16:43:37.089723Z\"}";
    private static final String BN_BOOK = "1626916403.8469708: {\"stream\":\"bchusd_perp@bookTicker\",\"data\":" +
        "{\"e\":\"bookTicker\",\"s\":\"BCHUSD_PERP\",\"b\":\"427.84\",\"B\":\"24\",\"a\":\"427.90\"," +
        "\"A\":\"669\",\"T\":1626916403864}}";
    private static final String BN_TRADE = "1626916408.60732: {\"stream\":\"bchusd_perp@aggTrade\",\"data\":" +
        "{\"e\":\"aggTrade\",\"s\":\"BCHUSD_PERP\",\"p\":\"427.91\",\"q\":\"3\",\"T\":1626916403852}}";
    private static final String KR_TICKER = "1618678132.9496498: [1668,{\"a\":[\"13.253900\",35,\"35.72892241\"]," +
        "\"b\":[\"13.232900\",185,\"185.18432037\"]},\"ticker\",\"SC/EUR\"]";
    private static final String KR_TRADE = "1618678142.592855: [993,[[\"354.11000000\",\"0.89594024\"," +
        "\"1618678142.557535\",\"s\",\"l\",\"\"]],\"trade\",\"XMR/USD\"]";

    /**
     * A frame of a kind the format imports that lacks a field it needs stops the import, naming the file, the line
     * and the field: dropping it silently imported fewer ticks than the capture holds.
     */
    @Test
    void shouldRefuseFrameOfAnImportedKindWithoutAFieldItNeeds() throws IOException
    {
        for (final String field : new String[] {"best_bid", "best_ask", "product_id"})
        {
            assertRefused("coinbase", CB_TICKER.replaceFirst("\"" + field + "\":\"[^\"]*\",?", ""),
                "coinbase ticker without \"" + field + "\"");
        }
        assertRefused("coinbase", CB_TICKER.replace("\"14.7550\"", "null"), "coinbase ticker without \"best_bid\"");
        for (final String field : new String[] {"price", "size", "product_id"})
        {
            assertRefused("coinbase", CB_MATCH.replaceFirst("\"" + field + "\":\"[^\"]*\",?", ""),
                "coinbase match without \"" + field + "\"");
        }
        assertRefused("binance", BN_BOOK.replace("\"s\":\"BCHUSD_PERP\",", ""), "binance bookTicker without \"s\"");
        assertRefused("binance", BN_BOOK.replace("\"b\":\"427.84\",", ""), "binance bookTicker without \"b\"");
        assertRefused("binance", BN_BOOK.substring(0, BN_BOOK.indexOf(",\"data\"")) + ",\"x\":1}",
            "binance bookTicker without \"data\"");
        assertRefused("binance", BN_TRADE.replace("\"p\":\"427.91\",", ""), "binance aggTrade without \"p\"");
        assertRefused("kraken", KR_TICKER.replace(",\"SC/EUR\"]", "]"), "kraken ticker without its pair name");
        assertRefused("kraken", KR_TICKER.replace("\"b\":[\"13.232900\",185,\"185.18432037\"]", "\"c\":1"),
            "kraken ticker without \"b\"");
        assertRefused("kraken", KR_TICKER.replace("[\"13.232900\",185,\"185.18432037\"]", "[\"13.232900\"]"),
            "kraken ticker \"b\" is [\"13.232900\"], not [price, whole lot volume, lot volume]");
    }

    /**
     * Bad values are named in the user's terms, one line, without Java's or Jackson's internals.
     */
    @Test
    void shouldNameBadValueInOneLineWithoutInternals() throws IOException
    {
        assertRefused("coinbase", CB_TICKER.substring(0, 69), "Unexpected end-of-input in field name");
        assertRefused("coinbase", CB_TICKER.replace("2021-04-17T16:43:30.244075Z", "yesterday"),
            "coinbase ticker time \"yesterday\" is not an ISO-8601 time (2021-04-17T16:43:37.270697Z)");
        assertRefused("coinbase", CB_TICKER.replace("\"14.7550\"", "\"\""),
            "coinbase ticker best_bid \"\" is not a decimal number");
        assertRefused("binance", BN_TRADE.replace("427.91", "99999999999999999999"),
            "binance aggTrade p \"99999999999999999999\" does not fit in 64 bits");
        assertRefused("kraken", KR_TRADE.replace("1618678142.557535", "s"),
            "kraken trade time \"s\" is not a decimal number");
        assertRefused("histdata", "20200101 170000065,1.12130,1.12132,0\n20201301 170000000,1.12130,1.12132,0",
            "bad timestamp \"20201301 170000000\" (expected YYYYMMDD HHMMSSmmm)");
        assertRefused("histdata", "20200101 170000065,1.12130,1.12132,0\nyesterday 17000000,1.12130,1.12132,0",
            "bad timestamp \"yesterday 17000000\" (expected YYYYMMDD HHMMSSmmm)");
        assertRefused("histdata", "20200101 170000065,1.12130,1.12132,0\n20200101 170000066,1.1,99999999999999999999,0",
            "ask \"99999999999999999999\" does not fit in 64 bits");
        // A field there but garbled is refused, not taken as absent (exchange time 0) or as another column.
        assertRefused("binance", BN_TRADE.replaceFirst("\"T\":\\d+", "\"T\":\"soon\""),
            "binance \"T\" \"soon\" is not a whole number of milliseconds");
        assertRefused("histdata", "20200101 170000065,1.12130,1.12132,0\n20200101 170000066,1.1212,0",
            "expected 'YYYYMMDD HHMMSSmmm,bid,ask,volume'");
        assertRefused("histdata", "20200101 170000065,1.12130,1.12132,0\n20200101 170000066,1.1,1.2,0,7",
            "expected 'YYYYMMDD HHMMSSmmm,bid,ask,volume'");
    }

    /**
     * Frames of kinds the formats do not import (docs/recording.md, "Skipped on purpose") are still skipped, with or
     * without the fields an imported kind needs.
     */
    @Test
    void shouldStillSkipFramesOfKindsNotImported() throws IOException
    {
        assertImported("coinbase", 1, CB_TICKER, "1618677817.1: {\"type\":\"subscriptions\",\"channels\":[]}",
            "1618677817.2: {\"type\":\"l2update\",\"changes\":[]}", "1618677817.3: {\"type\":\"snapshot\"}",
            "wss://ws-feed.pro.coinbase.com <-> 1618677816.8434298");
        assertImported("binance", 1, BN_BOOK, "1626916403.9: {\"result\":null,\"id\":1}",
            "1626916404.0: {\"stream\":\"bchusd_perp@depth\",\"data\":{\"e\":\"depthUpdate\"}}",
            "1626916404.1: {\"stream\":\"bchusd_perp@kline_1m\",\"data\":{\"e\":\"kline\"}}");
        assertImported("kraken", 2, KR_TICKER, KR_TRADE, "1618678132.8: {\"event\":\"heartbeat\"}",
            "1618678132.9: {\"connectionID\":1,\"event\":\"systemStatus\",\"status\":\"online\"}");
    }

    private void assertRefused(final String format, final String badLine, final String expected) throws IOException
    {
        final String good = "histdata".equals(format) ? "" : "coinbase".equals(format) ? CB_TICKER :
            "binance".equals(format) ? BN_BOOK : KR_TICKER;
        final Path file = Files.writeString(dir.resolve("EURUSD_" + format + ".log"),
            good.isEmpty() ? badLine : good + "\n" + badLine + "\n");
        final ImportBuffer buffer = new ImportBuffer();
        org.assertj.core.api.Assertions.assertThatThrownBy(
                () -> MarketDataImporter.forFormat(format).read(List.of(file), buffer, done -> { }))
            .as(badLine)
            .isInstanceOf(IllegalArgumentException.class)
            .hasMessage(file + " line 2: " + expected);
    }

    private void assertImported(final String format, final int ticks, final String... lines) throws IOException
    {
        final Path file = Files.write(dir.resolve(format + ".log"), List.of(lines));
        final ImportBuffer buffer = new ImportBuffer();
        MarketDataImporter.forFormat(format).read(List.of(file), buffer, done -> { });
        assertThat(buffer.size()).as(format).isEqualTo(ticks);
    }

    /**
     * A message line cut before its first comma (a copy cut short) was called a bad time, 'time "" is not a decimal
     * number', though its time read "34686.90": it is a line short of columns.
     */
    @Test
    void shouldCallALobsterLineWithoutACommaShortOfColumns() throws IOException
    {
        final Path messages = Files.writeString(dir.resolve("TEST_2012-06-21_34200000_57600000_message_1.csv"),
            "34200.01,1,1,100,2238100,1\n34686.90\n");
        Files.writeString(dir.resolve("TEST_2012-06-21_34200000_57600000_orderbook_1.csv"),
            "2238100,100,2238200,100\n2238100,100,2238200,100\n");
        final ImportBuffer buffer = new ImportBuffer();
        assertThatThrownBy(() -> MarketDataImporter.forFormat("lobster").read(List.of(messages), buffer, done -> { }))
            .isInstanceOf(IllegalArgumentException.class)
            .hasMessage(messages + " line 2: expected 6 columns: 34686.90");
    }

    /**
     * LOBSTER writes ±9999999999 for a side of the book with no order; imported as a price it was a bid of
     * -999,999.9999. An empty side is price 0 and size 0 (docs/recording.md).
     */
    @Test
    void shouldImportLobsterEmptySideAsPriceAndSizeZero() throws IOException
    {
        final Path messages = Files.writeString(dir.resolve("TEST_2012-06-21_34200000_57600000_message_1.csv"),
            "34200.01,1,1,100,2238100,1\n34200.02,3,1,100,2238100,1\n34200.03,1,2,50,2239000,-1\n" +
            "34200.04,3,2,50,2239000,-1\n");
        Files.writeString(dir.resolve("TEST_2012-06-21_34200000_57600000_orderbook_1.csv"),
            "9999999999,0,2238100,100\n9999999999,0,-9999999999,0\n2239000,50,-9999999999,0\n" +
            "9999999999,0,-9999999999,0\n");
        final ImportBuffer buffer = new ImportBuffer();
        MarketDataImporter.forFormat("lobster").read(List.of(messages), buffer, done -> { });
        final Path recording = dir.resolve("recording");
        buffer.writeTo(recording, "import lobster", null);

        final List<long[]> quotes = new java.util.ArrayList<>();
        try (RecordingReader reader = RecordingReader.open(recording))
        {
            byte type;
            while (RecordingReader.END != (type = reader.next()))
            {
                if (TYPE_QUOTE == type)
                {
                    quotes.add(new long[] {reader.price1(), reader.size1(), reader.price2(), reader.size2()});
                }
            }
        }
        assertThat(quotes).containsExactly(new long[] {2_238_100, 100, 0, 0}, new long[] {0, 0, 0, 0},
            new long[] {0, 0, 2_239_000, 50}, new long[] {0, 0, 0, 0});
    }

    /**
     * HistData's download name begins DAT_ASCII_, which the rule "up to the first '_'" turned into the symbol DAT;
     * a name that leaves no symbol is refused, naming the file.
     */
    @Test
    void shouldTakeHistDataSymbolAfterTheDownloadPrefixAndRefuseAnEmptyOne() throws IOException
    {
        final String rows = "20200101 170000065,1.12130,1.12132,0\n";
        final Path downloaded = Files.writeString(dir.resolve("DAT_ASCII_EURUSD_T_202001.csv"), rows);
        final Path plain = Files.writeString(dir.resolve("GBPUSD.csv"), rows);
        final ImportBuffer buffer = new ImportBuffer();
        MarketDataImporter.forFormat("histdata").read(List.of(downloaded, plain), buffer, done -> { });
        assertThat(buffer.instruments()).extracting(ImportBuffer.Instrument::symbol)
            .containsExactly("EURUSD", "GBPUSD");

        final Path nameless = Files.writeString(dir.resolve("_x.csv"), rows);
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> MarketDataImporter.forFormat("histdata")
                .read(List.of(nameless), new ImportBuffer(), done -> { }))
            .isInstanceOf(IllegalArgumentException.class)
            .hasMessageStartingWith("no symbol in the file name of " + nameless + ": ");
    }

    @Test
    void shouldParseDecimalsExactlyAndRefuseWhatWouldRound()
    {
        assertThat(ImportBuffer.parse("-12.0340", 4)).isEqualTo(-120_340);
        assertThat(ImportBuffer.parse("0.000837700", 7)).isEqualTo(8_377);
        assertThat(ImportBuffer.decimals("427.90")).isEqualTo(1);
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> ImportBuffer.parse("1.23456", 4))
            .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("more than 4 decimals");
    }

    /**
     * Every decimal was parsed at 10 decimals first, so 1,000,000,000 (a routine quantity of a low-priced token)
     * was refused as not fitting in 64 bits; it fits at the symbol's own scale.
     */
    @Test
    void shouldImportValuesThatFitAtTheSymbolsOwnScale() throws IOException
    {
        final Path file = Files.writeString(dir.resolve("big.log"),
            "1626916403.1: {\"stream\":\"pepeusdt@aggTrade\",\"data\":{\"e\":\"aggTrade\",\"s\":\"PEPEUSDT\"," +
            "\"p\":\"0.00000123\",\"q\":\"1000000000\",\"T\":1626916403000}}\n" +
            "1626916403.2: {\"stream\":\"pepeusdt@aggTrade\",\"data\":{\"e\":\"aggTrade\",\"s\":\"PEPEUSDT\"," +
            "\"p\":\"0.00000124\",\"q\":\"90000000000.00000000\",\"T\":1626916403000}}\n");
        final Path recording = dir.resolve("recording");
        final ImportBuffer buffer = new ImportBuffer();
        MarketDataImporter.forFormat("binance").read(List.of(file), buffer, done -> { });
        buffer.writeTo(recording, "import binance", null);

        final List<String> records = new java.util.ArrayList<>();
        try (RecordingReader reader = RecordingReader.open(recording))
        {
            byte type;
            while (RecordingReader.END != (type = reader.next()))
            {
                records.add(TYPE_DEFINITION == type ? reader.priceScale() + "/" + reader.sizeScale() :
                    reader.price1() + "x" + reader.size1());
            }
        }
        assertThat(records).containsExactly("8/0", "123x1000000000", "124x90000000000");
    }

    @Test
    void shouldRefuseAValueThatNeedsMoreThanEighteenDecimalsAddedInsteadOfWritingAWrongOne() throws IOException
    {
        // A recording that gives X 19 decimals: its price 1 would be 10^19 there, past 64 bits.
        final Path recording = dir.resolve("recording");
        try (RecordingWriter writer = RecordingWriter.open(recording, "a feed of 19 decimals"))
        {
            writer.definition(1, "X", 19, 0);
        }
        final Path file = Files.writeString(dir.resolve("one.log"),
            "1626916403.1: {\"stream\":\"x@aggTrade\",\"data\":{\"e\":\"aggTrade\",\"s\":\"X\"," +
            "\"p\":\"1\",\"q\":\"1\",\"T\":1626916403000}}\n");
        final ImportBuffer buffer = new ImportBuffer();
        MarketDataImporter.forFormat("binance").read(List.of(file), buffer, done -> { });

        assertThatThrownBy(() -> buffer.writeTo(recording, "import binance", null))
            .isInstanceOf(IllegalArgumentException.class)
            .hasMessageContaining("X price 1 does not fit in 64 bits at 19 decimals");
    }

    /**
     * A capture host's clock stepped back (NTP): the frames keep the file's order, so the last value replayed is
     * the last one received, not the one received at the latest clock reading.
     */
    @Test
    void shouldKeepAFilesOwnOrderWhenItsReceiveTimeStepsBack() throws IOException
    {
        final String book = "{\"stream\":\"x@bookTicker\",\"data\":{\"e\":\"bookTicker\",\"s\":\"X\"," +
            "\"b\":\"%s\",\"B\":\"1\",\"a\":\"9.0\",\"A\":\"1\"}}";
        final Path stepped = Files.write(dir.resolve("step.log"), List.of("400.0: " + String.format(book, "1.0"),
            "400.5: " + String.format(book, "2.0"), "399.6: " + String.format(book, "3.0")));
        final Path other = Files.write(dir.resolve("other.log"), List.of("400.2: " + String.format(book, "4.0")));
        final Path recording = dir.resolve("recording");
        final ImportBuffer buffer = new ImportBuffer();
        MarketDataImporter.forFormat("binance").read(List.of(stepped, other), buffer, done -> { });
        buffer.writeTo(recording, "import binance", null);

        final List<Long> bids = new java.util.ArrayList<>();
        try (RecordingReader reader = RecordingReader.open(recording))
        {
            byte type;
            while (RecordingReader.END != (type = reader.next()))
            {
                if (TYPE_QUOTE == type)
                {
                    bids.add(reader.price1());
                }
            }
        }
        // The files merged by time, each in its own order: 400.0, (400.2 of the other file), 400.5, 399.6.
        assertThat(bids).containsExactly(1L, 4L, 2L, 3L);
    }

    /**
     * Killing the capture's recorder is how a capture usually ends: a last line cut short (no line end) is left
     * out with a note naming it, and everything before it is imported.
     */
    @Test
    void shouldImportACaptureWhoseLastLineWasCutAndSaySo() throws IOException
    {
        final Path file = Files.writeString(dir.resolve("cut.log"), CB_TICKER + "\n" + CB_TICKER + "\n" +
            CB_TICKER.substring(0, 69));
        final ImportBuffer buffer = new ImportBuffer();
        MarketDataImporter.forFormat("coinbase").read(List.of(file), buffer, done -> { });
        assertThat(buffer.size()).isEqualTo(2);
        assertThat(buffer.notes()).containsExactly(file + " line 3 is cut short (the capture ends in the middle " +
            "of it): not imported; the lines before it are");
    }

    /**
     * Two products whose names differ only outside ASCII were both stored as {@code BTC-?UR}: one instrument on
     * replay, holding the other's prices. A symbol the feed protocol could not carry is refused, naming it.
     */
    @Test
    void shouldRefuseASymbolThatIsNotPrintableAsciiRatherThanAlterIt() throws IOException
    {
        final Path file = Files.writeString(dir.resolve("euro.log"),
            CB_TICKER.replace("BAND-GBP", "BTC-\u20acUR") + "\n" +
            CB_TICKER.replace("BAND-GBP", "BTC-\u00a3UR") + "\n");
        final ImportBuffer buffer = new ImportBuffer();

        assertThatThrownBy(() -> MarketDataImporter.forFormat("coinbase").read(List.of(file), buffer, done -> { }))
            .hasMessageContaining("symbol must be printable ASCII characters, ! to ~: 'BTC-\u20acUR' holds '\u20ac'");
        assertThatThrownBy(() -> RecordingWriter.open(dir.resolve("rec"), "test").definition(1, "A B", 0, 0))
            .hasMessageContaining("'A B' holds U+0020");
    }

    /**
     * An import the disk cannot take (full) wrote part of a segment and left it: it read as a crashed writer's,
     * and the same import run again once there was room added those ticks a second time.
     */
    @Test
    void shouldRemoveTheSegmentOfAnImportThatCouldNotBeWrittenWhole() throws IOException
    {
        final Path file = Files.writeString(dir.resolve("cb.log"), (CB_TICKER + "\n").repeat(20_000));
        final ImportBuffer buffer = new ImportBuffer();
        MarketDataImporter.forFormat("coinbase").read(List.of(file), buffer, done -> { });
        final Path rec = dir.resolve("rec");
        final int[] batches = new int[1];
        final RecordingWriter.FileOpener fillsUp = segment -> new java.io.RandomAccessFile(segment, "rw")
        {
            @Override
            public void write(final byte[] bytes, final int offset, final int length) throws IOException
            {
                // The segment header and the first batch go in; the disk is full after that.
                if (++batches[0] > 1)
                {
                    throw new IOException("No space left on device");
                }
                super.write(bytes, offset, length);
            }
        };

        assertThatThrownBy(() -> buffer.writeTo(rec, "import coinbase", null, fillsUp))
            .hasMessageContaining("No space left on device");
        assertThat(batches[0]).isGreaterThan(1);
        assertThat(RecordingDescriptor.segments(rec)).isEmpty();

        // Run again with room: the one segment holds every tick once.
        buffer.writeTo(rec, "import coinbase", null);
        assertThat(RecordingDescriptor.segments(rec)).hasSize(1);
        long quotes = 0;
        try (RecordingReader reader = RecordingReader.open(rec))
        {
            byte type;
            while (RecordingReader.END != (type = reader.next()))
            {
                quotes += TYPE_QUOTE == type ? 1 : 0;
            }
        }
        assertThat(quotes).isEqualTo(20_000);
    }
}

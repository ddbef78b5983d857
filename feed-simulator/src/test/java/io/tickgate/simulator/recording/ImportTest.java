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

/**
 * Each import format against what its data folder's README states: times, scales, final quotes, counts.
 */
class ImportTest
{
    static final Path DATA = RecordingTest.DATA;
    static final Path CRYPTO = DATA.resolve("crypto-ws-captures-2021");

    @TempDir
    Path dir;

    /** Per symbol: {symbol, priceScale, sizeScale, first recorded, last bid, last bid size, last ask, quotes, trades}. */
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

    @Test
    void shouldParseDecimalsExactlyAndRefuseWhatWouldRound()
    {
        assertThat(ImportBuffer.parse("-12.0340", 4)).isEqualTo(-120_340);
        assertThat(ImportBuffer.parse("0.000837700", 7)).isEqualTo(8_377);
        assertThat(ImportBuffer.decimals("427.90")).isEqualTo(1);
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> ImportBuffer.parse("1.23456", 4))
            .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("more than 4 decimals");
    }
}

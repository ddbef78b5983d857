package io.tickgate.simulator.recording;

import io.tickgate.simulator.IoErrors;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

import static io.tickgate.simulator.recording.RecordingDescriptor.*;

/**
 * What {@code tickgate inspect} prints: the segments, each instrument with its scales, per-symbol quote and trade
 * counts, the recorded time span, each symbol's first and last values; or the first N records one a line.
 * <p>
 * Not thread-safe; one thread.
 */
public final class RecordingInspector
{
    private final PrintWriter out;

    private static final class Stats
    {
        final TreeSet<Integer> ids = new TreeSet<>();
        String symbol;
        int priceScale;
        int sizeScale;
        long quotes;
        long trades;
        String firstQuote;
        String lastQuote;
        String firstTrade;
        String lastTrade;
    }

    public RecordingInspector(final PrintWriter out)
    {
        this.out = out;
    }

    /**
     * Prints the summary of everything readable; a damaged recording's summary stops at the damage, which is
     * then thrown.
     *
     * @param records print this many records one a line before the summary; 0 for none.
     */
    public void inspect(final Path recording, final long records)
    {
        // A definition binds an instrument id to a symbol for the records after it, in the segment order readers
        // follow: segments written by separate imports or gateway runs may give the same id to different symbols.
        final Map<Integer, Stats> byId = new HashMap<>();
        final Map<String, Stats> bySymbol = new HashMap<>();
        final SymbolScales scales = new SymbolScales();
        // Earliest and latest recorded time: separate imports into one directory need not be in time order.
        long first = Long.MAX_VALUE;
        long last = Long.MIN_VALUE;
        long count = 0;
        long printed = 0;
        Path printedFile = null;
        try (RecordingReader reader = RecordingReader.open(recording))
        {
            printSegments(reader);
            RecordingDamagedException damage = null;
            while (true)
            {
                final byte type;
                try
                {
                    type = reader.next();
                }
                catch (final RecordingDamagedException ex)
                {
                    damage = ex;
                    break;
                }
                if (RecordingReader.END == type)
                {
                    break;
                }
                count++;
                final Stats symbol;
                if (TYPE_DEFINITION == type)
                {
                    symbol = bySymbol.computeIfAbsent(reader.symbol(), name -> new Stats());
                    symbol.symbol = reader.symbol();
                    symbol.priceScale = reader.priceScale();
                    symbol.sizeScale = reader.sizeScale();
                    symbol.ids.add(reader.instrumentId());
                    byId.put(reader.instrumentId(), symbol);
                    scales.onDefinition(reader.symbol(), reader.priceScale(), reader.sizeScale(), reader.file());
                }
                else
                {
                    symbol = byId.computeIfAbsent(reader.instrumentId(), id -> undefined(bySymbol, id));
                    first = Math.min(first, reader.recordedTimeNs());
                    last = Math.max(last, reader.recordedTimeNs());
                    final String values = values(reader, symbol);
                    if (TYPE_QUOTE == type)
                    {
                        symbol.quotes++;
                        symbol.firstQuote = null == symbol.firstQuote ? values : symbol.firstQuote;
                        symbol.lastQuote = values;
                    }
                    else
                    {
                        symbol.trades++;
                        symbol.firstTrade = null == symbol.firstTrade ? values : symbol.firstTrade;
                        symbol.lastTrade = values;
                    }
                }
                if (printed < records)
                {
                    printed++;
                    if (reader.segments().size() > 1 && reader.file() != printedFile)
                    {
                        // Offsets count from the start of each segment file: say which one they are in.
                        printedFile = reader.file();
                        out.printf("records of %s%n", printedFile);
                    }
                    printRecord(reader, symbol);
                }
            }
            printSummary(bySymbol.values(), count, first, last);
            for (final String conflict : scales.conflicts())
            {
                out.println("conflict: " + conflict);
            }
            if (null != reader.incompleteNote())
            {
                out.println("note: " + reader.incompleteNote());
            }
            out.flush();
            if (null != damage)
            {
                throw damage;
            }
        }
    }

    private void printSegments(final RecordingReader reader)
    {
        for (final Path segment : reader.segments())
        {
            try
            {
                out.printf("segment %s  %,d bytes%n", segment, Files.size(segment));
            }
            catch (final IOException ex)
            {
                throw new UncheckedIOException("cannot read " + segment + ": " + IoErrors.describe(ex, segment), ex);
            }
        }
    }

    private void printRecord(final RecordingReader reader, final Stats symbol)
    {
        final String name = symbol.symbol;
        if (TYPE_DEFINITION == reader.type())
        {
            out.printf("@%-10d D %-16s id=%d priceScale=%d sizeScale=%d%n", reader.recordOffset(), name,
                reader.instrumentId(), reader.priceScale(), reader.sizeScale());
        }
        else
        {
            out.printf("@%-10d %c %-16s seq=%d recorded=%s exchange=%s %s%n", reader.recordOffset(),
                (char)reader.type(), name, reader.feedSeq(), time(reader.recordedTimeNs()),
                time(reader.exchangeTimeNs()), values(reader, symbol));
        }
    }

    /**
     * Ticks of an id no definition has named yet: summarised under {@code #id}.
     */
    private static Stats undefined(final Map<String, Stats> bySymbol, final int id)
    {
        final Stats stats = bySymbol.computeIfAbsent("#" + id, name -> new Stats());
        stats.symbol = "#" + id;
        stats.ids.add(id);
        return stats;
    }

    private void printSummary(final Collection<Stats> stats, final long count, final long first, final long last)
    {
        long quotes = 0;
        long trades = 0;
        final List<Stats> ordered = new ArrayList<>(stats);
        ordered.sort(Comparator.comparing((Stats symbol) -> symbol.ids.first()).thenComparing(symbol -> symbol.symbol));
        out.printf("%-16s %6s %11s %11s  %s%n", "symbol", "id", "quotes", "trades", "first / last values");
        for (final Stats symbol : ordered)
        {
            quotes += symbol.quotes;
            trades += symbol.trades;
            if (0 == symbol.quotes + symbol.trades)
            {
                // Defined, never ticked: no first and last values to show.
                out.printf("%-16s %6s %,11d %,11d  (no ticks)%n", symbol.symbol, ids(symbol.ids), 0, 0);
                continue;
            }
            out.printf("%-16s %6s %,11d %,11d  first %s %s%n", symbol.symbol, ids(symbol.ids), symbol.quotes,
                symbol.trades, orNone(symbol.firstQuote), orNone(symbol.firstTrade));
            out.printf("%-16s %6s %11s %11s  last  %s %s%n", "", "", "", "", orNone(symbol.lastQuote),
                orNone(symbol.lastTrade));
        }
        out.printf("%s, %s: %s, %s%n", count(stats.size(), "instrument"), count(count, "record"),
            count(quotes, "quote"), count(trades, "trade"));
        if (first <= last)
        {
            out.printf("recorded from %s to %s (%.3f s)%n", time(first), time(last), (last - first) / 1e9);
        }
    }

    private static String values(final RecordingReader reader, final Stats symbol)
    {
        if (TYPE_QUOTE == reader.type())
        {
            return "bid " + decimal(reader.price1(), symbol.priceScale) + "x" + decimal(reader.size1(),
                symbol.sizeScale) + " ask " + decimal(reader.price2(), symbol.priceScale) + "x" +
                decimal(reader.size2(), symbol.sizeScale);
        }
        return "trade " + decimal(reader.price1(), symbol.priceScale) + "x" + decimal(reader.size1(),
            symbol.sizeScale);
    }

    /**
     * The ids a symbol had, {@code 1} or {@code 1/3} when segments gave it different ones.
     */
    private static String ids(final TreeSet<Integer> ids)
    {
        final StringBuilder text = new StringBuilder();
        for (final int id : ids)
        {
            text.append(text.length() > 0 ? "/" : "").append(id);
        }
        return text.toString();
    }

    private static String orNone(final String text)
    {
        return null == text ? "" : text;
    }

    /**
     * A count with its noun, singular for one: {@code 1 quote}, {@code 1,234 quotes}. The summaries of import,
     * inspect and replay all say it so.
     */
    public static String count(final long n, final String noun)
    {
        return String.format("%,d %s%s", n, noun, 1 == n ? "" : "s");
    }

    static String decimal(final long mantissa, final int scale)
    {
        return BigDecimal.valueOf(mantissa, scale).toPlainString();
    }

    static String time(final long epochNs)
    {
        return 0 == epochNs ? "-" : Instant.ofEpochSecond(0, epochNs).toString();
    }
}

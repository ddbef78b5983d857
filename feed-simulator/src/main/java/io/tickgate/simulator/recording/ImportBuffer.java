package io.tickgate.simulator.recording;

import org.agrona.collections.IntArrayList;

import java.io.IOException;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;

/**
 * Collects the quotes and trades of one import from every input file, then writes them as one recording: all
 * definitions first, then the files merged by recorded time, each file's ticks in the file's own order (a capture
 * whose clock stepped back keeps its last-received value last; ticks of several files at one time keep the order
 * the files were named in).
 * <p>
 * Prices and sizes arrive either at a fixed scale the format defines (LOBSTER: price × 10,000) or as decimal
 * strings; for the latter a symbol's scale is the most decimals any of its values had, so every value is kept
 * exactly. Each value is held at its own scale meanwhile and brought to its symbol's scale, exactly, before
 * anything is written; a value is refused only when it does not fit in 64 bits at that scale. Into a directory
 * that already records a symbol, the import takes the scales the recording gives it (a symbol keeps one pair of
 * scales across segments, which a gateway fed from the recording requires), and refuses, writing nothing, when
 * its values need more decimals than those.
 * <p>
 * Not thread-safe: one importing thread. Holds the whole import in memory (about 70 bytes per tick).
 */
public final class ImportBuffer
{
    /** Decimal strings with more significant digits after the point than this are refused, never rounded. */
    public static final int TEXT_SCALE = 10;

    private static final long[] POWERS = new long[19];

    static
    {
        POWERS[0] = 1;
        for (int i = 1; i < POWERS.length; i++)
        {
            POWERS[i] = POWERS[i - 1] * 10;
        }
    }

    /**
     * A decimal value exactly as written: {@code unscaled × 10^-scale}, with no trailing zeros after the point.
     */
    public record Decimal(long unscaled, int scale)
    {
        /** A size the format does not give (FX quotes, older Coinbase tickers). */
        public static final Decimal ZERO = new Decimal(0, 0);
    }

    /** One instrument of the import. */
    public static final class Instrument
    {
        final String symbol;
        final int instrumentId;
        final boolean fixedScale;
        int priceScale;
        int sizeScale;
        // The most significant decimals of any of its values: the least scale that keeps them all exactly.
        int priceDecimals;
        int sizeDecimals;
        long quotes;
        long trades;

        Instrument(final String symbol, final int instrumentId, final boolean fixedScale, final int priceScale,
            final int sizeScale)
        {
            this.symbol = symbol;
            this.instrumentId = instrumentId;
            this.fixedScale = fixedScale;
            this.priceScale = priceScale;
            this.sizeScale = sizeScale;
        }

        public String symbol()
        {
            return symbol;
        }

        /**
         * The scale its prices are written at: final once {@link #writeTo} has run.
         */
        public int priceScale()
        {
            return fixedScale ? priceScale : Math.max(priceScale, priceDecimals);
        }

        public int sizeScale()
        {
            return fixedScale ? sizeScale : Math.max(sizeScale, sizeDecimals);
        }

        public long quotes()
        {
            return quotes;
        }

        public long trades()
        {
            return trades;
        }
    }

    private final Map<String, Instrument> instruments = new LinkedHashMap<>();
    private final List<Instrument> byId = new ArrayList<>();
    private final List<String> notes = new ArrayList<>();
    // Index of the first tick of each input file, in the order the files were read.
    private final IntArrayList fileStarts = new IntArrayList();
    /** Each input file read, and the tick count when it began: a file that added none is named by the import. */
    private final List<Path> files = new ArrayList<>();
    private final IntArrayList filesBeganAt = new IntArrayList();
    private int size;
    private byte[] types = new byte[1024];
    private int[] ids = new int[1024];
    private long[] recorded = new long[1024];
    private long[] exchange = new long[1024];
    private long[] p1 = new long[1024];
    private long[] s1 = new long[1024];
    private long[] p2 = new long[1024];
    private long[] s2 = new long[1024];
    // The scale each of p1, s1, p2, s2 is held at, a byte each from the lowest.
    private int[] scales = new int[1024];

    /**
     * An instrument whose prices and sizes come as integers at fixed scales.
     */
    public Instrument fixed(final String symbol, final int priceScale, final int sizeScale)
    {
        return instruments.computeIfAbsent(symbol, name -> add(name, true, priceScale, sizeScale));
    }

    /**
     * An instrument whose prices and sizes come as decimal strings (see {@link #parseDecimal}).
     */
    public Instrument decimal(final String symbol)
    {
        return instruments.computeIfAbsent(symbol, name -> add(name, false, 0, 0));
    }

    public List<Instrument> instruments()
    {
        return new ArrayList<>(instruments.values());
    }

    public int size()
    {
        return size;
    }

    /**
     * The ticks added from here on come from the next input file: {@link #writeTo} merges files by time but never
     * reorders the ticks of one file.
     */
    public void beginFile(final Path file)
    {
        if (fileStarts.isEmpty() || fileStarts.getInt(fileStarts.size() - 1) != size)
        {
            fileStarts.addInt(size);
        }
        files.add(file);
        filesBeganAt.addInt(size);
    }

    /**
     * The input files from which no quote or trade was taken, in the order they were read: a file of another format
     * can parse as nothing at all (every line skipped), beside files that do hold ticks.
     */
    public List<Path> filesWithoutTicks()
    {
        final List<Path> empty = new ArrayList<>();
        for (int i = 0; i < files.size(); i++)
        {
            final int end = i + 1 < files.size() ? filesBeganAt.getInt(i + 1) : size;
            if (end == filesBeganAt.getInt(i))
            {
                empty.add(files.get(i));
            }
        }
        return empty;
    }

    /**
     * Something the user should know about the input that did not stop the import (a capture's last line cut
     * short); the import command prints each.
     */
    public void note(final String note)
    {
        notes.add(note);
    }

    public List<String> notes()
    {
        return notes;
    }

    /**
     * A decimal string ("-12.0340") exactly, at its own scale (here 3).
     *
     * @throws IllegalArgumentException saying what is wrong with the value ({@code "1x" is not a decimal number});
     * the caller names the field.
     */
    public static Decimal parseDecimal(final String text)
    {
        final int decimals = decimals(text);
        // Past TEXT_SCALE the parse says why: not a number, or more decimals than are kept.
        return new Decimal(parse(text, Math.min(decimals, TEXT_SCALE)), decimals);
    }

    /**
     * A quote of a {@link #fixed} instrument, its values at the instrument's scales.
     */
    public void quote(final Instrument instrument, final long recordedTimeNs, final long exchangeTimeNs,
        final long bidPrice, final long bidSize, final long askPrice, final long askSize)
    {
        final int scales = packScales(instrument.priceScale, instrument.sizeScale, instrument.priceScale,
            instrument.sizeScale);
        add(RecordingDescriptor.TYPE_QUOTE, instrument, recordedTimeNs, exchangeTimeNs, bidPrice, bidSize, askPrice,
            askSize, scales);
        instrument.quotes++;
    }

    /**
     * A quote of a {@link #decimal decimal} instrument.
     */
    public void quote(final Instrument instrument, final long recordedTimeNs, final long exchangeTimeNs,
        final Decimal bidPrice, final Decimal bidSize, final Decimal askPrice, final Decimal askSize)
    {
        add(RecordingDescriptor.TYPE_QUOTE, instrument, recordedTimeNs, exchangeTimeNs, bidPrice.unscaled,
            bidSize.unscaled, askPrice.unscaled, askSize.unscaled,
            packScales(bidPrice.scale, bidSize.scale, askPrice.scale, askSize.scale));
        instrument.quotes++;
    }

    /**
     * A trade of a {@link #fixed} instrument, its values at the instrument's scales.
     */
    public void trade(final Instrument instrument, final long recordedTimeNs, final long exchangeTimeNs,
        final long price, final long size)
    {
        add(RecordingDescriptor.TYPE_TRADE, instrument, recordedTimeNs, exchangeTimeNs, price, size, 0, 0,
            packScales(instrument.priceScale, instrument.sizeScale, 0, 0));
        instrument.trades++;
    }

    /**
     * A trade of a {@link #decimal decimal} instrument.
     */
    public void trade(final Instrument instrument, final long recordedTimeNs, final long exchangeTimeNs,
        final Decimal price, final Decimal size)
    {
        add(RecordingDescriptor.TYPE_TRADE, instrument, recordedTimeNs, exchangeTimeNs, price.unscaled,
            size.unscaled, 0, 0, packScales(price.scale, size.scale, 0, 0));
        instrument.trades++;
    }

    /**
     * Writes everything as a new segment of the recording in {@code dir}. Every value is brought to its symbol's
     * scale first, so a value that does not fit, or a symbol {@code dir} already records with fewer decimals than
     * this import needs, stops it before anything is written.
     *
     * @param progress told the number of events written so far, now and then; may be null.
     * @throws IllegalArgumentException naming the symbol, and for a scale conflict both scales and the remedy; or
     *                                  naming the damage when {@code dir} holds a damaged recording.
     */
    public Path writeTo(final Path dir, final String origin, final java.util.function.LongConsumer progress)
    {
        return writeTo(dir, origin, progress, RecordingWriter.FILE_SYSTEM);
    }

    /**
     * {@link #writeTo(Path, String, java.util.function.LongConsumer)} with the segment opened by {@code opener}
     * (tests give one whose writes fail, as a full disk's do). A segment that cannot be written whole is removed:
     * the part written would read as a complete segment cut short by a crash, and the import, run again once there
     * is room, would add its ticks a second time.
     */
    Path writeTo(final Path dir, final String origin, final java.util.function.LongConsumer progress,
        final RecordingWriter.FileOpener opener)
    {
        final SymbolScales existing;
        try
        {
            existing = SymbolScales.of(dir);
        }
        catch (final RecordingDamagedException ex)
        {
            // A segment added after the damage could never be read: replay, inspect and gateway --replay stop there.
            throw new IllegalArgumentException(ex.getMessage() + "; nothing written: a recording is read only up to " +
                "its damage, so import into a new --out directory", ex);
        }
        settleScales(dir, existing);
        rescale();
        final int[] order = mergeOrder();

        final RecordingWriter writer = RecordingWriter.open(dir, origin, opener);
        try
        {
            for (final Instrument instrument : byId)
            {
                writer.definition(instrument.instrumentId, instrument.symbol, instrument.priceScale,
                    instrument.sizeScale);
            }
            for (int n = 0; n < size; n++)
            {
                final int i = order[n];
                if (RecordingDescriptor.TYPE_QUOTE == types[i])
                {
                    writer.quote(ids[i], n + 1, exchange[i], recorded[i], p1[i], s1[i], p2[i], s2[i]);
                }
                else
                {
                    writer.trade(ids[i], n + 1, exchange[i], recorded[i], p1[i], s1[i]);
                }
                if (null != progress && 0 == (n & 0xFFFF))
                {
                    progress.accept(n);
                }
            }
            writer.close();
            return writer.file();
        }
        catch (final RuntimeException | Error ex)
        {
            removeUnfinished(writer, ex);
            throw ex;
        }
    }

    private static void removeUnfinished(final RecordingWriter writer, final Throwable failure)
    {
        try
        {
            writer.close();
        }
        catch (final RuntimeException ex)
        {
            // The file goes anyway; its close failing the same way says nothing more.
        }
        try
        {
            Files.deleteIfExists(writer.file());
        }
        catch (final IOException ex)
        {
            failure.addSuppressed(ex);
        }
    }

    /**
     * Each instrument's scales: its own (fixed, or the most decimals of its values), or the ones {@code dir}
     * already records for its symbol when its values fit them.
     */
    private void settleScales(final Path dir, final SymbolScales recorded)
    {
        for (final Instrument instrument : byId)
        {
            final int ownPrice = instrument.priceScale();
            final int ownSize = instrument.sizeScale();
            if (!recorded.contains(instrument.symbol))
            {
                instrument.priceScale = ownPrice;
                instrument.sizeScale = ownSize;
                continue;
            }
            final int price = recorded.priceScale(instrument.symbol);
            final int size = recorded.sizeScale(instrument.symbol);
            if (instrument.priceDecimals > price || instrument.sizeDecimals > size)
            {
                final boolean prices = instrument.priceDecimals > price;
                throw new IllegalArgumentException(instrument.symbol + " " + (prices ? "prices" : "sizes") +
                    " need " + (prices ? instrument.priceDecimals : instrument.sizeDecimals) + " decimals, but " +
                    dir + " already records " + instrument.symbol + " with priceScale " + price + ", sizeScale " +
                    size + " (this import: priceScale " + ownPrice + ", sizeScale " + ownSize + "); nothing " +
                    "written: import into a new --out directory, or import all of " + instrument.symbol +
                    "'s files there in one command");
            }
            instrument.priceScale = price;
            instrument.sizeScale = size;
        }
    }

    /**
     * Brings every value from the scale it was read at to its instrument's.
     */
    private void rescale()
    {
        for (int i = 0; i < size; i++)
        {
            final Instrument instrument = byId.get(ids[i] - 1);
            final int from = scales[i];
            p1[i] = rescale(instrument, true, p1[i], from & 0xFF);
            s1[i] = rescale(instrument, false, s1[i], (from >>> 8) & 0xFF);
            p2[i] = rescale(instrument, true, p2[i], (from >>> 16) & 0xFF);
            s2[i] = rescale(instrument, false, s2[i], from >>> 24);
            scales[i] = packScales(instrument.priceScale, instrument.sizeScale, instrument.priceScale,
                instrument.sizeScale);
        }
    }

    private static long rescale(final Instrument instrument, final boolean price, final long value, final int from)
    {
        final int to = price ? instrument.priceScale : instrument.sizeScale;
        if (to < from)
        {
            // Exact: no value has more significant decimals than its instrument's scale.
            return value / POWERS[from - to];
        }
        try
        {
            if (0 == value || to == from)
            {
                return value;
            }
            if (to - from >= POWERS.length)
            {
                // 10^19 is past 64 bits: no value but 0 fits (1 x Long.MAX_VALUE would not even overflow).
                throw new ArithmeticException("more than 18 decimals added");
            }
            return Math.multiplyExact(value, POWERS[to - from]);
        }
        catch (final ArithmeticException ex)
        {
            throw new IllegalArgumentException(instrument.symbol + " " + (price ? "price " : "size ") +
                BigDecimal.valueOf(value, from).toPlainString() + " does not fit in 64 bits at " + to +
                " decimals, its " + (price ? "priceScale" : "sizeScale") + "; nothing written", ex);
        }
    }

    /**
     * The order ticks are written in: the input files merged by recorded time (ties to the file read first), each
     * file's ticks in the order read.
     */
    private int[] mergeOrder()
    {
        final int files = Math.max(1, fileStarts.size());
        final int[] next = new int[files];
        final int[] end = new int[files];
        for (int f = 0; f < files; f++)
        {
            next[f] = fileStarts.isEmpty() ? 0 : fileStarts.getInt(f);
            end[f] = f + 1 < fileStarts.size() ? fileStarts.getInt(f + 1) : size;
        }
        final PriorityQueue<Integer> heads = new PriorityQueue<>(files,
            (a, b) -> 0 != Long.compare(recorded[next[a]], recorded[next[b]]) ?
                Long.compare(recorded[next[a]], recorded[next[b]]) : Integer.compare(a, b));
        for (int f = 0; f < files; f++)
        {
            if (next[f] < end[f])
            {
                heads.add(f);
            }
        }
        final int[] order = new int[size];
        int n = 0;
        while (!heads.isEmpty())
        {
            final int f = heads.poll();
            order[n++] = next[f]++;
            if (next[f] < end[f])
            {
                heads.add(f);
            }
        }
        return order;
    }

    /**
     * Significant digits after the decimal point of a decimal string (trailing zeros do not count).
     */
    static int decimals(final String text)
    {
        final int point = text.indexOf('.');
        if (point < 0)
        {
            return 0;
        }
        int end = text.length();
        while (end > point + 1 && text.charAt(end - 1) == '0')
        {
            end--;
        }
        return end - point - 1;
    }

    /**
     * Parses a plain decimal string ("-12.0340") exactly into a mantissa at {@code scale}.
     *
     * @throws IllegalArgumentException if it is not a number, has more decimals than the scale or does not fit in a
     * long at that scale; the message begins with the value in double quotes, for the caller to name the field.
     */
    public static long parse(final CharSequence text, final int scale)
    {
        return parse(text, 0, text.length(), scale);
    }

    public static long parse(final CharSequence text, final int from, final int to, final int scale)
    {
        try
        {
            return parseExactly(text, from, to, scale);
        }
        catch (final ArithmeticException ex)
        {
            throw new IllegalArgumentException(quoted(text, from, to) + " does not fit in 64 bits" +
                (0 == scale ? "" : " at " + scale + " decimals"));
        }
    }

    /**
     * The value as given, in double quotes, for an error message that the caller prefixes with the field's name.
     */
    static String quoted(final CharSequence text, final int from, final int to)
    {
        return "\"" + text.subSequence(from, to) + "\"";
    }

    private static long parseExactly(final CharSequence text, final int from, final int to, final int scale)
    {
        int i = from;
        boolean negative = false;
        if (i < to && (text.charAt(i) == '-' || text.charAt(i) == '+'))
        {
            negative = text.charAt(i) == '-';
            i++;
        }
        long mantissa = 0;
        int decimals = -1;
        int digits = 0;
        // Zeros after the point not yet taken into the mantissa: trailing ones never are, so "1000000000.00000000"
        // fits wherever 1000000000 does.
        int zeros = 0;
        for (; i < to; i++)
        {
            final char c = text.charAt(i);
            if (c == '.' && decimals < 0)
            {
                decimals = 0;
                continue;
            }
            if (c < '0' || c > '9')
            {
                throw new IllegalArgumentException(quoted(text, from, to) + " is not a decimal number");
            }
            digits++;
            if (decimals >= 0)
            {
                decimals++;
                if ('0' == c)
                {
                    zeros++;
                    continue;
                }
                for (; zeros > 0; zeros--)
                {
                    mantissa = Math.multiplyExact(mantissa, 10);
                }
            }
            mantissa = Math.addExact(Math.multiplyExact(mantissa, 10), c - '0');
        }
        if (0 == digits)
        {
            throw new IllegalArgumentException(quoted(text, from, to) + " is not a decimal number");
        }
        int have = Math.max(decimals, 0) - zeros;
        while (have > scale && 0 == mantissa % 10)
        {
            mantissa /= 10;
            have--;
        }
        if (have > scale)
        {
            throw new IllegalArgumentException(quoted(text, from, to) + " has more than " + scale + " decimals");
        }
        mantissa = Math.multiplyExact(mantissa, POWERS[scale - have]);
        return negative ? -mantissa : mantissa;
    }

    private Instrument add(final String symbol, final boolean fixedScale, final int priceScale, final int sizeScale)
    {
        RecordingDescriptor.requireSymbol(symbol);
        final Instrument instrument = new Instrument(symbol, byId.size() + 1, fixedScale, priceScale, sizeScale);
        byId.add(instrument);
        return instrument;
    }

    private static int packScales(final int price1, final int size1, final int price2, final int size2)
    {
        return price1 | size1 << 8 | price2 << 16 | size2 << 24;
    }

    /**
     * Significant decimals of {@code value} at {@code scale}: 2 for 2238100 at 4 (223.81).
     */
    private static int significantDecimals(final long value, final int scale)
    {
        int decimals = scale;
        long rest = value;
        while (decimals > 0 && 0 == rest % 10)
        {
            rest /= 10;
            decimals--;
        }
        return decimals;
    }

    private void add(final byte type, final Instrument instrument, final long recordedTimeNs,
        final long exchangeTimeNs, final long price1, final long size1, final long price2, final long size2,
        final int valueScales)
    {
        if (size == types.length)
        {
            final int capacity = size * 2;
            types = Arrays.copyOf(types, capacity);
            ids = Arrays.copyOf(ids, capacity);
            recorded = Arrays.copyOf(recorded, capacity);
            exchange = Arrays.copyOf(exchange, capacity);
            p1 = Arrays.copyOf(p1, capacity);
            s1 = Arrays.copyOf(s1, capacity);
            p2 = Arrays.copyOf(p2, capacity);
            s2 = Arrays.copyOf(s2, capacity);
            scales = Arrays.copyOf(scales, capacity);
        }
        instrument.priceDecimals = Math.max(instrument.priceDecimals, Math.max(
            significantDecimals(price1, valueScales & 0xFF), significantDecimals(price2, (valueScales >>> 16) & 0xFF)));
        instrument.sizeDecimals = Math.max(instrument.sizeDecimals, Math.max(
            significantDecimals(size1, (valueScales >>> 8) & 0xFF), significantDecimals(size2, valueScales >>> 24)));
        types[size] = type;
        ids[size] = instrument.instrumentId;
        recorded[size] = recordedTimeNs;
        exchange[size] = exchangeTimeNs;
        p1[size] = price1;
        s1[size] = size1;
        p2[size] = price2;
        s2[size] = size2;
        scales[size] = valueScales;
        size++;
    }
}

package io.tickgate.simulator.recording;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Collects the quotes and trades of one import from every input file, then writes them as one recording in the
 * order they were taken in (stable by recorded time, so events of one file that share a timestamp keep their
 * file order), all definitions first.
 * <p>
 * Prices and sizes arrive either at a fixed scale the format defines (LOBSTER: price × 10,000) or as decimal
 * strings; for the latter a symbol's scale is the most decimals any of its values had, so every value is kept
 * exactly. Values are held at {@link #TEXT_SCALE} meanwhile and divided down, exactly, on writing.
 * <p>
 * Not thread-safe: one importing thread. Holds the whole import in memory (about 60 bytes per tick).
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

    /** One instrument of the import. */
    public static final class Instrument
    {
        final String symbol;
        final int instrumentId;
        final boolean fixedScale;
        int priceScale;
        int sizeScale;
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

        public int priceScale()
        {
            return priceScale;
        }

        public int sizeScale()
        {
            return sizeScale;
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
    private int size;
    private byte[] types = new byte[1024];
    private int[] ids = new int[1024];
    private long[] recorded = new long[1024];
    private long[] exchange = new long[1024];
    private long[] p1 = new long[1024];
    private long[] s1 = new long[1024];
    private long[] p2 = new long[1024];
    private long[] s2 = new long[1024];

    /**
     * An instrument whose prices and sizes come as integers at fixed scales.
     */
    public Instrument fixed(final String symbol, final int priceScale, final int sizeScale)
    {
        return instruments.computeIfAbsent(symbol, name -> add(name, true, priceScale, sizeScale));
    }

    /**
     * An instrument whose prices and sizes come as decimal strings (see {@link #decimal}).
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
     * A decimal-string price of a {@link #decimal} instrument, as a mantissa at {@link #TEXT_SCALE}.
     *
     * @throws IllegalArgumentException saying what is wrong with the value ({@code "1x" is not a decimal number});
     * the caller names the field.
     */
    public long price(final Instrument instrument, final String text)
    {
        final int decimals = decimals(text);
        instrument.priceScale = Math.max(instrument.priceScale, decimals);
        return parse(text, TEXT_SCALE);
    }

    /**
     * A decimal-string size of a {@link #decimal} instrument, as a mantissa at {@link #TEXT_SCALE}.
     */
    public long size(final Instrument instrument, final String text)
    {
        final int decimals = decimals(text);
        instrument.sizeScale = Math.max(instrument.sizeScale, decimals);
        return parse(text, TEXT_SCALE);
    }

    public void quote(final Instrument instrument, final long recordedTimeNs, final long exchangeTimeNs,
        final long bidPrice, final long bidSize, final long askPrice, final long askSize)
    {
        add(RecordingDescriptor.TYPE_QUOTE, instrument, recordedTimeNs, exchangeTimeNs, bidPrice, bidSize, askPrice,
            askSize);
        instrument.quotes++;
    }

    public void trade(final Instrument instrument, final long recordedTimeNs, final long exchangeTimeNs,
        final long price, final long size)
    {
        add(RecordingDescriptor.TYPE_TRADE, instrument, recordedTimeNs, exchangeTimeNs, price, size, 0, 0);
        instrument.trades++;
    }

    /**
     * Writes everything as a new segment of the recording in {@code dir}.
     *
     * @param progress told the number of events written so far, now and then; may be null.
     */
    public Path writeTo(final Path dir, final String origin, final java.util.function.LongConsumer progress)
    {
        final Integer[] order = new Integer[size];
        for (int i = 0; i < size; i++)
        {
            order[i] = i;
        }
        Arrays.sort(order, (a, b) -> Long.compare(recorded[a], recorded[b]));

        try (RecordingWriter writer = RecordingWriter.open(dir, origin))
        {
            for (final Instrument instrument : byId)
            {
                writer.definition(instrument.instrumentId, instrument.symbol, instrument.priceScale,
                    instrument.sizeScale);
            }
            for (int n = 0; n < size; n++)
            {
                final int i = order[n];
                final Instrument instrument = byId.get(ids[i] - 1);
                final long priceDivisor = divisor(instrument, true);
                final long sizeDivisor = divisor(instrument, false);
                if (RecordingDescriptor.TYPE_QUOTE == types[i])
                {
                    writer.quote(ids[i], n + 1, exchange[i], recorded[i], p1[i] / priceDivisor, s1[i] / sizeDivisor,
                        p2[i] / priceDivisor, s2[i] / sizeDivisor);
                }
                else
                {
                    writer.trade(ids[i], n + 1, exchange[i], recorded[i], p1[i] / priceDivisor, s1[i] / sizeDivisor);
                }
                if (null != progress && 0 == (n & 0xFFFF))
                {
                    progress.accept(n);
                }
            }
            return writer.file();
        }
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
            mantissa = Math.addExact(Math.multiplyExact(mantissa, 10), c - '0');
            digits++;
            if (decimals >= 0)
            {
                decimals++;
            }
        }
        if (0 == digits)
        {
            throw new IllegalArgumentException(quoted(text, from, to) + " is not a decimal number");
        }
        int have = Math.max(decimals, 0);
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

    private long divisor(final Instrument instrument, final boolean price)
    {
        return instrument.fixedScale ? 1 : POWERS[TEXT_SCALE - (price ? instrument.priceScale : instrument.sizeScale)];
    }

    private Instrument add(final String symbol, final boolean fixedScale, final int priceScale, final int sizeScale)
    {
        if (symbol.isEmpty() || symbol.length() > RecordingDescriptor.MAX_SYMBOL_LENGTH)
        {
            throw new IllegalArgumentException("symbol must have 1 to 16 characters: '" + symbol + "'");
        }
        final Instrument instrument = new Instrument(symbol, byId.size() + 1, fixedScale, priceScale, sizeScale);
        byId.add(instrument);
        return instrument;
    }

    private void add(final byte type, final Instrument instrument, final long recordedTimeNs,
        final long exchangeTimeNs, final long price1, final long size1, final long price2, final long size2)
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
        }
        types[size] = type;
        ids[size] = instrument.instrumentId;
        recorded[size] = recordedTimeNs;
        exchange[size] = exchangeTimeNs;
        p1[size] = price1;
        s1[size] = size1;
        p2[size] = price2;
        s2[size] = size2;
        size++;
    }
}

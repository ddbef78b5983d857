package io.tickgate.simulator.recording;

import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.DateTimeException;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.function.LongConsumer;

/**
 * HistData "generic ASCII" tick CSV: {@code YYYYMMDD HHMMSSmmm,bid,ask,volume} in EST fixed at UTC−5 (no daylight
 * saving), no header. Q: every row, bid×0 / ask×0 (FX quotes carry no size); rows that repeat the previous quote
 * are kept (a replay sends what the source sent). No T. The symbol is the file name up to the first '_'
 * ({@code EURUSD_T_...csv} → {@code EURUSD}), after HistData's download prefix {@code DAT_ASCII_}; exchange and
 * recorded time are the row's instant.
 * <p>
 * Not thread-safe; one importing thread.
 */
final class HistDataImporter implements MarketDataImporter
{
    private static final long EST_OFFSET_NS = 5L * 3600 * 1_000_000_000L;
    /** What HistData puts before the symbol in the name of a file as downloaded. */
    private static final String DOWNLOAD_PREFIX = "DAT_ASCII_";

    @Override
    public void read(final List<Path> files, final ImportBuffer buffer, final LongConsumer bytesRead)
        throws IOException
    {
        long done = 0;
        for (final Path file : files)
        {
            buffer.beginFile(file);
            final ImportBuffer.Instrument instrument = buffer.decimal(symbol(file));
            try (BufferedReader in = Files.newBufferedReader(file, StandardCharsets.US_ASCII))
            {
                String line;
                int lineNumber = 0;
                while (null != (line = in.readLine()))
                {
                    lineNumber++;
                    done += line.length() + 1;
                    if (line.isBlank())
                    {
                        continue;
                    }
                    try
                    {
                        final String[] columns = line.split(",", -1);
                        if (columns.length != 4)
                        {
                            throw new IllegalArgumentException("expected 'YYYYMMDD HHMMSSmmm,bid,ask,volume'");
                        }
                        final long timeNs = timeNs(columns[0]);
                        buffer.quote(instrument, timeNs, timeNs, price(columns[1], "bid"), ImportBuffer.Decimal.ZERO,
                            price(columns[2], "ask"), ImportBuffer.Decimal.ZERO);
                    }
                    catch (final IllegalArgumentException ex)
                    {
                        throw new IllegalArgumentException(file + " line " + lineNumber + ": " + ex.getMessage(), ex);
                    }
                    if (0 == (lineNumber & 0xFFF))
                    {
                        bytesRead.accept(done);
                    }
                }
            }
        }
        bytesRead.accept(done);
    }

    /**
     * The symbol from the file name: up to the first '_' ({@code EURUSD_T_...csv}), after HistData's download
     * prefix ({@code DAT_ASCII_EURUSD_T_202001.csv}); without a '_', the name without its extension.
     *
     * @throws IllegalArgumentException naming the file when that leaves no symbol ({@code _x.csv}).
     */
    static String symbol(final Path file)
    {
        String name = file.getFileName().toString();
        if (name.startsWith(DOWNLOAD_PREFIX))
        {
            name = name.substring(DOWNLOAD_PREFIX.length());
        }
        final int underscore = name.indexOf('_');
        final String symbol = underscore >= 0 ? name.substring(0, underscore) : name.replaceFirst("\\.[^.]*$", "");
        if (symbol.isEmpty())
        {
            throw new IllegalArgumentException("no symbol in the file name of " + file + ": HistData files are " +
                "named SYMBOL_... (EURUSD_T_202001.csv, or DAT_ASCII_EURUSD_T_202001.csv as downloaded)");
        }
        return symbol;
    }

    /**
     * Epoch nanoseconds of a {@code YYYYMMDD HHMMSSmmm} stamp in EST.
     *
     * @throws IllegalArgumentException naming the stamp when it is not a time of that form.
     */
    private static long timeNs(final String stamp)
    {
        try
        {
            if (stamp.length() != 18 || stamp.charAt(8) != ' ')
            {
                throw new NumberFormatException(stamp);
            }
            for (int i = 0; i < stamp.length(); i++)
            {
                if (8 != i && (stamp.charAt(i) < '0' || stamp.charAt(i) > '9'))
                {
                    throw new NumberFormatException(stamp);
                }
            }
            final LocalDateTime local = LocalDateTime.of(
                Integer.parseInt(stamp.substring(0, 4)), Integer.parseInt(stamp.substring(4, 6)),
                Integer.parseInt(stamp.substring(6, 8)), Integer.parseInt(stamp.substring(9, 11)),
                Integer.parseInt(stamp.substring(11, 13)), Integer.parseInt(stamp.substring(13, 15)),
                Integer.parseInt(stamp.substring(15, 18)) * 1_000_000);
            return local.toEpochSecond(ZoneOffset.UTC) * 1_000_000_000L + local.getNano() + EST_OFFSET_NS;
        }
        catch (final NumberFormatException | DateTimeException ex)
        {
            throw new IllegalArgumentException("bad timestamp \"" + stamp + "\" (expected YYYYMMDD HHMMSSmmm)", ex);
        }
    }

    private static ImportBuffer.Decimal price(final String text, final String field)
    {
        try
        {
            return ImportBuffer.parseDecimal(text);
        }
        catch (final IllegalArgumentException ex)
        {
            throw new IllegalArgumentException(field + " " + ex.getMessage(), ex);
        }
    }
}

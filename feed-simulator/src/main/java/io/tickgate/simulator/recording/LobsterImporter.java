package io.tickgate.simulator.recording;

import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.function.LongConsumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * LOBSTER level-1 files ({@code SYMBOL_DATE_START_END_message_1.csv} with its {@code _orderbook_1.csv}; either
 * may be named, the other is found beside it). Row i of the order book is the top of book after message i.
 * <ul>
 * <li>Q: every order-book row that differs from the row before it (the first row counts): bid, bid size, ask,
 * ask size; a side LOBSTER marks empty (price ±9999999999) as price 0 and size 0.</li>
 * <li>T: every message of type 4 (execution of a visible order) or 5 (hidden order): price column 5, size column
 * 4; it goes before the Q of the same row, so the book after the execution is the last word.</li>
 * </ul>
 * Prices are USD × 10,000 (price scale 4), sizes in shares (size scale 0). Time is seconds after midnight
 * America/New_York on the file's date; exchange and recorded time are both that instant.
 * <p>
 * Not thread-safe; one importing thread.
 */
final class LobsterImporter implements MarketDataImporter
{
    private static final Pattern NAME =
        Pattern.compile("([A-Za-z0-9.]+)_(\\d{4}-\\d{2}-\\d{2})_\\d+_\\d+_(message|orderbook)_\\d+\\.csv");
    private static final ZoneId NEW_YORK = ZoneId.of("America/New_York");
    private static final long EMPTY_SIDE_PRICE = 9_999_999_999L;

    @Override
    public void read(final List<Path> files, final ImportBuffer buffer, final LongConsumer bytesRead)
        throws IOException
    {
        final Set<Path> messageFiles = new LinkedHashSet<>();
        for (final Path file : files)
        {
            final Matcher matcher = matcher(file);
            messageFiles.add("message".equals(matcher.group(3)) ? file :
                file.resolveSibling(file.getFileName().toString().replace("_orderbook_", "_message_")));
        }
        long done = 0;
        for (final Path messages : messageFiles)
        {
            final Matcher matcher = matcher(messages);
            final Path book = messages.resolveSibling(messages.getFileName().toString()
                .replace("_message_", "_orderbook_"));
            if (!Files.isReadable(book))
            {
                throw new IllegalArgumentException("LOBSTER order-book file missing beside " + messages + ": " + book);
            }
            final long midnightNs = LocalDate.parse(matcher.group(2)).atStartOfDay(NEW_YORK).toEpochSecond() *
                1_000_000_000L;
            buffer.beginFile(messages);
            final ImportBuffer.Instrument instrument = buffer.fixed(matcher.group(1), 4, 0);
            done = readPair(messages, book, midnightNs, instrument, buffer, bytesRead, done);
        }
    }

    private static Matcher matcher(final Path file)
    {
        final Matcher matcher = NAME.matcher(file.getFileName().toString());
        if (!matcher.matches())
        {
            throw new IllegalArgumentException("not a LOBSTER file name (SYMBOL_DATE_START_END_message_1.csv): " +
                file);
        }
        return matcher;
    }

    private static long readPair(
        final Path messages,
        final Path book,
        final long midnightNs,
        final ImportBuffer.Instrument instrument,
        final ImportBuffer buffer,
        final LongConsumer bytesRead,
        final long doneBefore) throws IOException
    {
        long done = doneBefore;
        final long[] message = new long[5];
        final long[] row = new long[4];
        final long[] previous = new long[4];
        boolean first = true;
        int lineNumber = 0;
        try (BufferedReader messageIn = Files.newBufferedReader(messages, StandardCharsets.US_ASCII);
            BufferedReader bookIn = Files.newBufferedReader(book, StandardCharsets.US_ASCII))
        {
            String messageLine;
            while (null != (messageLine = messageIn.readLine()))
            {
                lineNumber++;
                final String bookLine = bookIn.readLine();
                if (null == bookLine)
                {
                    throw new IllegalArgumentException(book + " has " + (lineNumber - 1) + " rows, fewer than " +
                        messages + ": the pair does not match, or one of them was cut");
                }
                if (messageLine.isEmpty())
                {
                    continue;
                }
                final long timeNs;
                try
                {
                    final int comma = messageLine.indexOf(',');
                    if (comma < 0)
                    {
                        // A line cut before its first comma (a copy cut short) is short of columns, not a bad time.
                        throw new IllegalArgumentException("expected 6 columns: " + messageLine);
                    }
                    try
                    {
                        timeNs = midnightNs + ImportBuffer.parse(messageLine, 0, comma, 9);
                    }
                    catch (final IllegalArgumentException ex)
                    {
                        throw new IllegalArgumentException("time " + ex.getMessage(), ex);
                    }
                    fields(messageLine, message, 1);
                }
                catch (final IllegalArgumentException ex)
                {
                    throw new IllegalArgumentException(messages + " line " + lineNumber + ": " + ex.getMessage(), ex);
                }
                try
                {
                    fields(bookLine, row, 0);
                }
                catch (final IllegalArgumentException ex)
                {
                    throw new IllegalArgumentException(book + " line " + lineNumber + ": " + ex.getMessage(), ex);
                }
                // message: type, order id, size, price, direction.
                final long type = message[0];
                if (4 == type || 5 == type)
                {
                    buffer.trade(instrument, timeNs, timeNs, message[3], message[2]);
                }
                if (first || row[0] != previous[0] || row[1] != previous[1] || row[2] != previous[2] ||
                    row[3] != previous[3])
                {
                    // Columns: ask price, ask size, bid price, bid size.
                    final boolean noBid = isEmptySide(row[2]);
                    final boolean noAsk = isEmptySide(row[0]);
                    buffer.quote(instrument, timeNs, timeNs, noBid ? 0 : row[2], noBid ? 0 : row[3],
                        noAsk ? 0 : row[0], noAsk ? 0 : row[1]);
                    System.arraycopy(row, 0, previous, 0, 4);
                    first = false;
                }
                done += messageLine.length() + bookLine.length() + 2;
                if (0 == (lineNumber & 0x3FFF))
                {
                    bytesRead.accept(done);
                }
            }
            // Row n of the book is the state after message n: a longer book means the message file was cut.
            if (null != bookIn.readLine())
            {
                // The count is the message file's: the book's would mean reading it to its end.
                throw new IllegalArgumentException(messages + " has " + lineNumber + " rows, fewer than " + book +
                    ": the pair does not match, or one of them was cut");
            }
        }
        bytesRead.accept(done);
        return done;
    }

    /**
     * LOBSTER's price for a side of the book with no order: 9999999999 for the ask, -9999999999 for the bid. Taken
     * as a price it would be a bid of -999,999.9999; an empty side is written as price 0 and size 0 instead.
     */
    private static boolean isEmptySide(final long price)
    {
        return EMPTY_SIDE_PRICE == Math.abs(price);
    }

    /**
     * Integer columns of a CSV line into {@code out}, starting at the line's column {@code from} (time skipped).
     */
    private static void fields(final String line, final long[] out, final int from)
    {
        int start = 0;
        int column = 0;
        int index = 0;
        for (int i = 0; i <= line.length() && index < out.length; i++)
        {
            if (i == line.length() || line.charAt(i) == ',')
            {
                if (column >= from)
                {
                    try
                    {
                        out[index++] = ImportBuffer.parse(line, start, i, 0);
                    }
                    catch (final IllegalArgumentException ex)
                    {
                        throw new IllegalArgumentException("column " + (column + 1) + " " + ex.getMessage(), ex);
                    }
                }
                column++;
                start = i + 1;
            }
        }
        if (index < out.length)
        {
            throw new IllegalArgumentException("expected " + (out.length + from) + " columns: " + line);
        }
    }
}

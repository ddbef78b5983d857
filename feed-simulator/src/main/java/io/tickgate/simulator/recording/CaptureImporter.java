package io.tickgate.simulator.recording;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.BufferedReader;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SeekableByteChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.function.LongConsumer;

/**
 * Exchange WebSocket captures, one frame a line: {@code RECEIVE_EPOCH_SECONDS: JSON}. Lines starting with
 * {@code wss://} are the recorder's own metadata and blank lines are skipped; the receive time becomes each
 * tick's recorded time, so a replay keeps the capture's pace. What a frame means is the {@link Adapter}'s call.
 * <p>
 * A frame of a kind the adapter imports that lacks a field it needs, or holds a value that does not parse, stops
 * the import with the file, the line and the field ({@code coinbase ticker without "best_bid"}): dropping it would
 * silently import fewer ticks than the capture holds. Frames of kinds the adapter does not import are skipped.
 * A line that is not a frame at all stops the import too, except the last line of a file that has no line end
 * (the recorder was killed while writing it): that one is left out with a note, since what came before is whole.
 * Each file's frames keep their order in the recording ({@link ImportBuffer#beginFile}).
 * <p>
 * Not thread-safe; one importing thread.
 */
final class CaptureImporter implements MarketDataImporter
{
    /** Turns one received frame into quotes and trades. */
    interface Adapter
    {
        /**
         * @throws IllegalArgumentException naming the frame's kind and the field that is missing or bad.
         */
        void onFrame(JsonNode frame, long receivedNs, ImportBuffer buffer);
    }

    // Decimals written as JSON numbers are kept exactly, as BigDecimal, not rounded through a double.
    private final ObjectMapper mapper = new ObjectMapper().enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS);
    private final Adapter adapter;

    CaptureImporter(final Adapter adapter)
    {
        this.adapter = adapter;
    }

    @Override
    public void read(final List<Path> files, final ImportBuffer buffer, final LongConsumer bytesRead)
        throws IOException
    {
        long done = 0;
        for (final Path file : files)
        {
            buffer.beginFile(file);
            final boolean cutEnd = endsMidLine(file);
            try (BufferedReader in = Files.newBufferedReader(file, StandardCharsets.UTF_8))
            {
                int lineNumber = 0;
                String next = in.readLine();
                while (null != next)
                {
                    final String line = next;
                    next = in.readLine();
                    lineNumber++;
                    done += line.length() + 1;
                    if (line.isBlank() || line.startsWith("wss://"))
                    {
                        continue;
                    }
                    final JsonNode frame;
                    final long receivedNs;
                    final int split = line.indexOf(": ");
                    try
                    {
                        receivedNs = receivedNs(line, split);
                        frame = mapper.readTree(line.substring(split + 2));
                    }
                    catch (final JsonProcessingException | IllegalArgumentException ex)
                    {
                        if (null == next && cutEnd)
                        {
                            buffer.note(file + " line " + lineNumber + " is cut short (the capture ends in the " +
                                "middle of it): not imported; the lines before it are");
                            break;
                        }
                        // The original message leaves out Jackson's second line, the source location.
                        throw new IllegalArgumentException(file + " line " + lineNumber + ": " +
                            (ex instanceof JsonProcessingException ?
                            ((JsonProcessingException)ex).getOriginalMessage() : ex.getMessage()), ex);
                    }
                    try
                    {
                        adapter.onFrame(frame, receivedNs, buffer);
                    }
                    catch (final IllegalArgumentException ex)
                    {
                        throw new IllegalArgumentException(file + " line " + lineNumber + ": " + ex.getMessage(), ex);
                    }
                    if (0 == (lineNumber & 0x3FF))
                    {
                        bytesRead.accept(done);
                    }
                }
            }
        }
        bytesRead.accept(done);
    }

    private static long receivedNs(final String line, final int split)
    {
        if (split < 0)
        {
            throw new IllegalArgumentException("no 'TIME: ' prefix");
        }
        try
        {
            return ImportBuffer.parse(line, 0, split, 9);
        }
        catch (final IllegalArgumentException ex)
        {
            throw new IllegalArgumentException("receive time " + ex.getMessage(), ex);
        }
    }

    /**
     * Whether the file's last line has no line end: a recorder killed while writing it leaves it so. Only such a
     * line, when it does not parse, is taken as cut short rather than damage.
     */
    private static boolean endsMidLine(final Path file) throws IOException
    {
        try (SeekableByteChannel channel = Files.newByteChannel(file))
        {
            if (0 == channel.size())
            {
                return false;
            }
            final ByteBuffer last = ByteBuffer.allocate(1);
            channel.position(channel.size() - 1).read(last);
            return '\n' != last.get(0);
        }
    }

    /**
     * The field a frame of kind {@code kind} ("coinbase ticker") needs, as text: a string, or a number as written.
     *
     * @throws IllegalArgumentException when it is absent, null, or neither.
     */
    static String required(final JsonNode parent, final String field, final String kind)
    {
        final JsonNode node = null == parent ? null : parent.get(field);
        if (null == node || node.isNull())
        {
            throw new IllegalArgumentException(kind + " without \"" + field + "\"");
        }
        return text(node, kind + " " + field);
    }

    /**
     * A value's text: a string, or a number as written.
     *
     * @param name the kind and field, for the message ("kraken ticker b").
     */
    static String text(final JsonNode node, final String name)
    {
        if (node.isTextual())
        {
            return node.textValue();
        }
        if (node.isNumber())
        {
            return node.decimalValue().toPlainString();
        }
        throw new IllegalArgumentException(name + " is " + node + ", not a string or number");
    }

    /**
     * A required decimal-string price or size of a frame, with the field named if it does not parse.
     */
    static ImportBuffer.Decimal decimal(final JsonNode parent, final String field, final String kind)
    {
        return decimal(required(parent, field, kind), kind + " " + field);
    }

    /**
     * A decimal value, with {@code name} (the kind and field) in the message if it does not parse.
     */
    static ImportBuffer.Decimal decimal(final String text, final String name)
    {
        try
        {
            return ImportBuffer.parseDecimal(text);
        }
        catch (final IllegalArgumentException ex)
        {
            throw new IllegalArgumentException(name + " " + ex.getMessage(), ex);
        }
    }

    /**
     * The instrument a frame names in {@code field}, which it needs.
     */
    static ImportBuffer.Instrument instrument(final ImportBuffer buffer, final JsonNode parent, final String field,
        final String kind)
    {
        return buffer.decimal(required(parent, field, kind));
    }

    /**
     * Epoch nanoseconds from an ISO-8601 instant ("2021-04-17T16:43:37.270697Z"), 0 when absent.
     *
     * @param name the kind and field, for the message.
     */
    static long isoNs(final JsonNode node, final String name)
    {
        if (null == node || node.isNull())
        {
            return 0;
        }
        final String text = text(node, name);
        try
        {
            final Instant instant = Instant.parse(text);
            return instant.getEpochSecond() * 1_000_000_000L + instant.getNano();
        }
        catch (final DateTimeParseException ex)
        {
            throw new IllegalArgumentException(name + " \"" + text + "\" is not an ISO-8601 time " +
                "(2021-04-17T16:43:37.270697Z)", ex);
        }
    }

    /**
     * Epoch nanoseconds from epoch milliseconds, 0 when absent; anything but a whole number there is refused, not
     * taken as "unknown" (a garbled time would otherwise be lost without a word).
     */
    static long millisNs(final String name, final JsonNode node)
    {
        if (null == node || node.isNull())
        {
            return 0;
        }
        if (!node.canConvertToLong() || !node.isIntegralNumber())
        {
            throw new IllegalArgumentException(name + " " + node + " is not a whole number of milliseconds");
        }
        return node.asLong() * 1_000_000L;
    }
}

package io.tickgate.simulator.recording;

import net.openhft.chronicle.bytes.MappedBytes;
import net.openhft.chronicle.wire.DocumentContext;
import net.openhft.chronicle.wire.Wire;
import net.openhft.chronicle.wire.WireType;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;

import static io.tickgate.simulator.recording.RecordingDescriptor.*;

/**
 * Appends records to a new segment of a recording through a chunked, memory-mapped Chronicle {@link MappedBytes}
 * (layout in {@link RecordingDescriptor}). Opening a directory that already holds segments starts the next one,
 * so a restarted gateway never rewrites what an earlier run recorded.
 * <p>
 * Records are encoded, header and check included, into an on-heap batch and reach the file a batch at a time:
 * {@link #flush()} copies the batch with one bounds-checked write, then release-stores the first record's
 * header without its not-complete bit. Until then that header, as a Chronicle document's header is while its
 * writer is inside it, says "not complete", so a reader, or a process that finds the file after a SIGKILL in the
 * middle of the copy, stops before the batch and never meets a complete header in front of a half-copied body.
 * The batch flushes itself when full; the gateway's recorder flushes after each duty cycle, an import on close.
 * The bytes live in the page cache as soon as they are copied, so a process killed with SIGKILL leaves every
 * flushed record readable; {@link #close()} flushes and trims the file to its written length.
 * <p>
 * Not thread-safe: one writer thread (tickgate-recorder, or the importing thread). Writing a quote or trade
 * allocates nothing.
 */
public final class RecordingWriter implements AutoCloseable
{
    /** Chronicle grows the file a chunk at a time; big enough that growing is rare, small for short recordings. */
    public static final long DEFAULT_CHUNK_BYTES = 64L * 1024 * 1024;
    /** Bytes encoded before they are copied into the file: about 2,500 ticks, one copy and one release store. */
    public static final int BATCH_BYTES = 64 * 1024;

    private final Path file;
    private final MappedBytes bytes;

    // Written only by the writer thread.
    private final byte[] batch = new byte[BATCH_BYTES];
    private int batchLength;
    private int firstHeader;
    private long lastFeedSeq;
    private long lastExchangeTimeNs;
    private long lastRecordedTimeNs;
    private long records;
    private boolean closed;

    private RecordingWriter(final Path file, final long chunkBytes, final String origin) throws IOException
    {
        this.file = file;
        this.bytes = MappedBytes.mappedBytes(file.toFile(), chunkBytes);
        final Wire wire = WireType.BINARY_LIGHT.apply(bytes);
        try (DocumentContext dc = wire.writingDocument(true))
        {
            dc.wire().write("format").text(FORMAT);
            dc.wire().write("version").int32(VERSION);
            dc.wire().write("origin").text(origin);
            dc.wire().write("created").text(Instant.now().toString());
        }
    }

    /**
     * Creates the directory if needed and opens the segment after the last one in it.
     *
     * @param origin who writes the recording, kept in the segment's header ("gateway", "import lobster").
     */
    public static RecordingWriter open(final Path dir, final String origin, final long chunkBytes)
    {
        try
        {
            Files.createDirectories(dir);
            final List<Path> existing = segments(dir);
            final int number = existing.isEmpty() ? 1 : segmentNumber(existing.get(existing.size() - 1)) + 1;
            return new RecordingWriter(dir.resolve(segmentName(number)), chunkBytes, origin);
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException("cannot create a recording in " + dir + ": " + ex.getMessage(), ex);
        }
    }

    public static RecordingWriter open(final Path dir, final String origin)
    {
        return open(dir, origin, DEFAULT_CHUNK_BYTES);
    }

    public Path file()
    {
        return file;
    }

    /**
     * Records written so far, definitions included, flushed or not.
     */
    public long records()
    {
        return records;
    }

    /**
     * Bytes of the segment written so far, its header and the batch not yet flushed included.
     */
    public long length()
    {
        return bytes.writePosition() + batchLength;
    }

    public void definition(final int instrumentId, final String symbol, final int priceScale, final int sizeScale)
    {
        final int length = symbol.length();
        if (0 == length || length > MAX_SYMBOL_LENGTH)
        {
            throw new IllegalArgumentException("symbol must have 1 to 16 characters: '" + symbol + "'");
        }
        final byte[] b = batch;
        int at = begin(TYPE_DEFINITION);
        at = putVarint(b, at, instrumentId);
        b[at++] = (byte)priceScale;
        b[at++] = (byte)sizeScale;
        b[at++] = (byte)length;
        for (int i = 0; i < length; i++)
        {
            final char c = symbol.charAt(i);
            b[at++] = c < 0x80 ? (byte)c : (byte)'?';
        }
        end(at);
    }

    public void quote(
        final int instrumentId,
        final long feedSeq,
        final long exchangeTimeNs,
        final long recordedTimeNs,
        final long bidPrice,
        final long bidSize,
        final long askPrice,
        final long askSize)
    {
        final byte[] b = batch;
        int at = begin(TYPE_QUOTE);
        at = putCommon(at, instrumentId, feedSeq, exchangeTimeNs, recordedTimeNs);
        at = putVarint(b, at, zigZag(bidPrice));
        at = putVarint(b, at, zigZag(bidSize));
        at = putVarint(b, at, zigZag(askPrice));
        at = putVarint(b, at, zigZag(askSize));
        end(at);
    }

    public void trade(
        final int instrumentId,
        final long feedSeq,
        final long exchangeTimeNs,
        final long recordedTimeNs,
        final long price,
        final long size)
    {
        final byte[] b = batch;
        int at = begin(TYPE_TRADE);
        at = putCommon(at, instrumentId, feedSeq, exchangeTimeNs, recordedTimeNs);
        at = putVarint(b, at, zigZag(price));
        at = putVarint(b, at, zigZag(size));
        end(at);
    }

    /**
     * Makes every record written so far readable: one copy of the batch into the file, then the release store of
     * the first record's complete header (the rest of the batch is visible once it is).
     */
    public void flush()
    {
        if (0 == batchLength)
        {
            return;
        }
        final long start = bytes.writePosition();
        bytes.write(batch, 0, batchLength);
        bytes.writeOrderedInt(start, firstHeader);
        batchLength = 0;
    }

    /**
     * Flushes, releases the mapping and trims the file to the bytes written, dropping the unused end of the last
     * chunk.
     */
    @Override
    public void close()
    {
        if (closed)
        {
            return;
        }
        closed = true;
        final long length;
        try
        {
            flush();
        }
        finally
        {
            length = bytes.writePosition();
            bytes.releaseLast();
        }
        try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "rw"))
        {
            raf.setLength(length);
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException("cannot trim " + file + ": " + ex.getMessage(), ex);
        }
    }

    /**
     * Makes room for the longest record and writes its type after a header left for {@link #end(int)}.
     *
     * @return where the next field goes.
     */
    private int begin(final byte type)
    {
        if (batchLength > BATCH_BYTES - MAX_RECORD_LENGTH)
        {
            flush();
        }
        final int at = batchLength + HEADER_LENGTH;
        batch[at] = type;
        return at + 1;
    }

    /**
     * Appends the check of the body that ends at {@code at} and fills in the header: complete for every record
     * but the first of the batch, whose complete header {@link #flush()} stores last.
     */
    private void end(final int at)
    {
        final byte[] b = batch;
        final int headerAt = batchLength;
        final int bodyAt = headerAt + HEADER_LENGTH;
        final int check = check(b, bodyAt, at);
        putIntLittleEndian(b, at, check);
        final int documentLength = at + CHECK_LENGTH - bodyAt;
        if (0 == headerAt)
        {
            firstHeader = documentLength;
            putIntLittleEndian(b, headerAt, documentLength | NOT_COMPLETE);
        }
        else
        {
            putIntLittleEndian(b, headerAt, documentLength);
        }
        batchLength = at + CHECK_LENGTH;
        records++;
    }

    private int putCommon(
        final int at, final int instrumentId, final long feedSeq, final long exchangeTimeNs, final long recordedTimeNs)
    {
        final byte[] b = batch;
        int next = putVarint(b, at, instrumentId);
        next = putVarint(b, next, zigZag(feedSeq - lastFeedSeq));
        next = putVarint(b, next, zigZag(exchangeTimeNs - lastExchangeTimeNs));
        next = putVarint(b, next, zigZag(recordedTimeNs - lastRecordedTimeNs));
        lastFeedSeq = feedSeq;
        lastExchangeTimeNs = exchangeTimeNs;
        lastRecordedTimeNs = recordedTimeNs;
        return next;
    }

    private static int putVarint(final byte[] b, final int at, final long value)
    {
        int next = at;
        long remaining = value;
        while ((remaining & ~0x7FL) != 0)
        {
            b[next++] = (byte)(remaining | 0x80);
            remaining >>>= 7;
        }
        b[next++] = (byte)remaining;
        return next;
    }

    private static void putIntLittleEndian(final byte[] b, final int at, final int value)
    {
        b[at] = (byte)value;
        b[at + 1] = (byte)(value >>> 8);
        b[at + 2] = (byte)(value >>> 16);
        b[at + 3] = (byte)(value >>> 24);
    }
}

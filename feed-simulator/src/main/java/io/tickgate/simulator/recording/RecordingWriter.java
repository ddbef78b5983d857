package io.tickgate.simulator.recording;

import io.tickgate.simulator.IoErrors;
import net.openhft.chronicle.bytes.Bytes;
import net.openhft.chronicle.wire.DocumentContext;
import net.openhft.chronicle.wire.Wire;
import net.openhft.chronicle.wire.WireType;

import java.io.File;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.io.UncheckedIOException;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.zip.CRC32C;

import static io.tickgate.simulator.recording.RecordingDescriptor.*;

/**
 * Appends records to a new segment of a recording (layout in {@link RecordingDescriptor}). Opening a directory that
 * already holds segments starts the next one, so a restarted gateway never rewrites what an earlier run recorded.
 * <p>
 * The segment's header is a Chronicle Wire meta-data document, encoded by Chronicle; the records, Chronicle
 * documents too, are encoded here, header and check included, into an on-heap batch, and reach the file a batch
 * at a time through {@code write} system calls. Writing, not a memory mapping: every page a mapping touches first
 * costs a page fault, measured at 8-11 us per 4 KiB page on the project's test VM (ext4) against 1.3-1.5 us per
 * page through {@code write}, which made the faults most of the recorder's time per tick. A {@link
 * RandomAccessFile}, not a {@code FileChannel}: an interrupt (an agent runner that gives up waiting for the
 * recorder to close) would close a channel under the last flush.
 * <p>
 * Where the next record will start, the file always holds a header marked not complete (the bit a Chronicle
 * document's header has while its writer is inside it). {@link #flush()} writes the batch over it, its first
 * header still not complete and a new such header after its last record, then writes the first header again,
 * complete. A write that a SIGKILL cuts short (the kernel may stop between pages) or a reader that reads a segment
 * while it is written therefore finds every batch whole or stops, with a note, at a header that is not complete:
 * never a complete header in front of a cut body, not even when the cut falls inside that header, whose
 * not-complete byte is the same in the old header and the new one. The batch flushes itself when full; the
 * gateway's recorder flushes after each duty cycle, an import on close. {@link #close()} cuts the file after the
 * last record. Written bytes are in the page cache, so a process killed with SIGKILL leaves every flushed record
 * readable (nothing calls {@code fsync}: power loss is not covered).
 * <p>
 * Not thread-safe: one writer thread (tickgate-recorder, or the importing thread). Writing a quote or trade
 * allocates nothing.
 */
public final class RecordingWriter implements AutoCloseable
{
    /**
     * Opens a new segment file for writing; tests substitute one whose writes fail, as a full disk's do.
     */
    @FunctionalInterface
    public interface FileOpener
    {
        RandomAccessFile open(File file) throws IOException;
    }

    /** The file system itself. */
    public static final FileOpener FILE_SYSTEM = (file) -> new RandomAccessFile(file, "rw");

    /** Bytes encoded before they are written: about 2,500 ticks, two writes (and two seeks). */
    public static final int BATCH_BYTES = 64 * 1024;

    private static final VarHandle LONG_LITTLE_ENDIAN =
        MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
    /** The more-bit of each of the low seven bytes of a varint of up to eight bytes; shifted right to its length. */
    private static final long MORE_BITS = 0x0080_8080_8080_8080L;

    private final Path file;
    private final RandomAccessFile out;

    // Written only by the writer thread.
    private final byte[] batch = new byte[BATCH_BYTES];
    private final byte[] completeHeader = new byte[HEADER_LENGTH];
    private final CRC32C crc = new CRC32C();
    private long position;
    private int batchLength;
    private int firstHeader;
    private long lastFeedSeq;
    private long lastExchangeTimeNs;
    private long lastRecordedTimeNs;
    private long records;
    private long ticks;
    // What the file holds, as of the last flush that wrote: discard() goes back to it.
    private long flushedFeedSeq;
    private long flushedExchangeTimeNs;
    private long flushedRecordedTimeNs;
    private long flushedRecords;
    private long flushedTicks;
    private boolean closed;

    private RecordingWriter(final Path file, final String origin, final FileOpener opener) throws IOException
    {
        this.file = file;
        Files.createFile(file);
        try
        {
            this.out = opener.open(file.toFile());
        }
        catch (final IOException | RuntimeException ex)
        {
            Files.deleteIfExists(file);
            throw ex;
        }
        final Bytes<?> header = Bytes.allocateElasticOnHeap(256);
        try
        {
            final Wire wire = WireType.BINARY_LIGHT.apply(header);
            try (DocumentContext dc = wire.writingDocument(true))
            {
                dc.wire().write("format").text(FORMAT);
                dc.wire().write("version").int32(VERSION);
                dc.wire().write("origin").text(origin);
                dc.wire().write("created").text(Instant.now().toString());
            }
            header.writeInt(NOT_COMPLETE);
            out.write(header.toByteArray());
            position = header.writePosition() - HEADER_LENGTH;
        }
        catch (final IOException | RuntimeException ex)
        {
            // A segment without its header (a full disk, say) holds nothing: a restart loop must not leave them.
            out.close();
            Files.deleteIfExists(file);
            throw ex;
        }
        finally
        {
            header.releaseLast();
        }
    }

    /**
     * Creates the directory if needed and opens the segment after the last one in it.
     *
     * @param origin who writes the recording, kept in the segment's header ("gateway", "import lobster").
     */
    public static RecordingWriter open(final Path dir, final String origin)
    {
        return open(dir, origin, FILE_SYSTEM);
    }

    /**
     * {@link #open(Path, String)} with the segment file opened by {@code opener}.
     */
    public static RecordingWriter open(final Path dir, final String origin, final FileOpener opener)
    {
        return open(dir, origin, opener, 1);
    }

    /**
     * {@link #open(Path, String, FileOpener)}, numbered {@code minNumber} at least: a segment that replaces a removed
     * one does not take its name, which a copy job may already hold with other content.
     */
    public static RecordingWriter open(
        final Path dir, final String origin, final FileOpener opener, final int minNumber)
    {
        try
        {
            Files.createDirectories(dir);
            final List<Path> existing = segments(dir);
            final int number = Math.max(minNumber,
                existing.isEmpty() ? 1 : segmentNumber(existing.get(existing.size() - 1)) + 1);
            return new RecordingWriter(dir.resolve(segmentName(number)), origin, opener);
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException(
                "cannot create a recording in " + dir + ": " + IoErrors.describe(ex, dir), ex);
        }
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
     * Quotes and trades that reached the file, counted when the flush that wrote them returns.
     */
    public long flushedTicks()
    {
        return flushedTicks;
    }

    /**
     * Bytes of the segment written so far, its header and the batch not yet flushed included.
     */
    public long length()
    {
        return position + batchLength;
    }

    public void definition(final int instrumentId, final String symbol, final int priceScale, final int sizeScale)
    {
        requireSymbol(symbol);
        final int length = symbol.length();
        final byte[] b = batch;
        int at = begin(TYPE_DEFINITION);
        at = putVarint(b, at, instrumentId);
        b[at++] = (byte)priceScale;
        b[at++] = (byte)sizeScale;
        b[at++] = (byte)length;
        for (int i = 0; i < length; i++)
        {
            b[at++] = (byte)symbol.charAt(i);
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
        ticks++;
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
        ticks++;
    }

    /**
     * Makes every record written so far readable: the batch, its first header marked not complete, then that
     * header complete (the rest of the batch is trusted once it is).
     */
    public void flush()
    {
        if (0 == batchLength)
        {
            return;
        }
        try
        {
            putIntLittleEndian(batch, batchLength, NOT_COMPLETE);
            out.seek(position);
            out.write(batch, 0, batchLength + HEADER_LENGTH);
            putIntLittleEndian(completeHeader, 0, firstHeader);
            out.seek(position);
            out.write(completeHeader);
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException("cannot write " + file + ": " + IoErrors.describe(ex, file), ex);
        }
        position += batchLength;
        batchLength = 0;
        flushedFeedSeq = lastFeedSeq;
        flushedExchangeTimeNs = lastExchangeTimeNs;
        flushedRecordedTimeNs = lastRecordedTimeNs;
        flushedRecords = records;
        flushedTicks = ticks;
    }

    /**
     * Drops the batch a {@link #flush()} could not write, so that writing can go on after a write failure (a full
     * disk) without holding on to it: the next record is encoded against the last one the file holds, and goes
     * where the dropped batch would have, over whatever part of it was written (behind a header not complete,
     * which a reader stops at).
     *
     * @return the quotes and trades dropped.
     */
    public long discard()
    {
        final long dropped = ticks - flushedTicks;
        batchLength = 0;
        lastFeedSeq = flushedFeedSeq;
        lastExchangeTimeNs = flushedExchangeTimeNs;
        lastRecordedTimeNs = flushedRecordedTimeNs;
        records = flushedRecords;
        ticks = flushedTicks;
        return dropped;
    }

    /**
     * Flushes, cuts the file after the last record and closes it.
     */
    @Override
    @SuppressWarnings("try") // the resource is there to close the file whether or not the flush throws
    public void close()
    {
        if (closed)
        {
            return;
        }
        closed = true;
        try (RandomAccessFile toClose = out)
        {
            flush();
            out.setLength(position);
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException("cannot close " + file + ": " + IoErrors.describe(ex, file), ex);
        }
    }

    /**
     * Makes room for the longest record and writes its type after a header left for {@link #end(int)}.
     *
     * @return where the next field goes.
     */
    private int begin(final byte type)
    {
        if (batchLength > BATCH_BYTES - MAX_RECORD_LENGTH - HEADER_LENGTH)
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
        final int check = check(crc, b, bodyAt, at);
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

    /**
     * Unsigned LEB128. A value below 2^56 (every delta, price and size in practice) is spread into 7-bit groups
     * and stored as one 8-byte word whose extra bytes the next field overwrites: no branch on the length, which
     * varies from field to field and record to record and made the byte loop mispredict several times a tick. The
     * batch keeps {@link RecordingDescriptor#MAX_RECORD_LENGTH} free, so the word always fits.
     */
    private static int putVarint(final byte[] b, final int at, final long value)
    {
        if (value >>> 56 != 0)
        {
            return putLongVarint(b, at, value);
        }
        final int length = (70 - Long.numberOfLeadingZeros(value | 1)) / 7;
        final long groups = value & 0x7FL |
            value << 1 & 0x7F00L |
            value << 2 & 0x7F_0000L |
            value << 3 & 0x7F00_0000L |
            value << 4 & 0x7F_0000_0000L |
            value << 5 & 0x7F00_0000_0000L |
            value << 6 & 0x7F_0000_0000_0000L |
            value << 7 & 0x7F00_0000_0000_0000L;
        LONG_LITTLE_ENDIAN.set(b, at, groups | MORE_BITS >>> (64 - 8 * length));
        return at + length;
    }

    private static int putLongVarint(final byte[] b, final int at, final long value)
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

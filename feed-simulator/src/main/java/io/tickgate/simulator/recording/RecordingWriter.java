package io.tickgate.simulator.recording;

import net.openhft.chronicle.bytes.Bytes;
import net.openhft.chronicle.bytes.MappedBytes;
import net.openhft.chronicle.wire.DocumentContext;
import net.openhft.chronicle.wire.Wire;
import net.openhft.chronicle.wire.WireType;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
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
 * A record is visible to readers once Chronicle's document header loses its not-complete bit on close of the
 * document. The bytes live in the page cache as soon as they are written, so a process killed with SIGKILL leaves
 * every completed record readable; {@link #close()} also trims the file to its written length.
 * <p>
 * Not thread-safe: one writer thread (tickgate-recorder, or the importing thread). Writing a quote or trade
 * allocates nothing: the document context and the wire are reused.
 */
public final class RecordingWriter implements AutoCloseable
{
    /** Chronicle grows the file a chunk at a time; big enough that growing is rare, small for short recordings. */
    public static final long DEFAULT_CHUNK_BYTES = 64L * 1024 * 1024;

    private final Path file;
    private final MappedBytes bytes;
    private final Wire wire;

    // Written only by the writer thread.
    private Bytes<?> body;
    private int check;
    private long lastFeedSeq;
    private long lastExchangeTimeNs;
    private long lastRecordedTimeNs;
    private long records;
    private boolean closed;

    private RecordingWriter(final Path file, final long chunkBytes, final String origin) throws IOException
    {
        this.file = file;
        this.bytes = MappedBytes.mappedBytes(file.toFile(), chunkBytes);
        this.wire = WireType.BINARY_LIGHT.apply(bytes);
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
     * Records written so far, definitions included.
     */
    public long records()
    {
        return records;
    }

    /**
     * Bytes of the segment written so far, header included.
     */
    public long length()
    {
        return bytes.writePosition();
    }

    public void definition(final int instrumentId, final String symbol, final int priceScale, final int sizeScale)
    {
        final int length = symbol.length();
        if (0 == length || length > MAX_SYMBOL_LENGTH)
        {
            throw new IllegalArgumentException("symbol must have 1 to 16 characters: '" + symbol + "'");
        }
        final byte[] ascii = symbol.getBytes(StandardCharsets.US_ASCII);
        try (DocumentContext dc = wire.writingDocument(false))
        {
            begin(dc, TYPE_DEFINITION);
            putVarint(instrumentId);
            putByte(priceScale);
            putByte(sizeScale);
            putByte(length);
            for (int i = 0; i < length; i++)
            {
                putByte(ascii[i]);
            }
            end();
        }
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
        try (DocumentContext dc = wire.writingDocument(false))
        {
            begin(dc, TYPE_QUOTE);
            putCommon(instrumentId, feedSeq, exchangeTimeNs, recordedTimeNs);
            putSigned(bidPrice);
            putSigned(bidSize);
            putSigned(askPrice);
            putSigned(askSize);
            end();
        }
    }

    public void trade(
        final int instrumentId,
        final long feedSeq,
        final long exchangeTimeNs,
        final long recordedTimeNs,
        final long price,
        final long size)
    {
        try (DocumentContext dc = wire.writingDocument(false))
        {
            begin(dc, TYPE_TRADE);
            putCommon(instrumentId, feedSeq, exchangeTimeNs, recordedTimeNs);
            putSigned(price);
            putSigned(size);
            end();
        }
    }

    /**
     * Releases the mapping and trims the file to the bytes written, dropping the unused end of the last chunk.
     */
    @Override
    public void close()
    {
        if (closed)
        {
            return;
        }
        closed = true;
        final long length = bytes.writePosition();
        bytes.releaseLast();
        try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "rw"))
        {
            raf.setLength(length);
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException("cannot trim " + file + ": " + ex.getMessage(), ex);
        }
    }

    private void begin(final DocumentContext dc, final byte type)
    {
        body = dc.wire().bytes();
        check = FNV_OFFSET;
        putByte(type);
    }

    private void end()
    {
        body.writeInt(check);
        body = null;
        records++;
    }

    private void putCommon(
        final int instrumentId, final long feedSeq, final long exchangeTimeNs, final long recordedTimeNs)
    {
        putVarint(instrumentId);
        putSigned(feedSeq - lastFeedSeq);
        putSigned(exchangeTimeNs - lastExchangeTimeNs);
        putSigned(recordedTimeNs - lastRecordedTimeNs);
        lastFeedSeq = feedSeq;
        lastExchangeTimeNs = exchangeTimeNs;
        lastRecordedTimeNs = recordedTimeNs;
    }

    private void putSigned(final long value)
    {
        putVarint(zigZag(value));
    }

    private void putVarint(final long value)
    {
        long remaining = value;
        while ((remaining & ~0x7FL) != 0)
        {
            putByte((int)((remaining & 0x7F) | 0x80));
            remaining >>>= 7;
        }
        putByte((int)remaining);
    }

    private void putByte(final int value)
    {
        body.writeByte((byte)value);
        check = (check ^ (value & 0xFF)) * FNV_PRIME;
    }
}

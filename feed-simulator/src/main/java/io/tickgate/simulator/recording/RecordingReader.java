package io.tickgate.simulator.recording;

import net.openhft.chronicle.bytes.MappedBytes;
import net.openhft.chronicle.wire.Wire;
import net.openhft.chronicle.wire.WireType;
import net.openhft.chronicle.wire.Wires;
import org.agrona.concurrent.UnsafeBuffer;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static io.tickgate.simulator.recording.RecordingDescriptor.*;

/**
 * Reads a recording's records in order, one {@link #next()} at a time, across its segments; the fields of the
 * current record are read with the getters. Each segment is mapped read-only whole ({@code MappedBytes.readOnly}):
 * reading through a chunked mapping past a chunk boundary can crash the JVM (BUILD-NOTES pitfall 10). Records
 * are decoded straight from the mapping through an Agrona buffer over it (a window of up to 1 GiB, moved along
 * a larger segment), not a Chronicle call per byte.
 * <p>
 * A segment may be read while its writer appends (the crash test does): a header is read, then an acquire fence
 * orders it before the body's bytes, which the writer copied before it release-stored that header.
 * <p>
 * Where a segment ends: a zero header is the end of what was written (a live or killed writer leaves the rest of
 * its last chunk zeroed); a header still marked not-complete is a record its writer never finished (killed
 * mid-write): reading goes on with the next segment and {@link #incompleteNote()} says where. A record that runs
 * past the end of the file, or whose check does not match, is damage: {@link #next()} throws
 * {@link RecordingDamagedException} naming the file and offset, after every record before it was returned.
 * <p>
 * Not thread-safe: one reading thread. {@link #next()} allocates nothing for quotes and trades.
 */
public final class RecordingReader implements AutoCloseable
{
    public static final byte END = 0;

    /** Largest view of a segment at once: an Agrona buffer is indexed by int. */
    static final int MAX_WINDOW_BYTES = 1 << 30;
    /** Longest record body (type to check) of any type: more is damage, whatever its check says. */
    private static final int MAX_BODY_LENGTH = MAX_RECORD_LENGTH - HEADER_LENGTH;

    private final List<Path> segments;
    /** A view of the current segment's mapping from {@link #windowStart}; owned by the reading thread. */
    private final UnsafeBuffer window = new UnsafeBuffer(0, 0);
    private long windowStart;
    private int windowLength;
    private int segmentIndex = -1;
    private Path file;
    private MappedBytes bytes;
    private long fileLength;
    private long position;
    private String origin;
    private String incompleteNote;

    private byte type;
    private int instrumentId;
    private long feedSeq;
    private long exchangeTimeNs;
    private long recordedTimeNs;
    private long price1;
    private long size1;
    private long price2;
    private long size2;
    private int priceScale;
    private int sizeScale;
    private String symbol;
    private long recordOffset;

    private int cursor;
    private int check;

    private RecordingReader(final List<Path> segments)
    {
        this.segments = segments;
    }

    /**
     * Opens a recording directory (or a single segment file).
     *
     * @throws IllegalArgumentException when there is no recording there.
     */
    public static RecordingReader open(final Path path)
    {
        try
        {
            final List<Path> segments = Files.isRegularFile(path) ? List.of(path) : RecordingDescriptor.segments(path);
            if (segments.isEmpty())
            {
                throw new IllegalArgumentException("no recording in " + path + " (no " + SEGMENT_PREFIX + "*" +
                    SEGMENT_SUFFIX + " files)");
            }
            return new RecordingReader(segments);
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException("cannot list " + path + ": " + ex.getMessage(), ex);
        }
    }

    public List<Path> segments()
    {
        return segments;
    }

    /**
     * Moves to the next record.
     *
     * @return its type ({@link RecordingDescriptor#TYPE_DEFINITION}, {@code TYPE_QUOTE}, {@code TYPE_TRADE}), or
     * {@link #END} after the last one.
     * @throws RecordingDamagedException at damage; every record before it has been returned.
     */
    public byte next()
    {
        while (true)
        {
            if (null == bytes && !openNextSegment())
            {
                return END;
            }
            if (position + Integer.BYTES > fileLength)
            {
                if (position != fileLength)
                {
                    throw damageAt(position, "cut short inside a record header");
                }
                closeSegment();
                continue;
            }
            cover(position, Integer.BYTES);
            final int header = window.getInt((int)(position - windowStart), ByteOrder.LITTLE_ENDIAN);
            // Orders the header before the body: a complete header was release-stored after its body was copied.
            VarHandle.acquireFence();
            if (Wires.NOT_INITIALIZED == header)
            {
                closeSegment();
                continue;
            }
            if (Wires.isNotComplete(header))
            {
                incompleteNote = "the last record of " + file + " at offset " + position +
                    " was never completed (its writer stopped while writing it); everything before it was read";
                closeSegment();
                continue;
            }
            final int length = Wires.lengthOf(header);
            final long start = position + Integer.BYTES;
            if (start + length > fileLength)
            {
                throw damageAt(position,
                    "a record of " + length + " bytes runs past the end of the file (" + fileLength + " bytes)");
            }
            recordOffset = position;
            position = start + length;
            if (Wires.isReadyMetaData(header))
            {
                readMetaData(start, length);
                continue;
            }
            return decode(start, length);
        }
    }

    /**
     * Set when a segment ended with a record its writer never finished; null otherwise.
     */
    public String incompleteNote()
    {
        return incompleteNote;
    }

    /**
     * The origin named in the current segment's header ("gateway", "import lobster"), or null.
     */
    public String origin()
    {
        return origin;
    }

    public Path file()
    {
        return file;
    }

    /**
     * Byte offset of the current record's header in {@link #file()}.
     */
    public long recordOffset()
    {
        return recordOffset;
    }

    public byte type()
    {
        return type;
    }

    public int instrumentId()
    {
        return instrumentId;
    }

    public long feedSeq()
    {
        return feedSeq;
    }

    public long exchangeTimeNs()
    {
        return exchangeTimeNs;
    }

    public long recordedTimeNs()
    {
        return recordedTimeNs;
    }

    /** Quote bid price or trade price. */
    public long price1()
    {
        return price1;
    }

    /** Quote bid size or trade size. */
    public long size1()
    {
        return size1;
    }

    /** Quote ask price. */
    public long price2()
    {
        return price2;
    }

    /** Quote ask size. */
    public long size2()
    {
        return size2;
    }

    public int priceScale()
    {
        return priceScale;
    }

    public int sizeScale()
    {
        return sizeScale;
    }

    /** The definition's symbol (allocated per definition record). */
    public String symbol()
    {
        return symbol;
    }

    @Override
    public void close()
    {
        closeSegment();
        segmentIndex = segments.size();
    }

    private boolean openNextSegment()
    {
        if (++segmentIndex >= segments.size())
        {
            segmentIndex = segments.size();
            return false;
        }
        file = segments.get(segmentIndex);
        try
        {
            fileLength = Files.size(file);
            bytes = MappedBytes.readOnly(file.toFile());
            bytes.readLimit(fileLength);
            windowStart = 0;
            windowLength = 0;
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException("cannot read " + file + ": " + ex.getMessage(), ex);
        }
        position = 0;
        origin = null;
        feedSeq = 0;
        exchangeTimeNs = 0;
        recordedTimeNs = 0;
        return true;
    }

    private void closeSegment()
    {
        if (null != bytes)
        {
            window.wrap(0, 0);
            windowLength = 0;
            bytes.releaseLast();
            bytes = null;
        }
    }

    private void readMetaData(final long start, final int length)
    {
        final long readPosition = bytes.readPosition();
        final long readLimit = bytes.readLimit();
        try
        {
            bytes.readPositionRemaining(start, length);
            final Wire wire = WireType.BINARY_LIGHT.apply(bytes);
            final String format = wire.read("format").text();
            if (!FORMAT.equals(format))
            {
                throw damageAt(start - Integer.BYTES, "not a Tickgate recording header (format " + format + ")");
            }
            final int version = wire.read("version").int32();
            if (version != VERSION)
            {
                throw damageAt(start - Integer.BYTES,
                    "recording format version " + version + " is not supported (this build reads " + VERSION + ")");
            }
            origin = wire.read("origin").text();
        }
        catch (final RecordingDamagedException ex)
        {
            throw ex;
        }
        catch (final RuntimeException ex)
        {
            throw damageAt(start - Integer.BYTES, "unreadable segment header");
        }
        finally
        {
            if (null != bytes)
            {
                bytes.readLimit(readLimit);
                bytes.readPosition(readPosition);
            }
        }
    }

    private byte decode(final long start, final int length)
    {
        if (length < 1 + CHECK_LENGTH)
        {
            throw damage("a record of " + length + " bytes is too short");
        }
        if (length > MAX_BODY_LENGTH)
        {
            throw damage("a record of " + length + " bytes is longer than any record (bytes changed)");
        }
        cover(start, length);
        cursor = (int)(start - windowStart);
        final int limit = cursor + length - CHECK_LENGTH;
        check = FNV_OFFSET;
        final byte recordType = (byte)getByte(limit);
        switch (recordType)
        {
            case TYPE_DEFINITION:
                instrumentId = (int)getVarint(limit);
                priceScale = (byte)getByte(limit);
                sizeScale = (byte)getByte(limit);
                final int nameLength = getByte(limit);
                if (nameLength < 1 || nameLength > MAX_SYMBOL_LENGTH || cursor + nameLength > limit)
                {
                    throw damage("a definition with a symbol of " + nameLength + " bytes");
                }
                final byte[] name = new byte[nameLength];
                for (int i = 0; i < nameLength; i++)
                {
                    name[i] = (byte)getByte(limit);
                }
                verify(limit);
                symbol = new String(name, StandardCharsets.US_ASCII);
                break;

            case TYPE_QUOTE:
            case TYPE_TRADE:
                instrumentId = (int)getVarint(limit);
                final long seq = feedSeq + getSigned(limit);
                final long exchange = exchangeTimeNs + getSigned(limit);
                final long recorded = recordedTimeNs + getSigned(limit);
                final long p1 = getSigned(limit);
                final long s1 = getSigned(limit);
                final long p2 = TYPE_QUOTE == recordType ? getSigned(limit) : 0;
                final long s2 = TYPE_QUOTE == recordType ? getSigned(limit) : 0;
                verify(limit);
                feedSeq = seq;
                exchangeTimeNs = exchange;
                recordedTimeNs = recorded;
                price1 = p1;
                size1 = s1;
                price2 = p2;
                size2 = s2;
                break;

            default:
                throw damage("unknown record type " + (recordType & 0xFF));
        }
        type = recordType;
        return recordType;
    }

    private void verify(final int end)
    {
        if (cursor != end || window.getInt(end, ByteOrder.LITTLE_ENDIAN) != check)
        {
            throw damage("check mismatch (bytes changed or cut)");
        }
    }

    /**
     * Moves the window so that it holds {@code [from, from + length)} of the segment, which the caller has checked
     * lies inside the file and is shorter than the window.
     */
    private void cover(final long from, final int length)
    {
        if (from < windowStart || from + length > windowStart + windowLength)
        {
            windowStart = from;
            windowLength = (int)Math.min(MAX_WINDOW_BYTES, fileLength - from);
            window.wrap(bytes.addressForRead(from), windowLength);
        }
    }

    private RecordingDamagedException damage(final String reason)
    {
        return damageAt(recordOffset, reason);
    }

    /** Nothing at or after damage is trusted, so the reader ends there: later calls return {@link #END}. */
    private RecordingDamagedException damageAt(final long offset, final String reason)
    {
        final RecordingDamagedException ex = new RecordingDamagedException(file, offset, reason);
        closeSegment();
        segmentIndex = segments.size();
        return ex;
    }

    private int getByte(final int limit)
    {
        if (cursor >= limit)
        {
            throw damage("a record ends inside a field");
        }
        final int value = window.getByte(cursor++) & 0xFF;
        check = (check ^ value) * FNV_PRIME;
        return value;
    }

    private long getSigned(final int limit)
    {
        return unZigZag(getVarint(limit));
    }

    private long getVarint(final int limit)
    {
        long value = 0;
        for (int shift = 0; shift < 64; shift += 7)
        {
            final int b = getByte(limit);
            value |= (long)(b & 0x7F) << shift;
            if (0 == (b & 0x80))
            {
                return value;
            }
        }
        throw damage("a number longer than 10 bytes");
    }
}

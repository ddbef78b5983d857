package io.tickgate.simulator.recording;

import io.tickgate.simulator.IoErrors;
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
import java.util.zip.CRC32C;

import static io.tickgate.simulator.recording.RecordingDescriptor.*;

/**
 * Reads a recording's records in order, one {@link #next()} at a time, across its segments; the fields of the
 * current record are read with the getters. Each segment is mapped read-only whole ({@code MappedBytes.readOnly}):
 * reading through a chunked mapping past a chunk boundary can crash the JVM (met with Chronicle Bytes' chunked
 * mappings). Each record is copied out of the mapping, through an Agrona buffer over it (a window of up to 1 GiB,
 * moved along a larger segment), with one copy, then checked (by the check of the segment's format version) and
 * decoded from that copy.
 * <p>
 * A segment may be read while its writer appends (the crash test does): what the reader sees ends at the first
 * header not yet complete, or at the length the file had when the reader mapped it, whichever comes first; a
 * header is read, then an acquire fence orders it before the body's bytes, which the writer wrote before it
 * completed that header. A writer that closes the segment meanwhile cuts the not-complete header at its end: where
 * that header starts a page (which is then past the file's end, and would fault) the reader checks the file's length
 * first, and ends the segment there. A file cut shorter than that while it is read is damage.
 * <p>
 * Where a segment ends: at the end of the file; at a zero header with only zeros after it (writers before format 2
 * wrote through memory-mapped chunks and left the rest of the last one zeroed); at a header still marked not
 * complete, a batch its writer never finished (killed mid-write) or, in a segment still being written, where the
 * next batch goes: reading goes on with the next segment and {@link #incompleteNote()} says where. A record that
 * runs past the end of the file, or whose check does not match, is damage: {@link #next()} throws
 * {@link RecordingDamagedException} naming the file and offset, after every record before it was returned. So is a
 * zero header with data after it (or, in format 2, with a later segment after it), and a not-complete header with
 * complete records after it further than one batch: no writer leaves either.
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
    /**
     * The smallest memory page of any platform: a read through the mapping faults only in a page wholly past the
     * file's end, so a header can have been cut from under the reader only where a page starts.
     */
    private static final int MIN_PAGE_BYTES = 4096;

    private final List<Path> segments;
    /** A view of the current segment's mapping from {@link #windowStart}; owned by the reading thread. */
    private final UnsafeBuffer window = new UnsafeBuffer(0, 0);
    private long windowStart;
    private int windowLength;
    /** The current record's body, copied out of the window. */
    private final byte[] body = new byte[MAX_BODY_LENGTH];
    private final CRC32C crc = new CRC32C();
    private int version;
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
        return new RecordingReader(segmentsOf(path));
    }

    /**
     * The segment files of a recording directory, in order (or the one segment file given).
     *
     * @throws IllegalArgumentException when there is no recording there.
     * @throws UncheckedIOException     when the directory cannot be listed.
     */
    public static List<Path> segmentsOf(final Path path)
    {
        try
        {
            final boolean file = Files.isRegularFile(path);
            if (file && 0 == Files.size(path))
            {
                // In a directory an empty segment is a writer stopped before its header, noted and skipped; a file
                // named on its own holds nothing to replay or inspect.
                throw new IllegalArgumentException("no recording in " + path + " (an empty file)");
            }
            final List<Path> segments = file ? List.of(path) : RecordingDescriptor.segments(path);
            if (segments.isEmpty())
            {
                throw new IllegalArgumentException("no recording in " + path + " (no " + SEGMENT_PREFIX + "*" +
                    SEGMENT_SUFFIX + " files)");
            }
            return segments;
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException("cannot list " + path + ": " + IoErrors.describe(ex, path), ex);
        }
    }

    public List<Path> segments()
    {
        return segments;
    }

    /**
     * What the damage means when it is in the first record: a writer writes the segment header whole, first, so a
     * file damaged there was not written by one.
     */
    private static String segmentStart(final long position)
    {
        return 0 == position ? "not a Tickgate recording segment: " : "";
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
        try
        {
            return nextRecord();
        }
        catch (final InternalError ex)
        {
            // HotSpot's report of a read through the mapping past the end of a file cut after it was mapped.
            throw cutWhileRead(ex);
        }
    }

    private byte nextRecord()
    {
        while (true)
        {
            if (null == bytes && !openNextSegment())
            {
                return END;
            }
            if (position + Integer.BYTES > fileLength)
            {
                if (position != fileLength && !grownSinceOpened())
                {
                    throw damageAt(position, segmentStart(position) + "cut short inside a record header");
                }
                closeSegment();
                continue;
            }
            if (0 == (position & (MIN_PAGE_BYTES - 1)) && 0 != position && endsHere())
            {
                // Its writer closed it, cutting the not-complete header it kept where the next record would go:
                // this header's page is no longer the file's, and reading it through the mapping would fault.
                closeSegment();
                continue;
            }
            cover(position, Integer.BYTES);
            final int header = window.getInt((int)(position - windowStart), ByteOrder.LITTLE_ENDIAN);
            // Orders the header before the body: a complete header was release-stored after its body was copied.
            VarHandle.acquireFence();
            if (Wires.NOT_INITIALIZED == header && 0 == position)
            {
                // A writer's first write is the whole segment header, so a file that begins with zeros (a copy
                // gone wrong, a file zeroed by hand) was never written by one, however many zeros follow.
                throw damageAt(position, "not a Tickgate recording segment: it does not begin with a segment " +
                    "header (it begins with zeros)");
            }
            if (Wires.NOT_INITIALIZED == header)
            {
                requireNothingAfterZeroHeader();
                closeSegment();
                continue;
            }
            if (0 == position && !Wires.isReadyMetaData(header))
            {
                // A writer writes the segment header whole, in its first write, before anything else; a file that
                // begins otherwise was not written by one (an unfinished first record would pass for a crash).
                throw damageAt(position, "not a Tickgate recording segment: it does not begin with a segment header");
            }
            if (Wires.isNotComplete(header))
            {
                final long beyondBatch = completeRecordBeyondBatch(header);
                if (beyondBatch >= 0)
                {
                    throw damageAt(position, "a record header marked not complete, yet complete records follow it " +
                        "past where any unfinished batch ends (one at offset " + beyondBatch + "; bytes changed)");
                }
                // The same bytes whether the writer is alive and has not finished the batch, or was killed in it.
                addNote("the last record of " + file + " at offset " + position + " is not complete: its " +
                    "writer is still writing it, or stopped while writing it; everything before it was read");
                closeSegment();
                continue;
            }
            final int length = Wires.lengthOf(header);
            final long start = position + Integer.BYTES;
            if (start + length > fileLength)
            {
                if (grownSinceOpened())
                {
                    closeSegment();
                    continue;
                }
                throw damageAt(position, segmentStart(position) +
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
     * Set when a segment ended with a record its writer never finished, or was left empty, one note per such
     * segment joined with "; " (a gateway restarted after crashes leaves one in each); null otherwise.
     */
    public String incompleteNote()
    {
        return incompleteNote;
    }

    private void addNote(final String note)
    {
        incompleteNote = null == incompleteNote ? note : incompleteNote + "; " + note;
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
     * Format version of the current segment, from its header ({@link RecordingDescriptor#VERSION} until read).
     */
    public int version()
    {
        return version;
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
            if (0 == fileLength)
            {
                // Created, then its writer stopped before the segment header: nothing to read, and nothing lost
                // in the segments after it, so said in a note rather than as damage.
                addNote(file + " is empty: its writer stopped before writing the segment header");
                return openNextSegment();
            }
            bytes = MappedBytes.readOnly(file.toFile());
            bytes.readLimit(fileLength);
            windowStart = 0;
            windowLength = 0;
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException("cannot read " + file + ": " + IoErrors.describe(ex, file), ex);
        }
        position = 0;
        origin = null;
        version = VERSION;
        feedSeq = 0;
        exchangeTimeNs = 0;
        recordedTimeNs = 0;
        return true;
    }

    /**
     * Whether the segment now ends at {@link #position}, a record header's offset, though it was longer when mapped:
     * the one cut a writer makes, on close. Shorter still is damage (no writer cuts into what it wrote).
     */
    private boolean endsHere()
    {
        final long now;
        try
        {
            now = Files.size(file);
        }
        catch (final IOException ex)
        {
            // Deleted (the mapping stays readable) or unreadable: the mapping is what there is to read.
            return false;
        }
        if (now < position)
        {
            throw damageAt(position, "the file was cut to " + now + " bytes while it was read");
        }
        return now == position;
    }

    /**
     * The damage to report for a fault reading the mapping, if the file is shorter now than when it was mapped (its
     * pages past the new end fault); the error itself otherwise.
     */
    private RuntimeException cutWhileRead(final InternalError fault)
    {
        try
        {
            final long now = null == file ? fileLength : Files.size(file);
            if (now < fileLength)
            {
                return damageAt(position, "the file was cut from " + fileLength + " to " + now +
                    " bytes while it was read");
            }
        }
        catch (final IOException | RuntimeException ignore)
        {
            // Not a cut that can be told: the fault stands.
        }
        throw fault;
    }

    /**
     * Whether the segment is longer now than when it was mapped: its writer is still appending, and a record that
     * runs past the mapped end was completed after the mapping, so it ends what this reader can see rather than
     * being damage.
     */
    private boolean grownSinceOpened()
    {
        try
        {
            return Files.size(file) > fileLength;
        }
        catch (final IOException ex)
        {
            return false;
        }
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
                throw damageAt(start - Integer.BYTES, "not a Tickgate recording header: its format reads \"" +
                    printable(String.valueOf(format)) + "\", not \"" + FORMAT + "\"");
            }
            final int segmentVersion = wire.read("version").int32();
            if (segmentVersion < VERSION_FNV_CHECK || segmentVersion > VERSION)
            {
                throw damageAt(start - Integer.BYTES, "recording format version " + segmentVersion +
                    " is not supported (this build reads " + VERSION_FNV_CHECK + " to " + VERSION + ")");
            }
            version = segmentVersion;
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
        if (!copyAndCheck(start, length))
        {
            throw damage("check mismatch (bytes changed or cut)");
        }
        final int limit = length - CHECK_LENGTH;
        cursor = 0;
        final byte recordType = body[cursor++];
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
                final String name = new String(body, cursor, nameLength, StandardCharsets.US_ASCII);
                cursor += nameLength;
                requireEnd(limit);
                symbol = name;
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
                requireEnd(limit);
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

    /**
     * Copies the body of {@code length} bytes at {@code start}, which lies inside the file, into {@link #body} and
     * tells whether its check matches, by the check of the segment's version.
     */
    private boolean copyAndCheck(final long start, final int length)
    {
        cover(start, length);
        window.getBytes((int)(start - windowStart), body, 0, length);
        final int limit = length - CHECK_LENGTH;
        final int expected = VERSION_FNV_CHECK == version ? fnvCheck(body, 0, limit) : check(crc, body, 0, limit);
        final int stored = (body[limit] & 0xFF) | (body[limit + 1] & 0xFF) << 8 | (body[limit + 2] & 0xFF) << 16 |
            (body[limit + 3] & 0xFF) << 24;
        return stored == expected;
    }

    /**
     * A zero header at {@link #position} ends the data only when nothing follows it: writers of format 1 left the
     * rest of their last mapped chunk zeroed, and no writer leaves a zero header before data of its own. So a
     * non-zero byte after it is damage (a header zeroed in a copy would otherwise end the read without a word), and
     * so is, in a segment of format 2, whose writers never write zeros, a zeroed end followed by a later segment.
     * The rest of the file is scanned only here, when a zero header is met, once per segment at most.
     */
    private void requireNothingAfterZeroHeader()
    {
        final long nonZero = firstNonZeroByte(position + Integer.BYTES);
        if (nonZero >= 0)
        {
            throw damageAt(position, "a zero record header, yet data follows it (at offset " + nonZero +
                "; bytes changed)");
        }
        if (version > VERSION_FNV_CHECK && segmentIndex + 1 < segments.size())
        {
            throw damageAt(position, "a zero record header, which no writer of this format leaves, before the " +
                "later segment " + segments.get(segmentIndex + 1) + " (bytes changed)");
        }
    }

    /**
     * Offset of the first non-zero byte of the segment at or after {@code from}, or -1.
     */
    private long firstNonZeroByte(final long from)
    {
        long at = from;
        while (at < fileLength)
        {
            final int length = (int)Math.min(MAX_WINDOW_BYTES, fileLength - at);
            cover(at, length);
            final int base = (int)(at - windowStart);
            int i = 0;
            while (i + Long.BYTES <= length && 0 == window.getLong(base + i))
            {
                i += Long.BYTES;
            }
            for (; i < length; i++)
            {
                if (0 != window.getByte(base + i))
                {
                    return at + i;
                }
            }
            at += length;
        }
        return -1;
    }

    /**
     * Where the not-complete header at {@link #position} is followed, past one batch, by a complete record whose
     * check matches: the offset of that record, or -1. A writer leaves at most one batch behind a header it has not
     * completed (its placeholder where the next batch goes, or a batch whose write was cut short), so complete
     * records further on mean the header's bit was changed. Walks at most a batch and a record, only when a
     * not-complete header is met; stops at the first header or record that is not such a record.
     */
    private long completeRecordBeyondBatch(final int header)
    {
        final long limit = position + RecordingWriter.BATCH_BYTES;
        long at = position + Integer.BYTES + Wires.lengthOf(header);
        while (at + Integer.BYTES <= fileLength)
        {
            cover(at, Integer.BYTES);
            final int next = window.getInt((int)(at - windowStart), ByteOrder.LITTLE_ENDIAN);
            final int length = Wires.lengthOf(next);
            if (Wires.NOT_INITIALIZED == next || Wires.isNotComplete(next) || Wires.isReadyMetaData(next) ||
                length < 1 + CHECK_LENGTH || length > MAX_BODY_LENGTH || at + Integer.BYTES + length > fileLength ||
                !copyAndCheck(at + Integer.BYTES, length))
            {
                return -1;
            }
            if (at >= limit)
            {
                return at;
            }
            at += Integer.BYTES + length;
        }
        return -1;
    }

    /**
     * A record whose check matches yet whose fields stop short of its end was written wrong, not damaged later;
     * it is refused all the same.
     */
    private void requireEnd(final int limit)
    {
        if (cursor != limit)
        {
            throw damage("the fields of a record end " + (limit - cursor) + " bytes before it does");
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
        return body[cursor++] & 0xFF;
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

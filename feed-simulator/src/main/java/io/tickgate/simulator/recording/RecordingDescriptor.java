package io.tickgate.simulator.recording;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import java.util.zip.CRC32C;

/**
 * Layout of a Tickgate recording: a directory of segment files {@code segment-NNNNNN.tkr}, read in name order.
 * Each segment is a sequence of Chronicle Wire documents, each behind Chronicle's 4-byte header
 * (bits 0-29 length, bit 30 meta-data, bit 31 not-complete while the writer is inside it):
 * <pre>
 *  meta-data document, first in every segment (Chronicle Wire fields):
 *    format: "tickgate-recording", version: 2, origin: "gateway" | "import lobster" | ..., created: ISO-8601
 *
 *  data document, one per record; body bytes:
 *    u8 type 'D' | varint instrumentId | i8 priceScale | i8 sizeScale | u8 n | n bytes ASCII symbol | u32 check
 *    u8 type 'Q' | varint instrumentId | zz feedSeq delta | zz exchangeTime delta | zz recordedTime delta |
 *                  zz bidPrice | zz bidSize | zz askPrice | zz askSize | u32 check
 *    u8 type 'T' | varint instrumentId | zz feedSeq delta | zz exchangeTime delta | zz recordedTime delta |
 *                  zz price | zz size | u32 check
 * </pre>
 * {@code varint}: unsigned LEB128 (7 bits a byte, low first, high bit = more). {@code zz}: a signed value
 * zig-zag mapped, then varint. Deltas are against the previous Q or T record of the same segment (0 at its
 * start), so a segment decodes on its own. {@code check} is CRC-32C (Castagnoli, little-endian) over the body
 * bytes before it: any changed byte of a record, any burst of up to 32 changed bits, changes it, so damage stops a
 * reader at that record's offset.
 * <p>
 * Version 1 differs only in the check, FNV-1a (32 bit) over the same bytes; readers take both. Version 2 made the
 * change because CRC-32C is a single instruction per 8 bytes where FNV-1a is a multiply per byte: a third of the
 * recorder's time per tick went into the check.
 * <p>
 * Times are epoch nanoseconds. {@code recordedTime} is when the tick was taken in (the gateway's ingest time, or
 * an exchange capture's receive time) and paces a replay; {@code exchangeTime} is the source's own time (0 when
 * unknown). Stateless; thread-safe.
 */
public final class RecordingDescriptor
{
    public static final String FORMAT = "tickgate-recording";
    /** What writers write. */
    public static final int VERSION = 2;
    /** The oldest version readers still take: it checks records with FNV-1a. */
    public static final int VERSION_FNV_CHECK = 1;
    public static final String SEGMENT_PREFIX = "segment-";
    public static final String SEGMENT_SUFFIX = ".tkr";

    public static final byte TYPE_DEFINITION = 'D';
    public static final byte TYPE_QUOTE = 'Q';
    public static final byte TYPE_TRADE = 'T';

    /** Longest symbol a definition holds: the TKF1 definition's 16 bytes. */
    public static final int MAX_SYMBOL_LENGTH = 16;

    /**
     * Throws unless {@code symbol} can be recorded and replayed as it is: 1 to {@link #MAX_SYMBOL_LENGTH}
     * printable ASCII characters, {@code !} to {@code ~}, as a TKF1 definition carries it. Anything else would
     * be stored altered (two symbols could become one) or refused by the gateway on replay.
     *
     * @throws IllegalArgumentException naming the symbol and what is wrong with it.
     */
    public static void requireSymbol(final String symbol)
    {
        if (symbol.isEmpty() || symbol.length() > MAX_SYMBOL_LENGTH)
        {
            throw new IllegalArgumentException("symbol must have 1 to 16 characters: '" + symbol + "'");
        }
        for (int i = 0; i < symbol.length(); i++)
        {
            final char c = symbol.charAt(i);
            if (c < '!' || c > '~')
            {
                throw new IllegalArgumentException("symbol must be printable ASCII characters, ! to ~: '" + symbol +
                    "' holds " + (Character.isISOControl(c) || Character.isWhitespace(c) ?
                    String.format("U+%04X", (int)c) : "'" + c + "' (U+" + String.format("%04X", (int)c) + ")"));
            }
        }
    }

    /**
     * Text read from a file, fit to quote in a one-line message: a control character (a newline, an escape that
     * would drive a terminal) or anything past ASCII shows as {@code <U+001B>}.
     */
    public static String printable(final String text)
    {
        final StringBuilder out = new StringBuilder(text.length());
        for (int i = 0; i < text.length(); i++)
        {
            final char c = text.charAt(i);
            if (c < ' ' || c > '~')
            {
                out.append(String.format("<U+%04X>", (int)c));
            }
            else
            {
                out.append(c);
            }
        }
        return out.toString();
    }

    /** Chronicle's document header: bits 0-29 the length of what follows, bit 30 meta-data, bit 31 not complete. */
    static final int HEADER_LENGTH = 4;
    static final int NOT_COMPLETE = 0x8000_0000;
    static final int CHECK_LENGTH = 4;
    /** Longest Q or T: header, type, a 10-byte varint id and seven 10-byte zig-zag fields, check. */
    static final int MAX_RECORD_LENGTH = HEADER_LENGTH + 1 + 8 * 10 + CHECK_LENGTH;

    static final int FNV_OFFSET = 0x811C9DC5;
    static final int FNV_PRIME = 0x01000193;

    private RecordingDescriptor()
    {
    }

    public static String segmentName(final int number)
    {
        return String.format("%s%06d%s", SEGMENT_PREFIX, number, SEGMENT_SUFFIX);
    }

    /**
     * The segments of a recording in replay order; empty when the directory holds none.
     */
    public static List<Path> segments(final Path dir) throws IOException
    {
        final List<Path> segments = new ArrayList<>();
        if (!Files.isDirectory(dir))
        {
            return segments;
        }
        try (Stream<Path> files = Files.list(dir))
        {
            files.filter(RecordingDescriptor::isSegment).sorted().forEach(segments::add);
        }
        return segments;
    }

    public static int segmentNumber(final Path segment)
    {
        final String name = segment.getFileName().toString();
        return Integer.parseInt(name.substring(SEGMENT_PREFIX.length(), name.length() - SEGMENT_SUFFIX.length()));
    }

    private static boolean isSegment(final Path path)
    {
        final String name = path.getFileName().toString();
        return name.startsWith(SEGMENT_PREFIX) && name.endsWith(SEGMENT_SUFFIX) &&
            name.length() == SEGMENT_PREFIX.length() + 6 + SEGMENT_SUFFIX.length();
    }

    /**
     * The version 2 check of the record body {@code b[from, to)}: CRC-32C.
     *
     * @param crc reset here; one per thread.
     */
    static int check(final CRC32C crc, final byte[] b, final int from, final int to)
    {
        crc.reset();
        crc.update(b, from, to - from);
        return (int)crc.getValue();
    }

    /**
     * The version 1 check of the record body {@code b[from, to)}: FNV-1a (32 bit).
     */
    static int fnvCheck(final byte[] b, final int from, final int to)
    {
        int check = FNV_OFFSET;
        for (int i = from; i < to; i++)
        {
            check = (check ^ (b[i] & 0xFF)) * FNV_PRIME;
        }
        return check;
    }

    static long zigZag(final long value)
    {
        return (value << 1) ^ (value >> 63);
    }

    static long unZigZag(final long value)
    {
        return (value >>> 1) ^ -(value & 1);
    }
}

package io.tickgate.protocol;

/**
 * Why a feed datagram was rejected. A rejected datagram is dropped whole: none of its messages is applied.
 * Codes index {@link #NAMES}, which the gateway uses as the {@code reason} tag of its malformed counter.
 */
public final class FeedDecodeResult
{
    public static final int OK = 0;
    /** Fewer bytes than the 24-byte header. */
    public static final int SHORT_HEADER = 1;
    /** The first four bytes are not {@code TKF1}. */
    public static final int BAD_MAGIC = 2;
    /** The header's count promises more messages than the datagram holds. */
    public static final int COUNT_OVERRUN = 3;
    /** A message length below the 3 bytes of length and type (0 among them): the rest cannot be walked. */
    public static final int ZERO_LENGTH = 4;
    /** A message length that runs past the end of the datagram. */
    public static final int LENGTH_OVERRUN = 5;
    /** A known message type whose length is shorter than its v1 body. */
    public static final int SHORT_MESSAGE = 6;
    /** More than the 1,472 bytes a v1 datagram may have. */
    public static final int TOO_LONG = 7;
    /** A definition whose symbol is empty or not printable ASCII (0x21 to 0x7E) up to its NUL padding. */
    public static final int BAD_SYMBOL = 8;

    private static final String[] NAMES =
        { "ok", "short_header", "bad_magic", "count_overrun", "zero_length", "length_overrun", "short_message",
          "too_long", "bad_symbol" };

    public static final int REASON_COUNT = NAMES.length;

    private FeedDecodeResult()
    {
    }

    public static String name(final int result)
    {
        return NAMES[result];
    }
}

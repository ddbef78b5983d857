package io.tickgate.protocol;

import org.agrona.DirectBuffer;

import static io.tickgate.protocol.FeedHeaderFlyweight.HEADER_LENGTH;
import static io.tickgate.protocol.FeedHeaderFlyweight.MAGIC;
import static io.tickgate.protocol.FeedHeaderFlyweight.MAX_DATAGRAM_LENGTH;
import static io.tickgate.protocol.FeedMessageDescriptor.*;
import static java.nio.ByteOrder.LITTLE_ENDIAN;

/**
 * Validates a whole feed datagram before it dispatches any message, so a malformed datagram is dropped
 * whole and never half-applied. Messages of types v1 does not define are skipped by their length and
 * counted in {@link #unknownTypes()}.
 * <p>
 * Not thread-safe: one instance per receiving thread. Allocates nothing.
 */
public final class FeedDatagramDecoder
{
    private int unknownTypes;
    private int messageCount;
    private long firstSeq;

    /**
     * @return {@link FeedDecodeResult#OK} after every message went to the handler, else the reason the
     * datagram was dropped (the handler saw nothing).
     */
    public int decode(final DirectBuffer buffer, final int offset, final int length, final FeedMessageHandler handler)
    {
        unknownTypes = 0;
        messageCount = 0;
        final int result = validate(buffer, offset, length);
        if (FeedDecodeResult.OK != result)
        {
            return result;
        }

        dispatchValidated(buffer, offset, handler);
        return FeedDecodeResult.OK;
    }

    /**
     * Dispatches a datagram that {@link #validate} already passed; a receiver that must look at the header
     * between validation and dispatch (sequence tracking) uses it to walk the datagram only once more.
     */
    public void dispatchValidated(final DirectBuffer buffer, final int offset, final FeedMessageHandler handler)
    {
        unknownTypes = 0;
        final int count = FeedHeaderFlyweight.count(buffer, offset);
        firstSeq = FeedHeaderFlyweight.seq(buffer, offset);
        messageCount = count;
        int cursor = offset + HEADER_LENGTH;
        for (int i = 0; i < count; i++)
        {
            final int messageLength = buffer.getShort(cursor + LENGTH_OFFSET, LITTLE_ENDIAN) & 0xFFFF;
            final long seq = firstSeq + i;
            switch (buffer.getByte(cursor + TYPE_OFFSET))
            {
                case TYPE_QUOTE:
                    handler.onQuote(
                        seq,
                        buffer.getInt(cursor + INSTRUMENT_ID_OFFSET, LITTLE_ENDIAN),
                        buffer.getLong(cursor + QUOTE_BID_PRICE_OFFSET, LITTLE_ENDIAN),
                        buffer.getLong(cursor + QUOTE_BID_SIZE_OFFSET, LITTLE_ENDIAN),
                        buffer.getLong(cursor + QUOTE_ASK_PRICE_OFFSET, LITTLE_ENDIAN),
                        buffer.getLong(cursor + QUOTE_ASK_SIZE_OFFSET, LITTLE_ENDIAN),
                        buffer.getLong(cursor + QUOTE_EXCHANGE_TIME_OFFSET, LITTLE_ENDIAN));
                    break;

                case TYPE_TRADE:
                    handler.onTrade(
                        seq,
                        buffer.getInt(cursor + INSTRUMENT_ID_OFFSET, LITTLE_ENDIAN),
                        buffer.getLong(cursor + TRADE_PRICE_OFFSET, LITTLE_ENDIAN),
                        buffer.getLong(cursor + TRADE_SIZE_OFFSET, LITTLE_ENDIAN),
                        buffer.getLong(cursor + TRADE_EXCHANGE_TIME_OFFSET, LITTLE_ENDIAN));
                    break;

                case TYPE_DEFINITION:
                    handler.onDefinition(
                        seq,
                        buffer.getInt(cursor + INSTRUMENT_ID_OFFSET, LITTLE_ENDIAN),
                        buffer.getByte(cursor + DEF_PRICE_SCALE_OFFSET),
                        buffer.getByte(cursor + DEF_SIZE_SCALE_OFFSET),
                        buffer,
                        cursor + DEF_SYMBOL_OFFSET);
                    break;

                default:
                    unknownTypes++;
                    break;
            }
            cursor += messageLength;
        }
    }

    /**
     * Walks the header and every message length without dispatching.
     */
    public static int validate(final DirectBuffer buffer, final int offset, final int length)
    {
        if (length < HEADER_LENGTH)
        {
            return FeedDecodeResult.SHORT_HEADER;
        }
        if (FeedHeaderFlyweight.magic(buffer, offset) != MAGIC)
        {
            return FeedDecodeResult.BAD_MAGIC;
        }
        if (length > MAX_DATAGRAM_LENGTH)
        {
            return FeedDecodeResult.TOO_LONG;
        }

        final int count = FeedHeaderFlyweight.count(buffer, offset);
        final int end = offset + length;
        int cursor = offset + HEADER_LENGTH;
        for (int i = 0; i < count; i++)
        {
            if (end - cursor < MIN_MESSAGE_LENGTH)
            {
                return FeedDecodeResult.COUNT_OVERRUN;
            }
            final int messageLength = buffer.getShort(cursor + LENGTH_OFFSET, LITTLE_ENDIAN) & 0xFFFF;
            if (messageLength < MIN_MESSAGE_LENGTH)
            {
                return FeedDecodeResult.ZERO_LENGTH;
            }
            if (messageLength > end - cursor)
            {
                return FeedDecodeResult.LENGTH_OVERRUN;
            }
            final byte type = buffer.getByte(cursor + TYPE_OFFSET);
            final int minimum = minimumLength(type);
            if (minimum > 0 && messageLength < minimum)
            {
                return FeedDecodeResult.SHORT_MESSAGE;
            }
            if (TYPE_DEFINITION == type && !isValidSymbol(buffer, cursor + DEF_SYMBOL_OFFSET))
            {
                return FeedDecodeResult.BAD_SYMBOL;
            }
            cursor += messageLength;
        }

        return FeedDecodeResult.OK;
    }

    /**
     * A symbol is 1 to 16 printable ASCII characters (no space), NUL-padded: what clients name in JSON requests.
     * Padding is NULs only: a name with more characters after a NUL would otherwise be cut there, and two
     * different names could become one.
     */
    private static boolean isValidSymbol(final DirectBuffer buffer, final int offset)
    {
        int length = 0;
        while (length < SYMBOL_LENGTH && 0 != buffer.getByte(offset + length))
        {
            final byte b = buffer.getByte(offset + length);
            if (b < 0x21 || b > 0x7E)
            {
                return false;
            }
            length++;
        }
        for (int i = length; i < SYMBOL_LENGTH; i++)
        {
            if (0 != buffer.getByte(offset + i))
            {
                return false;
            }
        }
        return length > 0;
    }

    /**
     * Messages of undefined types skipped in the last datagram decoded.
     */
    public int unknownTypes()
    {
        return unknownTypes;
    }

    /**
     * Messages in the last datagram decoded, 0 if it was rejected.
     */
    public int messageCount()
    {
        return messageCount;
    }

    /**
     * Feed sequence number of the first message of the last valid datagram.
     */
    public long firstSeq()
    {
        return firstSeq;
    }
}

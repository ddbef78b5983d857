package io.tickgate.protocol;

import org.agrona.MutableDirectBuffer;

import static io.tickgate.protocol.FeedHeaderFlyweight.HEADER_LENGTH;
import static io.tickgate.protocol.FeedHeaderFlyweight.MAX_DATAGRAM_LENGTH;
import static io.tickgate.protocol.FeedMessageDescriptor.*;
import static java.nio.ByteOrder.LITTLE_ENDIAN;

/**
 * Builds one feed datagram in place: {@link #begin} writes the header, each {@code add} appends a message
 * and bumps the header's count, and refuses (returns false) once the message would pass 1,472 bytes.
 * <p>
 * Not thread-safe: one instance per sending thread. Allocates nothing.
 */
public final class FeedDatagramEncoder
{
    private final FeedHeaderFlyweight header = new FeedHeaderFlyweight();
    private MutableDirectBuffer buffer;
    private int offset;
    private int limit;
    private int count;

    public FeedDatagramEncoder wrap(final MutableDirectBuffer buffer, final int offset)
    {
        this.buffer = buffer;
        this.offset = offset;
        header.wrap(buffer, offset);
        return this;
    }

    /**
     * Starts a datagram whose first message has feed sequence number {@code seq}.
     */
    public FeedDatagramEncoder begin(final long seq, final long sendTimeNs)
    {
        header.magic(FeedHeaderFlyweight.MAGIC).count(0).reserved(0).seq(seq).sendTime(sendTimeNs);
        limit = offset + HEADER_LENGTH;
        count = 0;
        return this;
    }

    public boolean addQuote(
        final int instrumentId,
        final long bidPrice,
        final long bidSize,
        final long askPrice,
        final long askSize,
        final long exchangeTimeNs)
    {
        final int at = claim(QUOTE_LENGTH, TYPE_QUOTE, instrumentId);
        if (at < 0)
        {
            return false;
        }
        buffer.putLong(at + QUOTE_BID_PRICE_OFFSET, bidPrice, LITTLE_ENDIAN);
        buffer.putLong(at + QUOTE_BID_SIZE_OFFSET, bidSize, LITTLE_ENDIAN);
        buffer.putLong(at + QUOTE_ASK_PRICE_OFFSET, askPrice, LITTLE_ENDIAN);
        buffer.putLong(at + QUOTE_ASK_SIZE_OFFSET, askSize, LITTLE_ENDIAN);
        buffer.putLong(at + QUOTE_EXCHANGE_TIME_OFFSET, exchangeTimeNs, LITTLE_ENDIAN);
        return true;
    }

    public boolean addTrade(final int instrumentId, final long price, final long size, final long exchangeTimeNs)
    {
        final int at = claim(TRADE_LENGTH, TYPE_TRADE, instrumentId);
        if (at < 0)
        {
            return false;
        }
        buffer.putLong(at + TRADE_PRICE_OFFSET, price, LITTLE_ENDIAN);
        buffer.putLong(at + TRADE_SIZE_OFFSET, size, LITTLE_ENDIAN);
        buffer.putLong(at + TRADE_EXCHANGE_TIME_OFFSET, exchangeTimeNs, LITTLE_ENDIAN);
        return true;
    }

    /**
     * @param symbol ASCII, at most 16 characters; longer symbols are refused with an exception since a
     *               definition is set up once, never per tick.
     */
    public boolean addDefinition(
        final int instrumentId, final int priceScale, final int sizeScale, final CharSequence symbol)
    {
        if (symbol.length() > SYMBOL_LENGTH || symbol.length() == 0)
        {
            throw new IllegalArgumentException("symbol must have 1 to 16 ASCII characters: " + symbol);
        }
        final int at = claim(DEFINITION_LENGTH, TYPE_DEFINITION, instrumentId);
        if (at < 0)
        {
            return false;
        }
        buffer.putByte(at + DEF_PRICE_SCALE_OFFSET, (byte)priceScale);
        buffer.putByte(at + DEF_SIZE_SCALE_OFFSET, (byte)sizeScale);
        buffer.putShort(at + DEF_PAD_OFFSET, (short)0, LITTLE_ENDIAN);
        for (int i = 0; i < SYMBOL_LENGTH; i++)
        {
            buffer.putByte(at + DEF_SYMBOL_OFFSET + i, i < symbol.length() ? (byte)symbol.charAt(i) : 0);
        }
        return true;
    }

    private int claim(final int length, final byte type, final int instrumentId)
    {
        if (limit + length > offset + MAX_DATAGRAM_LENGTH)
        {
            return -1;
        }
        final int at = limit;
        buffer.putShort(at + LENGTH_OFFSET, (short)length, LITTLE_ENDIAN);
        buffer.putByte(at + TYPE_OFFSET, type);
        buffer.putByte(at + PAD_OFFSET, (byte)0);
        buffer.putInt(at + INSTRUMENT_ID_OFFSET, instrumentId, LITTLE_ENDIAN);
        limit += length;
        header.count(++count);
        return at;
    }

    public int count()
    {
        return count;
    }

    /**
     * Bytes of the datagram so far, header included.
     */
    public int length()
    {
        return limit - offset;
    }

    public boolean isEmpty()
    {
        return 0 == count;
    }
}

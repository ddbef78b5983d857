package io.tickgate.protocol;

/**
 * Byte layout of the three v1 feed messages. Every message starts with {@code u16 length} (the whole
 * message) and {@code u8 type}, so a receiver can skip types it does not know.
 * <pre>
 *  common   0 u16 length | 2 u8 type | 3 u8 pad | 4 u32 instrumentId
 *  D (0x44) 8 i8 priceScale | 9 i8 sizeScale | 10 u16 pad | 12 char[16] symbol (ASCII, NUL-padded) = 28 bytes
 *  Q (0x51) 8 bidPrice | 16 bidSize | 24 askPrice | 32 askSize | 40 exchangeTime (all i64)    = 48 bytes
 *  T (0x54) 8 price | 16 size | 24 exchangeTime (all i64)                                     = 32 bytes
 * </pre>
 */
public final class FeedMessageDescriptor
{
    public static final byte TYPE_DEFINITION = 'D';
    public static final byte TYPE_QUOTE = 'Q';
    public static final byte TYPE_TRADE = 'T';

    public static final int LENGTH_OFFSET = 0;
    public static final int TYPE_OFFSET = LENGTH_OFFSET + Short.BYTES;
    public static final int PAD_OFFSET = TYPE_OFFSET + Byte.BYTES;
    public static final int INSTRUMENT_ID_OFFSET = PAD_OFFSET + Byte.BYTES;
    /** The smallest message a receiver can read the length and type of. */
    public static final int MIN_MESSAGE_LENGTH = PAD_OFFSET;

    public static final int DEF_PRICE_SCALE_OFFSET = INSTRUMENT_ID_OFFSET + Integer.BYTES;
    public static final int DEF_SIZE_SCALE_OFFSET = DEF_PRICE_SCALE_OFFSET + Byte.BYTES;
    public static final int DEF_PAD_OFFSET = DEF_SIZE_SCALE_OFFSET + Byte.BYTES;
    public static final int DEF_SYMBOL_OFFSET = DEF_PAD_OFFSET + Short.BYTES;
    public static final int SYMBOL_LENGTH = 16;
    public static final int DEFINITION_LENGTH = DEF_SYMBOL_OFFSET + SYMBOL_LENGTH;

    public static final int QUOTE_BID_PRICE_OFFSET = INSTRUMENT_ID_OFFSET + Integer.BYTES;
    public static final int QUOTE_BID_SIZE_OFFSET = QUOTE_BID_PRICE_OFFSET + Long.BYTES;
    public static final int QUOTE_ASK_PRICE_OFFSET = QUOTE_BID_SIZE_OFFSET + Long.BYTES;
    public static final int QUOTE_ASK_SIZE_OFFSET = QUOTE_ASK_PRICE_OFFSET + Long.BYTES;
    public static final int QUOTE_EXCHANGE_TIME_OFFSET = QUOTE_ASK_SIZE_OFFSET + Long.BYTES;
    public static final int QUOTE_LENGTH = QUOTE_EXCHANGE_TIME_OFFSET + Long.BYTES;

    public static final int TRADE_PRICE_OFFSET = INSTRUMENT_ID_OFFSET + Integer.BYTES;
    public static final int TRADE_SIZE_OFFSET = TRADE_PRICE_OFFSET + Long.BYTES;
    public static final int TRADE_EXCHANGE_TIME_OFFSET = TRADE_SIZE_OFFSET + Long.BYTES;
    public static final int TRADE_LENGTH = TRADE_EXCHANGE_TIME_OFFSET + Long.BYTES;

    private FeedMessageDescriptor()
    {
    }

    /**
     * The least length a message of a known type must have, or -1 for a type v1 does not define.
     */
    public static int minimumLength(final int type)
    {
        switch (type)
        {
            case TYPE_DEFINITION:
                return DEFINITION_LENGTH;
            case TYPE_QUOTE:
                return QUOTE_LENGTH;
            case TYPE_TRADE:
                return TRADE_LENGTH;
            default:
                return -1;
        }
    }
}

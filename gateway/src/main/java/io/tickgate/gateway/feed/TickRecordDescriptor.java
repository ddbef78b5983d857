package io.tickgate.gateway.feed;

/**
 * Layout of the one fixed-size record each tick becomes in the ingress ring (native byte order: the ring never
 * leaves the process). The ring's message type says which kind of tick it is.
 * <pre>
 *   0 i32 sid | 4 i32 sourceId | 8 i64 feedSeq | 16 i64 exchangeTime | 24 i64 ingestTime
 *  32 i64 price1 (quote: bidPrice, trade: price) | 40 i64 size1 (bidSize, size)
 *  48 i64 price2 (quote: askPrice) | 56 i64 size2 (quote: askSize)           = 64 bytes
 * </pre>
 */
public final class TickRecordDescriptor
{
    public static final int MSG_TYPE_QUOTE = 1;
    public static final int MSG_TYPE_TRADE = 2;
    /**
     * No tick: the symbol's source no longer maps any instrument id to it (a redefinition refused, its id given to
     * another symbol), so its value is frozen and goes stale. Only sid and sourceId are set. Never recorded.
     */
    public static final int MSG_TYPE_UNMAPPED = 3;
    /** No tick: the symbol is mapped from an instrument id again; its next tick clears the stale flag. */
    public static final int MSG_TYPE_MAPPED = 4;

    public static final int SID_OFFSET = 0;
    public static final int SOURCE_ID_OFFSET = SID_OFFSET + Integer.BYTES;
    public static final int FEED_SEQ_OFFSET = SOURCE_ID_OFFSET + Integer.BYTES;
    public static final int EXCHANGE_TIME_OFFSET = FEED_SEQ_OFFSET + Long.BYTES;
    public static final int INGEST_TIME_OFFSET = EXCHANGE_TIME_OFFSET + Long.BYTES;
    public static final int PRICE1_OFFSET = INGEST_TIME_OFFSET + Long.BYTES;
    public static final int SIZE1_OFFSET = PRICE1_OFFSET + Long.BYTES;
    public static final int PRICE2_OFFSET = SIZE1_OFFSET + Long.BYTES;
    public static final int SIZE2_OFFSET = PRICE2_OFFSET + Long.BYTES;
    public static final int RECORD_LENGTH = SIZE2_OFFSET + Long.BYTES;

    private TickRecordDescriptor()
    {
    }
}

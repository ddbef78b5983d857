package io.tickgate.protocol;

/**
 * Byte layout of the binary frames the gateway sends to clients.
 * <pre>
 *  Header, 24 bytes
 *   0 u8 version = 1 | 1 u8 kind (1 UPDATE, 2 SNAPSHOT, 3 HEARTBEAT) | 2 u16 count | 4 u32 reserved
 *   8 u64 frameSeq (1 for the session's first binary frame, then +1)
 *  16 i64 sendTime (gateway clock when the frame was encoded)
 *
 *  Then count entries of 80 bytes
 *   0 u32 sid | 4 u16 flags (bit 0 quote, bit 1 trade, bit 2 stale) | 6 u16 conflated | 8 u64 seq
 *  16 bidPrice | 24 bidSize | 32 askPrice | 40 askSize | 48 lastPrice | 56 lastSize
 *  64 exchangeTime | 72 ingestTime (all i64)
 * </pre>
 */
public final class FrameDescriptor
{
    public static final byte VERSION = 1;

    public static final byte KIND_UPDATE = 1;
    public static final byte KIND_SNAPSHOT = 2;
    public static final byte KIND_HEARTBEAT = 3;

    public static final int VERSION_OFFSET = 0;
    public static final int KIND_OFFSET = VERSION_OFFSET + Byte.BYTES;
    public static final int COUNT_OFFSET = KIND_OFFSET + Byte.BYTES;
    public static final int RESERVED_OFFSET = COUNT_OFFSET + Short.BYTES;
    public static final int FRAME_SEQ_OFFSET = RESERVED_OFFSET + Integer.BYTES;
    public static final int SEND_TIME_OFFSET = FRAME_SEQ_OFFSET + Long.BYTES;
    public static final int HEADER_LENGTH = SEND_TIME_OFFSET + Long.BYTES;

    public static final int SID_OFFSET = 0;
    public static final int FLAGS_OFFSET = SID_OFFSET + Integer.BYTES;
    public static final int CONFLATED_OFFSET = FLAGS_OFFSET + Short.BYTES;
    public static final int SEQ_OFFSET = CONFLATED_OFFSET + Short.BYTES;
    public static final int BID_PRICE_OFFSET = SEQ_OFFSET + Long.BYTES;
    public static final int BID_SIZE_OFFSET = BID_PRICE_OFFSET + Long.BYTES;
    public static final int ASK_PRICE_OFFSET = BID_SIZE_OFFSET + Long.BYTES;
    public static final int ASK_SIZE_OFFSET = ASK_PRICE_OFFSET + Long.BYTES;
    public static final int LAST_PRICE_OFFSET = ASK_SIZE_OFFSET + Long.BYTES;
    public static final int LAST_SIZE_OFFSET = LAST_PRICE_OFFSET + Long.BYTES;
    public static final int EXCHANGE_TIME_OFFSET = LAST_SIZE_OFFSET + Long.BYTES;
    public static final int INGEST_TIME_OFFSET = EXCHANGE_TIME_OFFSET + Long.BYTES;
    public static final int ENTRY_LENGTH = INGEST_TIME_OFFSET + Long.BYTES;

    public static final int FLAG_QUOTE = 1;
    public static final int FLAG_TRADE = 1 << 1;
    public static final int FLAG_STALE = 1 << 2;

    public static final int MAX_CONFLATED = 0xFFFF;
    /** A frame's count is a u16. */
    public static final int MAX_ENTRIES = 0xFFFF;

    private FrameDescriptor()
    {
    }

    public static int entryOffset(final int index)
    {
        return HEADER_LENGTH + index * ENTRY_LENGTH;
    }

    public static int frameLength(final int entries)
    {
        return HEADER_LENGTH + entries * ENTRY_LENGTH;
    }
}

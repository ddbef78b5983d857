package io.tickgate.protocol;

import java.nio.ByteBuffer;
import java.util.Arrays;

import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static java.nio.ByteOrder.LITTLE_ENDIAN;
import static org.assertj.core.api.Assertions.assertThat;

class FrameFlyweightTest
{
    private static final byte FILL = (byte)0xA5;
    private static final long FRAME_SEQ = 0x8877_6655_4433_2211L;
    private static final long SEND_TIME = -1_764_000_000_000_000_001L;
    private static final long BIG = (1L << 53) + 1;

    private final byte[] bytes = new byte[24 + 2 * 80 + 16];
    private final UnsafeBuffer buffer = new UnsafeBuffer(bytes);
    private final FrameFlyweight frame = new FrameFlyweight();

    @BeforeEach
    void fillWithGarbage()
    {
        Arrays.fill(bytes, FILL);
    }

    @Test
    void shouldWriteHeaderAtProtocolOffsetsWhenEncodingUpdate()
    {
        encodeTwoEntries();

        final ByteBuffer raw = littleEndian(bytes);
        assertThat(bytes[0]).isEqualTo((byte)1);
        assertThat(bytes[1]).isEqualTo((byte)1);
        assertThat(raw.getShort(2) & 0xFFFF).isEqualTo(2);
        assertThat(raw.getInt(4)).isZero();
        assertThat(raw.getLong(8)).isEqualTo(FRAME_SEQ);
        assertThat(Arrays.copyOfRange(bytes, 8, 16)).containsExactly(
            0x11, 0x22, 0x33, 0x44, 0x55, 0x66, 0x77, 0x88);
        assertThat(raw.getLong(16)).isEqualTo(SEND_TIME);
    }

    @Test
    void shouldWriteFirstEntryAtOffset24WhenEncodingUpdate()
    {
        encodeTwoEntries();

        final ByteBuffer raw = littleEndian(bytes);
        final int e = 24;
        assertThat(raw.getInt(e)).isEqualTo(3);
        assertThat(raw.getShort(e + 4) & 0xFFFF).isEqualTo(0b011);
        assertThat(raw.getShort(e + 6) & 0xFFFF).isEqualTo(12);
        assertThat(raw.getLong(e + 8)).isEqualTo(1L);
        assertThat(raw.getLong(e + 16)).isEqualTo(-1_500_000L);
        assertThat(raw.getLong(e + 24)).isEqualTo(BIG);
        assertThat(raw.getLong(e + 32)).isEqualTo(1_500_100L);
        assertThat(raw.getLong(e + 40)).isEqualTo(-BIG);
        assertThat(raw.getLong(e + 48)).isEqualTo(1_500_050L);
        assertThat(raw.getLong(e + 56)).isEqualTo(Long.MAX_VALUE);
        assertThat(raw.getLong(e + 64)).isEqualTo(1_764_000_000_000_000_001L);
        assertThat(raw.getLong(e + 72)).isEqualTo(1_764_000_000_000_000_002L);
    }

    @Test
    void shouldWriteSecondEntryAtOffset104WhenEncodingUpdate()
    {
        encodeTwoEntries();

        final ByteBuffer raw = littleEndian(bytes);
        final int e = 24 + 80;
        assertThat(Arrays.copyOfRange(bytes, e, e + 4)).containsExactly(0xFE, 0xFF, 0xFF, 0xFF);
        assertThat(raw.getShort(e + 4) & 0xFFFF).isEqualTo(0b100);
        assertThat(raw.getShort(e + 6) & 0xFFFF).isZero();
        assertThat(raw.getLong(e + 8)).isEqualTo(BIG);
        assertThat(raw.getLong(e + 16)).isEqualTo(Long.MIN_VALUE);
        assertThat(raw.getLong(e + 24)).isEqualTo(-1L);
        assertThat(raw.getLong(e + 32)).isEqualTo(0x0102_0304_0506_0708L);
        assertThat(Arrays.copyOfRange(bytes, e + 32, e + 40)).containsExactly(
            0x08, 0x07, 0x06, 0x05, 0x04, 0x03, 0x02, 0x01);
        assertThat(raw.getLong(e + 40)).isEqualTo(7L);
        assertThat(raw.getLong(e + 48)).isEqualTo(-7L);
        assertThat(raw.getLong(e + 56)).isEqualTo(BIG + 1);
        assertThat(raw.getLong(e + 64)).isZero();
        assertThat(raw.getLong(e + 72)).isEqualTo(-BIG);
    }

    @Test
    void shouldLeaveBytesPastLastEntryUntouchedWhenEncodingUpdate()
    {
        encodeTwoEntries();

        assertThat(Arrays.copyOfRange(bytes, 24 + 2 * 80, bytes.length)).containsOnly(FILL);
    }

    @Test
    void shouldSaturateConflatedAt65535WhenGiven70000()
    {
        frame.wrap(buffer, 0).header(FrameDescriptor.KIND_UPDATE, 1, 1, 0);

        frame.entry(0, 1, FrameDescriptor.FLAG_QUOTE, 70_000, 1, 0, 0, 0, 0, 0, 0, 0, 0);

        assertThat(Arrays.copyOfRange(bytes, 24 + 6, 24 + 8)).containsExactly(0xFF, 0xFF);
        assertThat(frame.conflated(0)).isEqualTo(65_535);
        assertThat(littleEndian(bytes).getShort(24 + 4) & 0xFFFF).isEqualTo(FrameDescriptor.FLAG_QUOTE);
    }

    @Test
    void shouldKeepConflatedWhenExactly65535()
    {
        frame.wrap(buffer, 0).header(FrameDescriptor.KIND_UPDATE, 1, 1, 0);

        frame.entry(0, 1, FrameDescriptor.FLAG_QUOTE, 65_535, 1, 0, 0, 0, 0, 0, 0, 0, 0);

        assertThat(frame.conflated(0)).isEqualTo(65_535);
    }

    @Test
    void shouldWriteOnlyHeaderWhenEncodingHeartbeat()
    {
        frame.wrap(buffer, 0).header(FrameDescriptor.KIND_HEARTBEAT, 0, 7, SEND_TIME);

        final ByteBuffer raw = littleEndian(bytes);
        assertThat(bytes[0]).isEqualTo((byte)1);
        assertThat(bytes[1]).isEqualTo((byte)3);
        assertThat(raw.getShort(2)).isZero();
        assertThat(raw.getInt(4)).isZero();
        assertThat(raw.getLong(8)).isEqualTo(7L);
        assertThat(raw.getLong(16)).isEqualTo(SEND_TIME);
        assertThat(Arrays.copyOfRange(bytes, 24, bytes.length)).containsOnly(FILL);
    }

    @Test
    void shouldRewriteOnlyCountWhenCountIsPatchedAfterEntries()
    {
        frame.wrap(buffer, 0).header(FrameDescriptor.KIND_SNAPSHOT, 0, FRAME_SEQ, SEND_TIME);

        frame.count(0xFFFF);

        final ByteBuffer raw = littleEndian(bytes);
        assertThat(bytes[1]).isEqualTo((byte)2);
        assertThat(Arrays.copyOfRange(bytes, 2, 4)).containsExactly(0xFF, 0xFF);
        assertThat(raw.getInt(4)).isZero();
        assertThat(raw.getLong(8)).isEqualTo(FRAME_SEQ);
        assertThat(frame.count()).isEqualTo(65_535);
    }

    @Test
    void shouldWriteAtWrapOffsetWhenWrappedAtNonZeroOffset()
    {
        final int offset = 8;

        frame.wrap(buffer, offset).header(FrameDescriptor.KIND_SNAPSHOT, 1, FRAME_SEQ, SEND_TIME)
            .entry(0, 77, FrameDescriptor.FLAG_TRADE, 0, 5, 1, 2, 3, 4, 5, 6, 7, 8);

        final ByteBuffer raw = littleEndian(bytes);
        assertThat(Arrays.copyOfRange(bytes, 0, offset)).containsOnly(FILL);
        assertThat(bytes[offset]).isEqualTo((byte)1);
        assertThat(bytes[offset + 1]).isEqualTo((byte)2);
        assertThat(raw.getLong(offset + 8)).isEqualTo(FRAME_SEQ);
        assertThat(raw.getInt(offset + 24)).isEqualTo(77);
        assertThat(raw.getLong(offset + 24 + 72)).isEqualTo(8L);
        assertThat(bytes[offset + 24 + 80]).isEqualTo(FILL);
    }

    @Test
    void shouldDecodeRawBytesWhenReadingThroughGetters()
    {
        final ByteBuffer raw = littleEndian(bytes);
        raw.put(0, (byte)1).put(1, (byte)2).putShort(2, (short)0xFFFF).putInt(4, 0)
            .putLong(8, FRAME_SEQ).putLong(16, SEND_TIME);
        final int e = 24 + 80;
        raw.putInt(e, 0xFFFF_FFFE).putShort(e + 4, (short)0xFFFF).putShort(e + 6, (short)0x8001)
            .putLong(e + 8, BIG)
            .putLong(e + 16, -11L).putLong(e + 24, 12L).putLong(e + 32, -13L).putLong(e + 40, 14L)
            .putLong(e + 48, Long.MIN_VALUE).putLong(e + 56, Long.MAX_VALUE)
            .putLong(e + 64, 0x0102_0304_0506_0708L).putLong(e + 72, -BIG);

        frame.wrap(buffer, 0);

        assertThat(frame.version()).isEqualTo(1);
        assertThat(frame.kind()).isEqualTo(2);
        assertThat(frame.count()).isEqualTo(65_535);
        assertThat(frame.frameSeq()).isEqualTo(FRAME_SEQ);
        assertThat(frame.sendTime()).isEqualTo(SEND_TIME);
        assertThat(Integer.toUnsignedLong(frame.sid(1))).isEqualTo(0xFFFF_FFFEL);
        assertThat(frame.flags(1)).isEqualTo(65_535);
        assertThat(frame.conflated(1)).isEqualTo(0x8001);
        assertThat(frame.seq(1)).isEqualTo(BIG);
        assertThat(frame.bidPrice(1)).isEqualTo(-11L);
        assertThat(frame.bidSize(1)).isEqualTo(12L);
        assertThat(frame.askPrice(1)).isEqualTo(-13L);
        assertThat(frame.askSize(1)).isEqualTo(14L);
        assertThat(frame.lastPrice(1)).isEqualTo(Long.MIN_VALUE);
        assertThat(frame.lastSize(1)).isEqualTo(Long.MAX_VALUE);
        assertThat(frame.exchangeTime(1)).isEqualTo(0x0102_0304_0506_0708L);
        assertThat(frame.ingestTime(1)).isEqualTo(-BIG);
        assertThat(frame.buffer()).isSameAs(buffer);
    }

    @Test
    void shouldMatchProtocolWhenReadingDescriptorConstants()
    {
        assertThat(FrameDescriptor.VERSION).isEqualTo((byte)1);
        assertThat(FrameDescriptor.HEADER_LENGTH).isEqualTo(24);
        assertThat(FrameDescriptor.ENTRY_LENGTH).isEqualTo(80);
        assertThat(FrameDescriptor.FLAG_QUOTE).isEqualTo(1);
        assertThat(FrameDescriptor.FLAG_TRADE).isEqualTo(2);
        assertThat(FrameDescriptor.FLAG_STALE).isEqualTo(4);
        assertThat(FrameDescriptor.KIND_UPDATE).isEqualTo((byte)1);
        assertThat(FrameDescriptor.KIND_SNAPSHOT).isEqualTo((byte)2);
        assertThat(FrameDescriptor.KIND_HEARTBEAT).isEqualTo((byte)3);
        assertThat(FrameDescriptor.MAX_CONFLATED).isEqualTo(65_535);
        assertThat(FrameDescriptor.MAX_ENTRIES).isEqualTo(65_535);
        assertThat(FrameDescriptor.entryOffset(0)).isEqualTo(24);
        assertThat(FrameDescriptor.entryOffset(2)).isEqualTo(184);
        assertThat(FrameDescriptor.frameLength(0)).isEqualTo(24);
        assertThat(FrameDescriptor.frameLength(2)).isEqualTo(184);
    }

    private void encodeTwoEntries()
    {
        frame.wrap(buffer, 0)
            .header(FrameDescriptor.KIND_UPDATE, 2, FRAME_SEQ, SEND_TIME)
            .entry(0, 3, FrameDescriptor.FLAG_QUOTE | FrameDescriptor.FLAG_TRADE, 12, 1L,
                -1_500_000L, BIG, 1_500_100L, -BIG, 1_500_050L, Long.MAX_VALUE,
                1_764_000_000_000_000_001L, 1_764_000_000_000_000_002L)
            .entry(1, 0xFFFF_FFFE, FrameDescriptor.FLAG_STALE, 0, BIG,
                Long.MIN_VALUE, -1L, 0x0102_0304_0506_0708L, 7L, -7L, BIG + 1,
                0L, -BIG);
    }

    private static ByteBuffer littleEndian(final byte[] bytes)
    {
        return ByteBuffer.wrap(bytes).order(LITTLE_ENDIAN);
    }
}

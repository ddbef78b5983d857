package io.tickgate.protocol;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static java.nio.ByteOrder.LITTLE_ENDIAN;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class FeedDatagramEncoderTest
{
    private static final int MAX_DATAGRAM = 1472;
    private static final byte FILL = (byte)0xA5;

    private static final long SEQ = 0x0123_4567_89AB_CDEFL;
    private static final long SEND_TIME = -1_764_000_000_123_456_789L;

    private static final int DEF_ID = 0x8000_0007;
    private static final int DEF_PRICE_SCALE = -2;
    private static final int DEF_SIZE_SCALE = 3;
    private static final String DEF_SYMBOL = "BRK.B";

    private static final int QUOTE_ID = 42;
    private static final long BID = -1_234_567L;
    private static final long BID_SIZE = (1L << 53) + 1;
    private static final long ASK = 0x7FFF_FFFF_FFFF_FFFEL;
    private static final long ASK_SIZE = Long.MIN_VALUE + 1;
    private static final long QUOTE_TIME = 1_764_000_000_000_000_001L;

    private static final int TRADE_ID = 0xCAFE;
    private static final long PRICE = -((1L << 53) + 1);
    private static final long SIZE = 0x0102_0304_0506_0708L;
    private static final long TRADE_TIME = -1L;

    private final byte[] bytes = new byte[MAX_DATAGRAM];
    private final UnsafeBuffer buffer = new UnsafeBuffer(bytes);
    private final FeedDatagramEncoder encoder = new FeedDatagramEncoder();

    @BeforeEach
    void fillWithGarbage()
    {
        Arrays.fill(bytes, FILL);
    }

    @Test
    void shouldWriteHeaderAtProtocolOffsetsWhenBeginningDatagram()
    {
        encodeDefinitionQuoteTrade();

        final ByteBuffer raw = littleEndian(bytes);
        assertThat(bytes[0]).isEqualTo((byte)'T');
        assertThat(bytes[1]).isEqualTo((byte)'K');
        assertThat(bytes[2]).isEqualTo((byte)'F');
        assertThat(bytes[3]).isEqualTo((byte)'1');
        assertThat(raw.getInt(0)).isEqualTo(0x31464B54);
        assertThat(raw.getShort(4) & 0xFFFF).isEqualTo(3);
        assertThat(raw.getShort(6)).isZero();
        assertThat(raw.getLong(8)).isEqualTo(SEQ);
        assertThat(Arrays.copyOfRange(bytes, 8, 16)).containsExactly(
            0xEF, 0xCD, 0xAB, 0x89, 0x67, 0x45, 0x23, 0x01);
        assertThat(raw.getLong(16)).isEqualTo(SEND_TIME);
    }

    @Test
    void shouldWriteDefinitionAtProtocolOffsetsWhenAddingDefinition()
    {
        encodeDefinitionQuoteTrade();

        final ByteBuffer raw = littleEndian(bytes);
        final int d = 24;
        assertThat(raw.getShort(d) & 0xFFFF).isEqualTo(28);
        assertThat(bytes[d + 2]).isEqualTo((byte)0x44);
        assertThat(bytes[d + 3]).isZero();
        assertThat(raw.getInt(d + 4)).isEqualTo(DEF_ID);
        assertThat(Arrays.copyOfRange(bytes, d + 4, d + 8)).containsExactly(0x07, 0x00, 0x00, 0x80);
        assertThat(bytes[d + 8]).isEqualTo((byte)-2);
        assertThat(bytes[d + 9]).isEqualTo((byte)3);
        assertThat(raw.getShort(d + 10)).isZero();
        final byte[] expectedSymbol = new byte[16];
        System.arraycopy(DEF_SYMBOL.getBytes(StandardCharsets.US_ASCII), 0, expectedSymbol, 0, DEF_SYMBOL.length());
        assertThat(Arrays.copyOfRange(bytes, d + 12, d + 28)).containsExactly(expectedSymbol);
    }

    @Test
    void shouldWriteQuoteAtProtocolOffsetsWhenAddingQuote()
    {
        encodeDefinitionQuoteTrade();

        final ByteBuffer raw = littleEndian(bytes);
        final int q = 24 + 28;
        assertThat(raw.getShort(q) & 0xFFFF).isEqualTo(48);
        assertThat(bytes[q + 2]).isEqualTo((byte)0x51);
        assertThat(bytes[q + 3]).isZero();
        assertThat(raw.getInt(q + 4)).isEqualTo(QUOTE_ID);
        assertThat(raw.getLong(q + 8)).isEqualTo(BID);
        assertThat(raw.getLong(q + 16)).isEqualTo(BID_SIZE);
        assertThat(raw.getLong(q + 24)).isEqualTo(ASK);
        assertThat(raw.getLong(q + 32)).isEqualTo(ASK_SIZE);
        assertThat(raw.getLong(q + 40)).isEqualTo(QUOTE_TIME);
        assertThat(Arrays.copyOfRange(bytes, q + 8, q + 16)).containsExactly(
            0x79, 0x29, 0xED, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF);
    }

    @Test
    void shouldWriteTradeAtProtocolOffsetsWhenAddingTrade()
    {
        encodeDefinitionQuoteTrade();

        final ByteBuffer raw = littleEndian(bytes);
        final int t = 24 + 28 + 48;
        assertThat(raw.getShort(t) & 0xFFFF).isEqualTo(32);
        assertThat(bytes[t + 2]).isEqualTo((byte)0x54);
        assertThat(bytes[t + 3]).isZero();
        assertThat(raw.getInt(t + 4)).isEqualTo(TRADE_ID);
        assertThat(raw.getLong(t + 8)).isEqualTo(PRICE);
        assertThat(raw.getLong(t + 16)).isEqualTo(SIZE);
        assertThat(Arrays.copyOfRange(bytes, t + 16, t + 24)).containsExactly(
            0x08, 0x07, 0x06, 0x05, 0x04, 0x03, 0x02, 0x01);
        assertThat(raw.getLong(t + 24)).isEqualTo(TRADE_TIME);
    }

    @Test
    void shouldReportLengthAndLeaveBytesPastEndUntouchedWhenEncodingThreeMessages()
    {
        encodeDefinitionQuoteTrade();

        final int end = 24 + 28 + 48 + 32;
        assertThat(encoder.count()).isEqualTo(3);
        assertThat(encoder.length()).isEqualTo(end);
        assertThat(encoder.isEmpty()).isFalse();
        for (int i = end; i < MAX_DATAGRAM; i++)
        {
            assertThat(bytes[i]).as("byte %d", i).isEqualTo(FILL);
        }
    }

    @Test
    void shouldAcceptMessageEndingExactlyAtMaxLengthWhenFilling()
    {
        encoder.wrap(buffer, 0).begin(1, 0);
        for (int i = 0; i < 29; i++)
        {
            assertThat(encoder.addQuote(i, i, i, i, i, i)).isTrue();
        }
        assertThat(encoder.addDefinition(100, 0, 0, "A")).isTrue();

        assertThat(encoder.addDefinition(101, 0, 0, "B")).isTrue();

        assertThat(encoder.length()).isEqualTo(MAX_DATAGRAM);
        assertThat(encoder.count()).isEqualTo(31);
        assertThat(littleEndian(bytes).getShort(4) & 0xFFFF).isEqualTo(31);
        assertThat(encoder.addDefinition(102, 0, 0, "C")).isFalse();
        assertThat(encoder.count()).isEqualTo(31);
    }

    @Test
    void shouldRefuseMessageAndKeepCountWhenItWouldPassMaxLength()
    {
        encoder.wrap(buffer, 0).begin(SEQ, SEND_TIME);
        int accepted = 0;
        while (encoder.addQuote(accepted, BID, BID_SIZE, ASK, ASK_SIZE, QUOTE_TIME))
        {
            accepted++;
        }

        final int used = 24 + 30 * 48;
        assertThat(accepted).isEqualTo(30);
        assertThat(encoder.addTrade(TRADE_ID, PRICE, SIZE, TRADE_TIME)).isFalse();
        assertThat(encoder.addDefinition(DEF_ID, DEF_PRICE_SCALE, DEF_SIZE_SCALE, DEF_SYMBOL)).isFalse();
        assertThat(encoder.count()).isEqualTo(30);
        assertThat(encoder.length()).isEqualTo(used);
        assertThat(littleEndian(bytes).getShort(4) & 0xFFFF).isEqualTo(30);
        for (int i = used; i < MAX_DATAGRAM; i++)
        {
            assertThat(bytes[i]).as("byte %d", i).isEqualTo(FILL);
        }
    }

    @Test
    void shouldApplyMaxLengthFromWrapOffsetWhenWrappedAtNonZeroOffset()
    {
        final int offset = 16;
        final byte[] larger = new byte[offset + MAX_DATAGRAM];
        Arrays.fill(larger, FILL);
        encoder.wrap(new UnsafeBuffer(larger), offset).begin(SEQ, SEND_TIME);

        int accepted = 0;
        while (encoder.addQuote(accepted, BID, BID_SIZE, ASK, ASK_SIZE, QUOTE_TIME))
        {
            accepted++;
        }

        final ByteBuffer raw = littleEndian(larger);
        assertThat(accepted).isEqualTo(30);
        assertThat(encoder.length()).isEqualTo(24 + 30 * 48);
        assertThat(Arrays.copyOfRange(larger, 0, offset)).containsOnly(FILL);
        assertThat(raw.getInt(offset)).isEqualTo(0x31464B54);
        assertThat(raw.getShort(offset + 4) & 0xFFFF).isEqualTo(30);
        assertThat(raw.getLong(offset + 8)).isEqualTo(SEQ);
        assertThat(raw.getShort(offset + 24) & 0xFFFF).isEqualTo(48);
        assertThat(larger[offset + 26]).isEqualTo((byte)'Q');
        assertThat(raw.getInt(offset + 24 + 29 * 48 + 4)).isEqualTo(29);
    }

    @Test
    void shouldResetCountWhenBeginningNextDatagram()
    {
        encodeDefinitionQuoteTrade();

        encoder.begin(SEQ + 3, SEND_TIME);

        assertThat(encoder.count()).isZero();
        assertThat(encoder.isEmpty()).isTrue();
        assertThat(encoder.length()).isEqualTo(24);
        assertThat(littleEndian(bytes).getShort(4)).isZero();
        assertThat(littleEndian(bytes).getLong(8)).isEqualTo(SEQ + 3);
    }

    @Test
    void shouldRejectDefinitionWhenSymbolIsLongerThanSixteenCharacters()
    {
        encoder.wrap(buffer, 0).begin(SEQ, SEND_TIME);

        assertThatThrownBy(() -> encoder.addDefinition(1, 2, 0, "ABCDEFGHIJKLMNOPQ"))
            .isInstanceOf(IllegalArgumentException.class);

        assertThat(encoder.count()).isZero();
        assertThat(encoder.length()).isEqualTo(24);
        assertThat(littleEndian(bytes).getShort(4)).isZero();
    }

    @Test
    void shouldFillSymbolWithoutNulWhenSymbolIsExactlySixteenCharacters()
    {
        encoder.wrap(buffer, 0).begin(SEQ, SEND_TIME);

        assertThat(encoder.addDefinition(1, 2, 0, "ABCDEFGHIJKLMNOP")).isTrue();

        assertThat(new String(bytes, 24 + 12, 16, StandardCharsets.US_ASCII)).isEqualTo("ABCDEFGHIJKLMNOP");
        assertThat(bytes[24 + 28]).isEqualTo(FILL);
    }

    private void encodeDefinitionQuoteTrade()
    {
        encoder.wrap(buffer, 0).begin(SEQ, SEND_TIME);
        assertThat(encoder.addDefinition(DEF_ID, DEF_PRICE_SCALE, DEF_SIZE_SCALE, DEF_SYMBOL)).isTrue();
        assertThat(encoder.addQuote(QUOTE_ID, BID, BID_SIZE, ASK, ASK_SIZE, QUOTE_TIME)).isTrue();
        assertThat(encoder.addTrade(TRADE_ID, PRICE, SIZE, TRADE_TIME)).isTrue();
    }

    private static ByteBuffer littleEndian(final byte[] bytes)
    {
        return ByteBuffer.wrap(bytes).order(LITTLE_ENDIAN);
    }
}

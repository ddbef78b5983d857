package io.tickgate.protocol;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import static java.nio.ByteOrder.LITTLE_ENDIAN;
import static org.assertj.core.api.Assertions.assertThat;

class FeedDatagramDecoderTest
{
    private static final int MAGIC = 0x31464B54;
    private static final int MAX_DATAGRAM = 1472;
    private static final int HEADER = 24;
    private static final long SEQ = (1L << 53) + 11;
    private static final long SEND_TIME = 1_764_000_000_000_000_000L;

    private final FeedDatagramDecoder decoder = new FeedDatagramDecoder();
    private final RecordingHandler handler = new RecordingHandler();

    @Test
    void shouldDispatchDefinitionQuoteTradeInOrderWhenDatagramIsValid()
    {
        final ByteBuffer datagram = header(1024, MAGIC, 3, SEQ);
        putDefinition(datagram, 0x8000_0001, -4, 2, "AAPL");
        putQuote(datagram, 7, -1_500_000L, (1L << 53) + 3, 1_500_100L, -2L, -9_000_000_000L);
        putTrade(datagram, 9, 1_500_050L, -((1L << 53) + 5), 1_764_000_000_000_000_123L);

        final int result = decode(datagram);

        assertThat(result).isEqualTo(FeedDecodeResult.OK);
        assertThat(handler.events).containsExactly(
            new Definition(SEQ, 0x8000_0001, -4, 2, "AAPL"),
            new Quote(SEQ + 1, 7, -1_500_000L, (1L << 53) + 3, 1_500_100L, -2L, -9_000_000_000L),
            new Trade(SEQ + 2, 9, 1_500_050L, -((1L << 53) + 5), 1_764_000_000_000_000_123L));
        assertThat(decoder.messageCount()).isEqualTo(3);
        assertThat(decoder.firstSeq()).isEqualTo(SEQ);
        assertThat(decoder.unknownTypes()).isZero();
    }

    @Test
    void shouldDispatchMessagesWhenDatagramStartsAtNonZeroOffset()
    {
        final int offset = 40;
        final ByteBuffer datagram = ByteBuffer.allocate(offset + 256).order(LITTLE_ENDIAN);
        Arrays.fill(datagram.array(), (byte)0x5A);
        datagram.position(offset);
        datagram.putInt(MAGIC).putShort((short)2).putShort((short)0).putLong(SEQ).putLong(SEND_TIME);
        putTrade(datagram, 1, 10, 20, 30);
        putTrade(datagram, 2, 11, 21, 31);

        final int result = decoder.decode(
            new UnsafeBuffer(datagram.array(), 0, datagram.position()), offset, datagram.position() - offset, handler);

        assertThat(result).isEqualTo(FeedDecodeResult.OK);
        assertThat(handler.events).containsExactly(new Trade(SEQ, 1, 10, 20, 30), new Trade(SEQ + 1, 2, 11, 21, 31));
    }

    @Test
    void shouldAcceptDatagramWhenLengthIsExactlyMaxLength()
    {
        final ByteBuffer datagram = header(MAX_DATAGRAM, MAGIC, 31, SEQ);
        for (int i = 0; i < 29; i++)
        {
            putQuote(datagram, i, i, i, i, i, i);
        }
        putDefinition(datagram, 100, 0, 0, "A");
        putDefinition(datagram, 101, 0, 0, "B");
        assertThat(datagram.position()).isEqualTo(MAX_DATAGRAM);

        assertThat(decode(datagram)).isEqualTo(FeedDecodeResult.OK);
        assertThat(handler.events).hasSize(31);
        assertThat(handler.events.get(30)).isEqualTo(new Definition(SEQ + 30, 101, 0, 0, "B"));
    }

    @Test
    void shouldDispatchNothingWhenCountIsZero()
    {
        final ByteBuffer datagram = header(HEADER, MAGIC, 0, SEQ);

        assertThat(decode(datagram)).isEqualTo(FeedDecodeResult.OK);
        assertThat(handler.events).isEmpty();
        assertThat(decoder.messageCount()).isZero();
    }

    @Test
    void shouldSkipUnknownTypeAndDeliverNeighboursWhenTypeIsNotDefinedInV1()
    {
        final ByteBuffer datagram = header(256, MAGIC, 3, SEQ);
        putQuote(datagram, 1, 100, 10, 101, 11, 1000);
        datagram.putShort((short)12).put((byte)'X').put((byte)0).putInt(0xDEAD).putInt(0xBEEF);
        putQuote(datagram, 2, 200, 20, 201, 21, 2000);

        final int result = decode(datagram);

        assertThat(result).isEqualTo(FeedDecodeResult.OK);
        assertThat(handler.events).containsExactly(
            new Quote(SEQ, 1, 100, 10, 101, 11, 1000),
            new Quote(SEQ + 2, 2, 200, 20, 201, 21, 2000));
        assertThat(decoder.unknownTypes()).isEqualTo(1);
        assertThat(decoder.messageCount()).isEqualTo(3);
    }

    @Test
    void shouldRejectWithShortHeaderWhenDatagramIsTenBytes()
    {
        final ByteBuffer datagram = ByteBuffer.allocate(10).order(LITTLE_ENDIAN);
        datagram.putInt(MAGIC).putShort((short)0).putShort((short)0).putShort((short)0);

        assertRejected(datagram, FeedDecodeResult.SHORT_HEADER);
    }

    @Test
    void shouldRejectWithShortHeaderWhenDatagramIsOneByteShortOfHeader()
    {
        final ByteBuffer datagram = header(HEADER, MAGIC, 0, SEQ);
        datagram.position(HEADER - 1);

        assertRejected(datagram, FeedDecodeResult.SHORT_HEADER);
    }

    @Test
    void shouldRejectWithBadMagicWhenMagicIsBigEndian()
    {
        final ByteBuffer datagram = header(256, Integer.reverseBytes(MAGIC), 1, SEQ);
        putQuote(datagram, 1, 100, 10, 101, 11, 1000);

        assertRejected(datagram, FeedDecodeResult.BAD_MAGIC);
    }

    @Test
    void shouldRejectWithCountOverrunWhenCountSaysThreeButTwoMessagesPresent()
    {
        final ByteBuffer datagram = header(256, MAGIC, 3, SEQ);
        putQuote(datagram, 1, 100, 10, 101, 11, 1000);
        putQuote(datagram, 2, 200, 20, 201, 21, 2000);

        assertRejected(datagram, FeedDecodeResult.COUNT_OVERRUN);
    }

    @Test
    void shouldRejectWithZeroLengthWhenMessageLengthIsZero()
    {
        final ByteBuffer datagram = header(256, MAGIC, 2, SEQ);
        putQuote(datagram, 1, 100, 10, 101, 11, 1000);
        datagram.putShort((short)0).put((byte)'Q').put((byte)0).putInt(2);
        datagram.position(datagram.position() + 40);

        assertRejected(datagram, FeedDecodeResult.ZERO_LENGTH);
    }

    @Test
    void shouldRejectWithLengthOverrunWhenMessageLengthRunsPastEnd()
    {
        final ByteBuffer datagram = header(256, MAGIC, 2, SEQ);
        putTrade(datagram, 1, 100, 10, 1000);
        final int at = datagram.position();
        putQuote(datagram, 2, 200, 20, 201, 21, 2000);
        datagram.putShort(at, (short)49);

        assertRejected(datagram, FeedDecodeResult.LENGTH_OVERRUN);
    }

    @Test
    void shouldRejectWithShortMessageWhenQuoteLengthIsTwenty()
    {
        final ByteBuffer datagram = header(256, MAGIC, 2, SEQ);
        putQuote(datagram, 1, 100, 10, 101, 11, 1000);
        datagram.putShort((short)20).put((byte)'Q').put((byte)0).putInt(2).putLong(200).putInt(0);

        assertRejected(datagram, FeedDecodeResult.SHORT_MESSAGE);
    }

    @Test
    void shouldRejectWithBadSymbolWhenDefinitionSymbolIsEmptyNotPrintableAsciiOrHasBytesInItsPadding()
    {
        for (final String symbol : new String[] { "", " LEADING", "TAB\tIN", "SPACE IN", "BAB\u0000CD", "\u0000X" })
        {
            final ByteBuffer datagram = header(256, MAGIC, 2, SEQ);
            putDefinition(datagram, 7, 2, 0, symbol);
            putQuote(datagram, 1, 100, 10, 101, 11, 1000);

            assertRejected(datagram, FeedDecodeResult.BAD_SYMBOL);
        }
    }

    @Test
    void shouldRejectWithTooLongWhenDatagramIs1473Bytes()
    {
        final ByteBuffer datagram = header(MAX_DATAGRAM + 1, MAGIC, 1, SEQ);
        putQuote(datagram, 1, 100, 10, 101, 11, 1000);
        datagram.position(MAX_DATAGRAM + 1);

        assertRejected(datagram, FeedDecodeResult.TOO_LONG);
    }

    @Test
    void shouldNameEveryReasonWhenAskedForCounterTag()
    {
        assertThat(FeedDecodeResult.REASON_COUNT).isEqualTo(9);
        assertThat(FeedDecodeResult.name(FeedDecodeResult.OK)).isEqualTo("ok");
        assertThat(FeedDecodeResult.name(FeedDecodeResult.SHORT_HEADER)).isEqualTo("short_header");
        assertThat(FeedDecodeResult.name(FeedDecodeResult.BAD_MAGIC)).isEqualTo("bad_magic");
        assertThat(FeedDecodeResult.name(FeedDecodeResult.COUNT_OVERRUN)).isEqualTo("count_overrun");
        assertThat(FeedDecodeResult.name(FeedDecodeResult.ZERO_LENGTH)).isEqualTo("zero_length");
        assertThat(FeedDecodeResult.name(FeedDecodeResult.LENGTH_OVERRUN)).isEqualTo("length_overrun");
        assertThat(FeedDecodeResult.name(FeedDecodeResult.SHORT_MESSAGE)).isEqualTo("short_message");
        assertThat(FeedDecodeResult.name(FeedDecodeResult.TOO_LONG)).isEqualTo("too_long");
        assertThat(FeedDecodeResult.name(FeedDecodeResult.BAD_SYMBOL)).isEqualTo("bad_symbol");
    }

    @Test
    void shouldNeverThrowWhenDecodingRandomBytes()
    {
        final Random random = new Random(0x7E57_F00DL);
        final FeedDatagramEncoder encoder = new FeedDatagramEncoder();
        final int[] results = new int[FeedDecodeResult.REASON_COUNT];
        for (int iteration = 0; iteration < 10_000; iteration++)
        {
            final byte[] bytes = randomDatagram(random, encoder, iteration % 3);
            handler.events.clear();

            final int result;
            try
            {
                result = decoder.decode(new UnsafeBuffer(bytes), 0, bytes.length, handler);
            }
            catch (final RuntimeException ex)
            {
                throw new AssertionError("iteration " + iteration + " threw on " + Arrays.toString(bytes), ex);
            }

            assertThat(result).as("iteration %d", iteration).isBetween(0, FeedDecodeResult.REASON_COUNT - 1);
            results[result]++;
            if (FeedDecodeResult.OK == result)
            {
                final int count = ByteBuffer.wrap(bytes).order(LITTLE_ENDIAN).getShort(4) & 0xFFFF;
                assertThat(handler.events.size() + decoder.unknownTypes()).as("iteration %d", iteration)
                    .isEqualTo(count);
            }
            else
            {
                assertThat(handler.events).as("iteration %d", iteration).isEmpty();
            }
        }

        assertThat(results[FeedDecodeResult.OK]).isPositive();
        assertThat(results[FeedDecodeResult.BAD_MAGIC]).isPositive();
    }

    private static byte[] randomDatagram(final Random random, final FeedDatagramEncoder encoder, final int mode)
    {
        if (2 == mode)
        {
            return mutatedDatagram(random, encoder);
        }

        final byte[] bytes = new byte[random.nextInt(MAX_DATAGRAM + 1)];
        random.nextBytes(bytes);
        if (1 == mode && bytes.length >= 4)
        {
            new UnsafeBuffer(bytes).putInt(0, MAGIC, LITTLE_ENDIAN);
        }
        return bytes;
    }

    private static byte[] mutatedDatagram(final Random random, final FeedDatagramEncoder encoder)
    {
        final byte[] scratch = new byte[MAX_DATAGRAM];
        random.nextBytes(scratch);
        encoder.wrap(new UnsafeBuffer(scratch), 0).begin(random.nextLong(), random.nextLong());
        final int messages = random.nextInt(40);
        boolean room = true;
        for (int i = 0; i < messages && room; i++)
        {
            switch (random.nextInt(3))
            {
                case 0:
                    room = encoder.addQuote(random.nextInt(), random.nextLong(), random.nextLong(),
                        random.nextLong(), random.nextLong(), random.nextLong());
                    break;
                case 1:
                    room = encoder.addTrade(random.nextInt(), random.nextLong(), random.nextLong(), random.nextLong());
                    break;
                default:
                    room = encoder.addDefinition(random.nextInt(), random.nextInt(), random.nextInt(), "SYM");
                    break;
            }
        }

        final int flips = random.nextInt(4);
        for (int i = 0; i < flips; i++)
        {
            scratch[Integer.BYTES + random.nextInt(encoder.length() - Integer.BYTES)] = (byte)random.nextInt(256);
        }
        final int length = random.nextBoolean() ? encoder.length() : random.nextInt(MAX_DATAGRAM + 1);
        return Arrays.copyOf(scratch, length);
    }

    private void assertRejected(final ByteBuffer datagram, final int expectedReason)
    {
        final int result = decode(datagram);

        assertThat(FeedDecodeResult.name(result)).isEqualTo(FeedDecodeResult.name(expectedReason));
        assertThat(handler.events).isEmpty();
        assertThat(decoder.messageCount()).isZero();
        assertThat(decoder.unknownTypes()).isZero();
    }

    private int decode(final ByteBuffer datagram)
    {
        final byte[] exact = Arrays.copyOf(datagram.array(), datagram.position());
        return decoder.decode(new UnsafeBuffer(exact), 0, exact.length, handler);
    }

    private static ByteBuffer header(final int capacity, final int magic, final int count, final long seq)
    {
        final ByteBuffer datagram = ByteBuffer.allocate(capacity).order(LITTLE_ENDIAN);
        datagram.putInt(magic).putShort((short)count).putShort((short)0).putLong(seq).putLong(SEND_TIME);
        return datagram;
    }

    private static void putDefinition(
        final ByteBuffer datagram, final int id, final int priceScale, final int sizeScale, final String symbol)
    {
        datagram.putShort((short)28).put((byte)'D').put((byte)0).putInt(id)
            .put((byte)priceScale).put((byte)sizeScale).putShort((short)0);
        final byte[] padded = Arrays.copyOf(symbol.getBytes(StandardCharsets.US_ASCII), 16);
        datagram.put(padded);
    }

    private static void putQuote(
        final ByteBuffer datagram,
        final int id,
        final long bid,
        final long bidSize,
        final long ask,
        final long askSize,
        final long exchangeTime)
    {
        datagram.putShort((short)48).put((byte)'Q').put((byte)0).putInt(id)
            .putLong(bid).putLong(bidSize).putLong(ask).putLong(askSize).putLong(exchangeTime);
    }

    private static void putTrade(
        final ByteBuffer datagram, final int id, final long price, final long size, final long exchangeTime)
    {
        datagram.putShort((short)32).put((byte)'T').put((byte)0).putInt(id)
            .putLong(price).putLong(size).putLong(exchangeTime);
    }

    private record Definition(long seq, int instrumentId, int priceScale, int sizeScale, String symbol)
    {
    }

    private record Quote(
        long seq, int instrumentId, long bidPrice, long bidSize, long askPrice, long askSize, long exchangeTime)
    {
    }

    private record Trade(long seq, int instrumentId, long price, long size, long exchangeTime)
    {
    }

    private static final class RecordingHandler implements FeedMessageHandler
    {
        private final List<Object> events = new ArrayList<>();

        @Override
        public void onDefinition(
            final long seq,
            final int instrumentId,
            final int priceScale,
            final int sizeScale,
            final DirectBuffer symbolBuffer,
            final int symbolOffset)
        {
            final byte[] symbol = new byte[16];
            symbolBuffer.getBytes(symbolOffset, symbol);
            int length = 0;
            while (length < symbol.length && symbol[length] != 0)
            {
                length++;
            }
            events.add(new Definition(
                seq, instrumentId, priceScale, sizeScale, new String(symbol, 0, length, StandardCharsets.US_ASCII)));
        }

        @Override
        public void onQuote(
            final long seq,
            final int instrumentId,
            final long bidPrice,
            final long bidSize,
            final long askPrice,
            final long askSize,
            final long exchangeTimeNs)
        {
            events.add(new Quote(seq, instrumentId, bidPrice, bidSize, askPrice, askSize, exchangeTimeNs));
        }

        @Override
        public void onTrade(
            final long seq, final int instrumentId, final long price, final long size, final long exchangeTimeNs)
        {
            events.add(new Trade(seq, instrumentId, price, size, exchangeTimeNs));
        }
    }
}

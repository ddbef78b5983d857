package io.tickgate.simulator;

import io.tickgate.protocol.FeedDatagramDecoder;
import io.tickgate.protocol.FeedDecodeResult;
import io.tickgate.protocol.FeedHeaderFlyweight;
import io.tickgate.protocol.FeedMessageDescriptor;
import io.tickgate.protocol.FeedMessageHandler;
import org.agrona.CloseHelper;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

class UdpFeedSenderTest
{
    private static final long T0 = 1_764_000_000_000_000_000L;
    private static final long DEADLINE_NS = TimeUnit.SECONDS.toNanos(10);

    private DatagramChannel receiver;
    private InetSocketAddress receiverAddress;
    private UdpFeedSender sender;
    private final ByteBuffer receiveBuffer = ByteBuffer.allocateDirect(64 * 1024);
    private final UnsafeBuffer receiveView = new UnsafeBuffer(receiveBuffer);
    private final FeedDatagramDecoder decoder = new FeedDatagramDecoder();
    private final DecodingHandler decoded = new DecodingHandler();
    private final List<Integer> datagramLengths = new ArrayList<>();
    private final List<Long> datagramSeqs = new ArrayList<>();
    private final List<Long> datagramSendTimes = new ArrayList<>();

    @BeforeEach
    void setUp() throws IOException
    {
        receiver = bindReceiver(0);
        receiverAddress = (InetSocketAddress)receiver.getLocalAddress();
    }

    @AfterEach
    void tearDown()
    {
        CloseHelper.quietCloseAll(sender, receiver);
    }

    @Test
    void shouldDeliverEveryMessageInOrderWhenSendingDefinitionsQuotesAndTrades() throws IOException
    {
        sender = new UdpFeedSender(receiverAddress);
        final MarketSimulator simulator = new MarketSimulator(200, 5);
        final RecordingTickSink expected = new RecordingTickSink();
        final TickSink tee = new TeeSink(sender, expected);
        final long beforeEpochNs = epochNowNs();

        simulator.definitions(tee);
        for (int i = 0; i < 20_000; i++)
        {
            simulator.nextTick(tee, T0 + i);
            if (i % 256 == 0)
            {
                drainAvailable();
            }
        }
        tee.flush();
        awaitMessages(expected.messages.size());

        assertThat(decoded.messages).isEqualTo(expected.messages);
        assertThat(decoded.seqs.get(0)).isEqualTo(1L);
        for (int i = 1; i < decoded.seqs.size(); i++)
        {
            assertThat(decoded.seqs.get(i)).isEqualTo(decoded.seqs.get(i - 1) + 1);
        }
        assertThat(datagramLengths).allSatisfy(length -> assertThat(length).isLessThanOrEqualTo(1472));
        assertThat(datagramSendTimes).allSatisfy(
            sendTime -> assertThat(sendTime).isBetween(beforeEpochNs, epochNowNs()));
        assertFullUntilFlushed();
        assertThat(sender.datagramsSent()).isEqualTo(datagramLengths.size());
        assertThat(sender.messagesSent()).isEqualTo(expected.messages.size());
        assertThat(sender.ticksSent()).as("every message but the 200 definitions").isEqualTo(
            expected.messages.size() - 200L);
        assertThat(sender.nextMessageSeq()).isEqualTo(expected.messages.size() + 1L);
        assertThat(sender.sendErrors()).isZero();
        assertThat(sender.datagramsRefused()).isZero();
    }

    @Test
    void shouldSendNothingWhenFlushingEmptyDatagram()
    {
        sender = new UdpFeedSender(receiverAddress);

        sender.flush();
        sender.flush();

        assertThat(sender.datagramsSent()).isZero();
        assertThat(sender.nextMessageSeq()).isEqualTo(1L);
    }

    @Test
    void shouldSendPendingMessagesWhenClosed() throws IOException
    {
        sender = new UdpFeedSender(receiverAddress);
        sender.onTrade(3, 1_500_000, 100, T0);
        sender.onQuote(3, 1_499_900, 200, 1_500_100, 300, T0 + 1);

        sender.close();
        sender.close();
        awaitMessages(2);

        assertThat(datagramLengths).hasSize(1);
        assertThat(decoded.messages).containsExactly(
            RecordingTickSink.Message.trade(3, 1_500_000, 100, T0),
            RecordingTickSink.Message.quote(3, 1_499_900, 200, 1_500_100, 300, T0 + 1));
        assertThat(sender.datagramsSent()).isEqualTo(1);
    }

    @Test
    void shouldCountErrorAndKeepSendingWhenNoOneListens() throws IOException
    {
        final int port = receiverAddress.getPort();
        receiver.close();
        sender = new UdpFeedSender(receiverAddress);

        // Linux reports the ICMP port unreachable of one datagram on a later send to the connected socket.
        final long deadlineNs = System.nanoTime() + DEADLINE_NS;
        int flushes = 0;
        while (sender.sendErrors() == 0)
        {
            sender.onTrade(1, 1_000_000, 100, T0 + flushes);
            sender.flush();
            flushes++;
            if (System.nanoTime() - deadlineNs > 0)
            {
                fail("no send error after " + flushes + " datagrams to a closed port");
            }
            Thread.yield();
        }
        assertThat(sender.datagramsSent() + sender.sendErrors() + sender.datagramsRefused()).isEqualTo(flushes);
        assertThat(sender.ticksSent()).as("only the trades of datagrams the kernel took").isEqualTo(
            sender.datagramsSent());

        receiver = bindReceiver(port);
        final long firstSeqAfterRebind = sender.nextMessageSeq();
        final long retryDeadlineNs = System.nanoTime() + DEADLINE_NS;
        while (decoded.messages.isEmpty())
        {
            // An ICMP still in flight from before the rebind may cost one more datagram.
            sender.onTrade(2, 2_000_000, 300, T0);
            sender.flush();
            drainAvailable();
            if (System.nanoTime() - retryDeadlineNs > 0)
            {
                fail("nothing received after rebinding; send errors " + sender.sendErrors());
            }
            Thread.yield();
        }

        // The lost datagrams' numbers stay used: the gateway sees them as a gap.
        assertThat(decoded.seqs.get(0)).isGreaterThanOrEqualTo(firstSeqAfterRebind).isGreaterThan(1L);
        assertThat(decoded.messages.get(0)).isEqualTo(RecordingTickSink.Message.trade(2, 2_000_000, 300, T0));
    }

    private static DatagramChannel bindReceiver(final int port) throws IOException
    {
        final DatagramChannel channel = DatagramChannel.open();
        channel.setOption(StandardSocketOptions.SO_RCVBUF, 4 * 1024 * 1024);
        channel.setOption(StandardSocketOptions.SO_REUSEADDR, true);
        channel.configureBlocking(false);
        channel.bind(new InetSocketAddress("127.0.0.1", port));
        return channel;
    }

    private static long epochNowNs()
    {
        final Instant now = Instant.now();
        return now.getEpochSecond() * 1_000_000_000L + now.getNano();
    }

    private void awaitMessages(final int count) throws IOException
    {
        await(() -> decoded.messages.size() >= count, () -> "received " + decoded.messages.size() + " of " + count);
    }

    private void await(final BooleanSupplier done, final Supplier<String> progress)
        throws IOException
    {
        final long deadlineNs = System.nanoTime() + DEADLINE_NS;
        while (!done.getAsBoolean())
        {
            if (drainAvailable() == 0)
            {
                if (System.nanoTime() - deadlineNs > 0)
                {
                    fail("timed out: " + progress.get());
                }
                Thread.yield();
            }
        }
    }

    private int drainAvailable() throws IOException
    {
        int datagrams = 0;
        while (true)
        {
            receiveBuffer.clear();
            if (null == receiver.receive(receiveBuffer))
            {
                return datagrams;
            }
            datagrams++;
            final int length = receiveBuffer.position();
            datagramLengths.add(length);
            datagramSeqs.add(FeedHeaderFlyweight.seq(receiveView, 0));
            datagramSendTimes.add(FeedHeaderFlyweight.sendTime(receiveView, 0));
            final int result = decoder.decode(receiveView, 0, length, decoded);
            assertThat(FeedDecodeResult.name(result)).isEqualTo(FeedDecodeResult.name(FeedDecodeResult.OK));
            assertThat(decoder.unknownTypes()).isZero();
        }
    }

    /**
     * Without a flush in between, a datagram goes only when the next message would not fit, so every datagram but
     * the last is too full for the message that opens the next one.
     */
    private void assertFullUntilFlushed()
    {
        for (int i = 0; i < datagramLengths.size() - 1; i++)
        {
            final int nextFirstIndex = (int)(datagramSeqs.get(i + 1) - 1);
            final int nextLength = messageLength(decoded.messages.get(nextFirstIndex).type());
            assertThat(datagramLengths.get(i) + nextLength).as("datagram %d", i).isGreaterThan(1472);
        }
    }

    private static int messageLength(final char type)
    {
        switch (type)
        {
            case 'D':
                return FeedMessageDescriptor.DEFINITION_LENGTH;
            case 'Q':
                return FeedMessageDescriptor.QUOTE_LENGTH;
            default:
                return FeedMessageDescriptor.TRADE_LENGTH;
        }
    }

    private static final class DecodingHandler implements FeedMessageHandler
    {
        final List<RecordingTickSink.Message> messages = new ArrayList<>();
        final List<Long> seqs = new ArrayList<>();

        @Override
        public void onDefinition(
            final long seq,
            final int instrumentId,
            final int priceScale,
            final int sizeScale,
            final DirectBuffer symbolBuffer,
            final int symbolOffset)
        {
            final StringBuilder symbol = new StringBuilder();
            for (int i = 0; i < FeedMessageDescriptor.SYMBOL_LENGTH; i++)
            {
                final byte b = symbolBuffer.getByte(symbolOffset + i);
                if (0 == b)
                {
                    break;
                }
                symbol.append((char)b);
            }
            seqs.add(seq);
            messages.add(RecordingTickSink.Message.definition(instrumentId, symbol.toString(), priceScale, sizeScale));
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
            seqs.add(seq);
            messages.add(
                RecordingTickSink.Message.quote(instrumentId, bidPrice, bidSize, askPrice, askSize, exchangeTimeNs));
        }

        @Override
        public void onTrade(
            final long seq, final int instrumentId, final long price, final long size, final long exchangeTimeNs)
        {
            seqs.add(seq);
            messages.add(RecordingTickSink.Message.trade(instrumentId, price, size, exchangeTimeNs));
        }
    }

    private static final class TeeSink implements TickSink
    {
        private final TickSink first;
        private final TickSink second;

        TeeSink(final TickSink first, final TickSink second)
        {
            this.first = first;
            this.second = second;
        }

        @Override
        public void onDefinition(final int instrumentId, final String symbol, final int priceScale,
            final int sizeScale)
        {
            first.onDefinition(instrumentId, symbol, priceScale, sizeScale);
            second.onDefinition(instrumentId, symbol, priceScale, sizeScale);
        }

        @Override
        public void onQuote(final int instrumentId, final long bidPrice, final long bidSize, final long askPrice,
            final long askSize, final long exchangeTimeNs)
        {
            first.onQuote(instrumentId, bidPrice, bidSize, askPrice, askSize, exchangeTimeNs);
            second.onQuote(instrumentId, bidPrice, bidSize, askPrice, askSize, exchangeTimeNs);
        }

        @Override
        public void onTrade(final int instrumentId, final long price, final long size, final long exchangeTimeNs)
        {
            first.onTrade(instrumentId, price, size, exchangeTimeNs);
            second.onTrade(instrumentId, price, size, exchangeTimeNs);
        }

        @Override
        public void flush()
        {
            first.flush();
            second.flush();
        }
    }
}

package io.tickgate.simulator;

import io.tickgate.protocol.FeedDatagramDecoder;
import io.tickgate.protocol.FeedDecodeResult;
import io.tickgate.protocol.FeedHeaderFlyweight;
import io.tickgate.protocol.FeedMessageHandler;
import org.agrona.CloseHelper;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.AgentRunner;
import org.agrona.concurrent.BackoffIdleStrategy;
import org.agrona.concurrent.SystemNanoClock;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

/**
 * The {@code simulate} path end to end on real threads and sockets: an {@link AgentRunner} paces the simulator into
 * a {@link UdpFeedSender}, and a receiver decodes what arrives until the runner stops by itself.
 */
class SimulatorSystemTest
{
    private static final long DEADLINE_NS = TimeUnit.SECONDS.toNanos(20);

    @Test
    void shouldStreamDecodableDatagramsAndStopWhenDurationElapses() throws IOException
    {
        final int rate = 20_000;
        final long durationNs = TimeUnit.MILLISECONDS.toNanos(500);
        final List<Throwable> errors = new ArrayList<>();

        try (DatagramChannel receiver = DatagramChannel.open())
        {
            receiver.setOption(StandardSocketOptions.SO_RCVBUF, 4 * 1024 * 1024);
            receiver.configureBlocking(false);
            receiver.bind(new InetSocketAddress("127.0.0.1", 0));
            final UdpFeedSender sender = new UdpFeedSender((InetSocketAddress)receiver.getLocalAddress());
            final FeedSimulator agent = new FeedSimulator(
                new MarketSimulator(50, 1), sender, rate, durationNs, SystemNanoClock.INSTANCE);
            final AgentRunner runner = new AgentRunner(
                new BackoffIdleStrategy(), errors::add, null, agent);
            final CountingHandler handler = new CountingHandler();
            final ByteBuffer byteBuffer = ByteBuffer.allocateDirect(2048);
            final UnsafeBuffer view = new UnsafeBuffer(byteBuffer);
            final FeedDatagramDecoder decoder = new FeedDatagramDecoder();

            try
            {
                AgentRunner.startOnThread(runner);
                final long deadlineNs = System.nanoTime() + DEADLINE_NS;
                while (!runner.isClosed() || handler.messages < sender.messagesSent())
                {
                    byteBuffer.clear();
                    if (null != receiver.receive(byteBuffer))
                    {
                        assertThat(decoder.decode(view, 0, byteBuffer.position(), handler))
                            .isEqualTo(FeedDecodeResult.OK);
                        final long firstSeq = handler.messages - decoder.messageCount() + 1;
                        assertThat(FeedHeaderFlyweight.seq(view, 0)).as("no gap, no reorder").isEqualTo(firstSeq);
                    }
                    else if (System.nanoTime() - deadlineNs > 0)
                    {
                        fail("timed out: closed=" + runner.isClosed() + " received " + handler.messages + " of " +
                            sender.messagesSent() + "\n" + threadDump());
                    }
                    else
                    {
                        Thread.yield();
                    }
                }
            }
            finally
            {
                CloseHelper.quietCloseAll(runner, sender);
            }

            assertThat(errors).isEmpty();
            assertThat(agent.ticksSent()).isEqualTo(rate * durationNs / TimeUnit.SECONDS.toNanos(1));
            assertThat(handler.ticks).isEqualTo(agent.ticksSent());
            assertThat(handler.definitions).isEqualTo(50);
            assertThat(sender.sendErrors()).isZero();
        }
    }

    private static String threadDump()
    {
        final StringBuilder dump = new StringBuilder();
        for (final ThreadInfo info : ManagementFactory.getThreadMXBean().dumpAllThreads(false, false))
        {
            dump.append(info);
        }
        return dump.toString();
    }

    private static final class CountingHandler implements FeedMessageHandler
    {
        long messages;
        long definitions;
        long ticks;

        @Override
        public void onDefinition(final long seq, final int instrumentId, final int priceScale, final int sizeScale,
            final DirectBuffer symbolBuffer, final int symbolOffset)
        {
            messages++;
            definitions++;
        }

        @Override
        public void onQuote(final long seq, final int instrumentId, final long bidPrice, final long bidSize,
            final long askPrice, final long askSize, final long exchangeTimeNs)
        {
            messages++;
            ticks++;
        }

        @Override
        public void onTrade(
            final long seq, final int instrumentId, final long price, final long size, final long exchangeTimeNs)
        {
            messages++;
            ticks++;
        }
    }
}

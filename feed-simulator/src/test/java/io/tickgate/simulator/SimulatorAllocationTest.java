package io.tickgate.simulator;

import org.agrona.CloseHelper;
import org.agrona.concurrent.CachedNanoClock;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.net.InetSocketAddress;
import java.nio.channels.DatagramChannel;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Proves the per-tick paths allocate nothing: after a warm-up that lets the JIT settle, a million ticks may grow
 * this thread's allocated bytes by no more than a small fixed budget (the measurement itself, stray JIT effects).
 */
class SimulatorAllocationTest
{
    private static final long BUDGET_BYTES = 64 * 1024;
    private static final int TICKS = 1_000_000;
    private static final com.sun.management.ThreadMXBean THREADS =
        (com.sun.management.ThreadMXBean)ManagementFactory.getThreadMXBean();

    private static final TickSink NO_OP_SINK = new TickSink()
    {
        @Override
        public void onDefinition(final int instrumentId, final String symbol, final int priceScale,
            final int sizeScale)
        {
        }

        @Override
        public void onQuote(final int instrumentId, final long bidPrice, final long bidSize, final long askPrice,
            final long askSize, final long exchangeTimeNs)
        {
        }

        @Override
        public void onTrade(final int instrumentId, final long price, final long size, final long exchangeTimeNs)
        {
        }
    };

    @Test
    void shouldNotAllocateWhenTickingIntoNoOpSink()
    {
        final MarketSimulator simulator = new MarketSimulator(10_000, 99);
        tick(simulator, NO_OP_SINK, 0, TICKS);

        final long before = THREADS.getCurrentThreadAllocatedBytes();
        tick(simulator, NO_OP_SINK, TICKS, TICKS);
        final long allocated = THREADS.getCurrentThreadAllocatedBytes() - before;

        assertThat(allocated).as("bytes allocated by %d ticks", TICKS).isLessThan(BUDGET_BYTES);
    }

    @Test
    void shouldNotAllocateWhenAgentDrivesTicks()
    {
        final CachedNanoClock clock = new CachedNanoClock();
        final FeedSimulator agent = new FeedSimulator(
            new MarketSimulator(1_000, 5), NO_OP_SINK, 1_000_000, 0, clock, TimeUnit.MILLISECONDS.toNanos(100));
        agent.onStart();
        advanceOneSecond(agent, clock);

        final long before = THREADS.getCurrentThreadAllocatedBytes();
        advanceOneSecond(agent, clock);
        final long allocated = THREADS.getCurrentThreadAllocatedBytes() - before;

        assertThat(agent.ticksSent()).isEqualTo(2L * TICKS);
        assertThat(allocated).as("bytes allocated by %d ticks", TICKS).isLessThan(BUDGET_BYTES);
    }

    @Test
    void shouldNotAllocatePerMessageWhenSendingOverUdp() throws IOException
    {
        // A bound socket nobody reads: once its buffer fills the kernel drops datagrams, the sender never knows.
        final DatagramChannel receiver = DatagramChannel.open().bind(new InetSocketAddress("127.0.0.1", 0));
        final UdpFeedSender sender = new UdpFeedSender((InetSocketAddress)receiver.getLocalAddress());
        try
        {
            final MarketSimulator simulator = new MarketSimulator(1_000, 8);
            simulator.definitions(sender);
            tick(simulator, sender, 0, TICKS);

            final long before = THREADS.getCurrentThreadAllocatedBytes();
            tick(simulator, sender, TICKS, TICKS);
            sender.flush();
            final long allocated = THREADS.getCurrentThreadAllocatedBytes() - before;

            assertThat(sender.sendErrors()).isZero();
            assertThat(sender.datagramsSent()).isGreaterThan(TICKS / 50);
            assertThat(allocated).as("bytes allocated by %d ticks", TICKS).isLessThan(BUDGET_BYTES);
        }
        finally
        {
            CloseHelper.quietCloseAll(sender, receiver);
        }
    }

    private static void tick(final MarketSimulator simulator, final TickSink sink, final long first, final int count)
    {
        for (int i = 0; i < count; i++)
        {
            simulator.nextTick(sink, first + i);
        }
    }

    /**
     * At a million ticks a second, one simulated second in 1 ms steps: 1,000 duty cycles of 1,000 ticks.
     */
    private static void advanceOneSecond(final FeedSimulator agent, final CachedNanoClock clock)
    {
        for (int i = 0; i < 1_000; i++)
        {
            clock.advance(TimeUnit.MILLISECONDS.toNanos(1));
            agent.doWork();
        }
    }
}

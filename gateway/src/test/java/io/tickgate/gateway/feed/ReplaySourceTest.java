package io.tickgate.gateway.feed;

import io.tickgate.simulator.TickSink;
import io.tickgate.simulator.recording.RecordingDescriptor;
import io.tickgate.simulator.recording.RecordingWriter;
import org.agrona.concurrent.AgentRunner;
import org.agrona.concurrent.BackoffIdleStrategy;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code gateway --replay} on its own thread, as the gateway runs it: what its owner learns when the replay ends
 * and when it cannot go on, and that the thread does not outlive the replay.
 */
class ReplaySourceTest
{
    private static final long WAIT_NS = TimeUnit.SECONDS.toNanos(20);

    @TempDir
    Path dir;

    @Test
    void shouldEndItsThreadOnceTheRecordingIsReplayed() throws Exception
    {
        writeSegment(1, 500);
        writeSegment(2, 500);
        final AtomicLong ticks = new AtomicLong();
        final ReplaySource source = new ReplaySource(dir, counting(ticks, null), 0);

        try (AgentRunner runner = new AgentRunner(new BackoffIdleStrategy(), Throwable::printStackTrace, null,
            source))
        {
            AgentRunner.startOnThread(runner);
            awaitClosed(runner);
            assertThat(source.isDone()).isTrue();
            assertThat(source.failureMessage()).isNull();
            assertThat(source.ticksSent()).isEqualTo(1_000);
            assertThat(ticks).hasValue(1_000);
        }
    }

    @Test
    void shouldReportASegmentThatCannotBeReadAsAFailureAndEndItsThread() throws Exception
    {
        writeSegment(1, 500);
        writeSegment(2, 500);
        final List<Path> segments = RecordingDescriptor.segments(dir);
        final CountDownLatch firstTick = new CountDownLatch(1);
        final CountDownLatch removed = new CountDownLatch(1);
        final AtomicLong errors = new AtomicLong();
        final ReplaySource source = new ReplaySource(dir, counting(new AtomicLong(), () ->
        {
            firstTick.countDown();
            await(removed);
        }), 0);

        try (AgentRunner runner = new AgentRunner(new BackoffIdleStrategy(), ex -> errors.incrementAndGet(), null,
            source))
        {
            AgentRunner.startOnThread(runner);
            await(firstTick);
            // The second segment goes while the first is replayed: the reader fails to open it.
            Files.delete(segments.get(1));
            removed.countDown();
            awaitClosed(runner);
            assertThat(source.isDone()).isTrue();
            assertThat(source.failureMessage())
                .startsWith("replay of " + dir + " stopped after 500 ticks: cannot read " + segments.get(1));
            // Reported as damage is, in the gateway's one line: not thrown to the error handler, which logged it
            // with its stack trace.
            assertThat(errors).hasValue(0);
            assertThat(source.failure()).isInstanceOf(java.io.UncheckedIOException.class);
        }
    }

    private void writeSegment(final int instrumentId, final int quotes)
    {
        try (RecordingWriter writer = RecordingWriter.open(dir, "test"))
        {
            writer.definition(instrumentId, "SYM" + instrumentId, 2, 0);
            for (int i = 1; i <= quotes; i++)
            {
                writer.quote(instrumentId, i, 1_000L * i, 1_000L * i, 100 + i, 1, 101 + i, 1);
            }
        }
    }

    private static TickSink counting(final AtomicLong ticks, final Runnable onFirstTick)
    {
        return new TickSink()
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
                if (0 == ticks.getAndIncrement() && null != onFirstTick)
                {
                    onFirstTick.run();
                }
            }

            @Override
            public void onTrade(final int instrumentId, final long price, final long size, final long exchangeTimeNs)
            {
                ticks.incrementAndGet();
            }
        };
    }

    private static void awaitClosed(final AgentRunner runner) throws InterruptedException
    {
        final long deadline = System.nanoTime() + WAIT_NS;
        while (!runner.isClosed())
        {
            assertThat(System.nanoTime() - deadline).as("the replay thread ended").isNegative();
            Thread.sleep(5);
        }
    }

    private static void await(final CountDownLatch latch)
    {
        try
        {
            assertThat(latch.await(WAIT_NS, TimeUnit.NANOSECONDS)).isTrue();
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
            throw new AssertionError(ex);
        }
    }
}

package io.tickgate.gateway.conflation;

import io.tickgate.gateway.feed.IngressPublisher;
import io.tickgate.gateway.metrics.GatewayMetrics;
import io.tickgate.gateway.symbols.SymbolRegistry;
import org.agrona.concurrent.CachedNanoClock;
import org.agrona.concurrent.NoOpIdleStrategy;
import org.agrona.concurrent.UnsafeBuffer;
import org.agrona.concurrent.ringbuffer.ManyToOneRingBuffer;
import org.agrona.concurrent.ringbuffer.RingBufferDescriptor;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code tickgate_ring_fill_ratio} is the peak of the last ten whole seconds, so a Prometheus scraping every 5 or
 * 10 s sees the peak of every second, also of a one-second burst between two scrapes.
 */
class ConflatorRingFillTest
{
    private static final int CAPACITY = 64 * 1024;
    private static final long SECOND_NS = TimeUnit.SECONDS.toNanos(1);

    private final GatewayMetrics metrics = new GatewayMetrics();
    private final CachedNanoClock nanoClock = new CachedNanoClock();
    private final SymbolRegistry registry = new SymbolRegistry(16);
    private final ManyToOneRingBuffer ring = new ManyToOneRingBuffer(new UnsafeBuffer(
        ByteBuffer.allocateDirect(CAPACITY + RingBufferDescriptor.TRAILER_LENGTH)));
    private final Conflator conflator = new Conflator(
        ring,
        new LastValueCache(16),
        registry,
        nanoClock,
        nanoClock::nanoTime,
        16,
        TimeUnit.SECONDS.toNanos(3600),
        metrics.gaugeCounter("tickgate.subscriptions", "test"),
        metrics.counter("tickgate.stale.transitions", "test"));
    private final IngressPublisher publisher = new IngressPublisher(ring, 0,
        metrics.counter("tickgate.ring.full", "test"), metrics.counter("tickgate.ticks.ingested", "test"),
        NoOpIdleStrategy.INSTANCE);

    @AfterEach
    void close()
    {
        metrics.close();
    }

    @Test
    void shouldPublishTheHighestFillOfTheLastTenWholeSeconds()
    {
        final int sid = registry.register("AAA", 2, 0, 0).sid();
        nanoClock.update(SECOND_NS);
        conflator.doWork();
        assertThat(conflator.ringFillRatio()).isZero();

        // A burst that fills about half the ring, drained within the second.
        for (int i = 1; i <= 500; i++)
        {
            publisher.quote(sid, i, 100 + i, 1, 101 + i, 1, i, i);
        }
        final double burstFill = (double)ring.size() / ring.capacity();
        assertThat(burstFill).isBetween(0.4, 0.9);
        nanoClock.advance(SECOND_NS / 2);
        while (conflator.doWork() > 0)
        {
            // drain
        }
        assertThat(ring.size()).isZero();

        // The second the burst was in closes: from then on the burst's peak is published for ten whole seconds.
        for (int second = 1; second <= 10; second++)
        {
            nanoClock.advance(SECOND_NS);
            conflator.doWork();
            assertThat(conflator.ringFillRatio()).as("%d s after the burst", second).isCloseTo(burstFill,
                org.assertj.core.data.Offset.offset(0.01));
        }
        nanoClock.advance(SECOND_NS);
        conflator.doWork();
        assertThat(conflator.ringFillRatio()).as("eleven seconds on, the quiet seconds only").isZero();
    }
}

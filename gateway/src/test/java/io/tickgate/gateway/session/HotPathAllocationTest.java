package io.tickgate.gateway.session;

import io.tickgate.gateway.conflation.Conflator;
import io.tickgate.gateway.conflation.LastValueCache;
import io.tickgate.gateway.conflation.Subscriber;
import io.tickgate.gateway.conflation.SubscriberWaker;
import io.tickgate.gateway.feed.IngressPublisher;
import io.tickgate.gateway.metrics.GatewayMetrics;
import io.tickgate.gateway.metrics.LatencyRecorder;
import io.tickgate.gateway.symbols.SymbolRegistry;
import io.tickgate.protocol.FrameDescriptor;
import io.tickgate.protocol.FrameFlyweight;
import org.agrona.concurrent.CachedNanoClock;
import org.agrona.concurrent.EpochNanoClock;
import org.agrona.concurrent.NoOpIdleStrategy;
import org.agrona.concurrent.UnsafeBuffer;
import org.agrona.concurrent.ringbuffer.ManyToOneRingBuffer;
import org.agrona.concurrent.ringbuffer.RingBufferDescriptor;
import org.agrona.concurrent.status.AtomicCounter;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.lang.management.ManagementFactory;
import java.nio.ByteBuffer;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * ARCHITECTURE.md "zero allocation per tick", proven (STYLE.md 6): ticks go through the real publisher, ring,
 * conflator, pending set, subscription table and frame assembler, all driven by hand on the test thread, and the
 * thread's allocated bytes must stay flat across a million of them.
 */
class HotPathAllocationTest
{
    private static final int SYMBOLS = 64;
    /** Four rounds over every symbol per duty cycle: each frame carries 64 entries, each merging 4 ticks. */
    private static final int BATCH = 4 * SYMBOLS;
    /**
     * Long enough for the one-time JVM costs to pass: java.lang.invoke spins the VarHandle call sites' LambdaForms
     * on the calling thread (a few KiB, seen within the first ~500k ticks), and the tier-4 compiles land.
     */
    private static final int WARMUP_TICKS = 1_000_448;
    private static final int MEASURED_TICKS = 1_048_576;
    private static final long ALLOCATION_BUDGET_BYTES = 4 * 1024;
    private static final long EPOCH_NS = 1_764_000_000_000_000_000L;
    private static final long DUTY_CYCLE_NS = TimeUnit.MICROSECONDS.toNanos(50);

    private final GatewayMetrics metrics = new GatewayMetrics();
    private final CachedNanoClock nanoClock = new CachedNanoClock();
    private final EpochNanoClock epochClock = () -> EPOCH_NS + nanoClock.nanoTime();
    private final long sessionStartNs = nanoClock.nanoTime();
    private final SymbolRegistry registry = new SymbolRegistry(SYMBOLS * 2);
    private final LastValueCache cache = new LastValueCache(SYMBOLS * 2);
    private final ManyToOneRingBuffer ring = new ManyToOneRingBuffer(new UnsafeBuffer(
        ByteBuffer.allocateDirect((1 << 20) + RingBufferDescriptor.TRAILER_LENGTH)));
    private final AtomicCounter ringFull = metrics.counter("tickgate.ring.full", "test");
    private final AtomicCounter ticksIngested = metrics.counter("tickgate.ticks.ingested", "test");
    private final Conflator conflator = new Conflator(
        ring,
        cache,
        registry,
        nanoClock,
        epochClock,
        4096,
        TimeUnit.SECONDS.toNanos(3600),
        metrics.gaugeCounter("tickgate.subscriptions", "test"),
        metrics.counter("tickgate.stale.transitions", "test"));
    private final IngressPublisher publisher =
        new IngressPublisher(ring, 0, ringFull, ticksIngested, NoOpIdleStrategy.INSTANCE);
    private final PendingSet pending = new PendingSet(SYMBOLS);
    private final PendingSubscriber subscriber = new PendingSubscriber(pending);
    private final SubscriptionTable table = new SubscriptionTable(SYMBOLS);
    private final FrameAssembler assembler =
        new FrameAssembler(cache, new LatencyRecorder());
    private final UnsafeBuffer frameBuffer =
        new UnsafeBuffer(ByteBuffer.allocateDirect(FrameDescriptor.frameLength(SYMBOLS)));
    private final FrameFlyweight frame = new FrameFlyweight();

    private final int[] sids = new int[SYMBOLS];
    /** What the cache must hold at the end, per sid: the last quote and the last trade published. */
    private final long[] expectedBid = new long[SYMBOLS * 2];
    private final long[] expectedAsk = new long[SYMBOLS * 2];
    private final long[] expectedTradePrice = new long[SYMBOLS * 2];
    private final long[] expectedTradeSize = new long[SYMBOLS * 2];

    private long ticksPublished;
    private long frameSeq;
    private long framesWithEntries;
    private long entriesEncoded;
    /** Sum of 1 + conflated over every entry: must equal the ticks published once everything is flushed. */
    private long ticksAccounted;

    @AfterEach
    void tearDown()
    {
        metrics.close();
    }

    @Test
    void shouldAllocateNothingPerTickFromPublishToEncodedFrame()
    {
        final com.sun.management.ThreadMXBean threads =
            (com.sun.management.ThreadMXBean)ManagementFactory.getThreadMXBean();
        assumeTrue(threads.isThreadAllocatedMemorySupported(),
            "this JVM cannot count a thread's allocated bytes");
        threads.setThreadAllocatedMemoryEnabled(true);

        subscribeAll();
        drive(WARMUP_TICKS);
        final long framesBefore = framesWithEntries;

        // The first call may set up the bean's own state; only the difference between two later calls counts.
        threads.getCurrentThreadAllocatedBytes();
        final long before = threads.getCurrentThreadAllocatedBytes();
        drive(MEASURED_TICKS);
        final long allocated = threads.getCurrentThreadAllocatedBytes() - before;

        System.out.printf("HotPathAllocationTest: %d bytes allocated over %d ticks (%d frames, %d entries)%n",
            allocated, MEASURED_TICKS, framesWithEntries - framesBefore, entriesEncoded);

        // The loop must really have done the work, or a flat allocation count proves nothing.
        assertThat(ticksIngested.get()).isEqualTo(WARMUP_TICKS + MEASURED_TICKS);
        assertThat(ringFull.get()).as("the ring never filled: one batch per duty cycle").isZero();
        assertThat(framesWithEntries - framesBefore).isEqualTo(MEASURED_TICKS / BATCH);
        assertThat(entriesEncoded).isEqualTo((long)(WARMUP_TICKS + MEASURED_TICKS) / BATCH * SYMBOLS);
        assertThat(ticksAccounted).as("every tick published is in exactly one entry's conflated count")
            .isEqualTo(ticksPublished);
        assertLastFrameAndCacheHoldLastTicks();

        assertThat(allocated)
            .as("bytes allocated on the hot path over %d ticks", MEASURED_TICKS)
            .isLessThan(ALLOCATION_BUDGET_BYTES);
    }

    private void subscribeAll()
    {
        final int[] slots = new int[SYMBOLS];
        for (int i = 0; i < SYMBOLS; i++)
        {
            sids[i] = registry.register("SYM" + i, 4, 0, 0).sid();
            slots[i] = table.add(sids[i]);
        }
        conflator.proxy().subscribe(subscriber, sids, slots);
        conflator.doWork();
        assertThat(subscriber.marks).as("the conflator applied the subscription").isEqualTo(SYMBOLS);
        // Subscribing marks every slot pending; nothing has a value yet, so there is nothing to encode.
        pending.takeInto(table.dirty);
        assertThat(encode()).isZero();
    }

    /**
     * What the conflator and an IO thread do, interleaved on one thread: publish a batch, conflator duty cycles
     * until the ring is empty, take the pending bits, encode one update frame.
     */
    private void drive(final int ticks)
    {
        for (int done = 0; done < ticks; done += BATCH)
        {
            publishBatch();
            nanoClock.advance(DUTY_CYCLE_NS);
            // A ring read stops at the end of the buffer, so a batch that wraps takes a second duty cycle.
            while (conflator.doWork() > 0)
            {
                nanoClock.advance(DUTY_CYCLE_NS);
            }
            pending.takeInto(table.dirty);
            final int length = encode();
            if (0 != length)
            {
                frameSeq++;
                framesWithEntries++;
                frame.wrap(frameBuffer, 0);
                final int count = frame.count();
                entriesEncoded += count;
                for (int i = 0; i < count; i++)
                {
                    ticksAccounted += 1 + frame.conflated(i);
                }
            }
        }
    }

    private int encode()
    {
        final long nowNs = nanoClock.nanoTime();
        return assembler.encodeUpdates(
            table, frameBuffer, frameSeq + 1, nowNs, epochClock.nanoTime(), 0, sessionStartNs);
    }

    /**
     * Rounds over every symbol, quotes and trades alternating by round, with values derived from the tick number so
     * the last one per symbol is known.
     */
    private void publishBatch()
    {
        final long ingestNs = epochClock.nanoTime();
        for (int i = 0; i < BATCH; i++)
        {
            final long n = ++ticksPublished;
            final int sid = sids[(int)(n % SYMBOLS)];
            if (0 == (n / SYMBOLS & 1))
            {
                final long bid = 1_000_000 + n;
                publisher.quote(sid, n, bid, 100 + (n & 0xFF), bid + 5, 200 + (n & 0xFF), ingestNs - 1_000, ingestNs);
                expectedBid[sid] = bid;
                expectedAsk[sid] = bid + 5;
            }
            else
            {
                final long price = 2_000_000 + n;
                publisher.trade(sid, n, price, 1 + (n & 0x7F), ingestNs - 1_000, ingestNs);
                expectedTradePrice[sid] = price;
                expectedTradeSize[sid] = 1 + (n & 0x7F);
            }
        }
    }

    private void assertLastFrameAndCacheHoldLastTicks()
    {
        frame.wrap(frameBuffer, 0);
        assertThat(frame.kind()).isEqualTo(FrameDescriptor.KIND_UPDATE);
        assertThat(frame.frameSeq()).isEqualTo(frameSeq);
        assertThat(frame.count()).isEqualTo(SYMBOLS);
        final LastValueCache.ValueView view = new LastValueCache.ValueView();
        for (int i = 0; i < frame.count(); i++)
        {
            final int sid = frame.sid(i);
            cache.read(sid, view);
            assertThat(view.bidPrice).as("cached bid of sid %d", sid).isEqualTo(expectedBid[sid]);
            assertThat(view.askPrice).as("cached ask of sid %d", sid).isEqualTo(expectedAsk[sid]);
            assertThat(view.lastPrice).as("cached trade price of sid %d", sid).isEqualTo(expectedTradePrice[sid]);
            assertThat(view.lastSize).as("cached trade size of sid %d", sid).isEqualTo(expectedTradeSize[sid]);
            assertThat(frame.bidPrice(i)).as("encoded bid of sid %d", sid).isEqualTo(expectedBid[sid]);
            assertThat(frame.askPrice(i)).as("encoded ask of sid %d", sid).isEqualTo(expectedAsk[sid]);
            assertThat(frame.lastPrice(i)).as("encoded trade of sid %d", sid).isEqualTo(expectedTradePrice[sid]);
            assertThat(frame.seq(i)).as("encoded seq of sid %d", sid).isEqualTo(view.seq);
            assertThat(frame.flags(i)).isEqualTo(FrameDescriptor.FLAG_QUOTE | FrameDescriptor.FLAG_TRADE);
        }
    }

    /**
     * A session as the conflator sees it, minus the IO thread: the test takes the pending bits itself, so no wake.
     */
    private static final class PendingSubscriber implements Subscriber
    {
        private final PendingSet pending;
        private long marks;

        PendingSubscriber(final PendingSet pending)
        {
            this.pending = pending;
        }

        @Override
        public SubscriberWaker markPending(final int slot)
        {
            pending.mark(slot);
            marks++;
            return null;
        }
    }
}

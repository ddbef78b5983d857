package io.tickgate.gateway.session;

import io.tickgate.gateway.conflation.Conflator;
import io.tickgate.gateway.conflation.LastValueCache;
import io.tickgate.gateway.conflation.Subscriber;
import io.tickgate.gateway.conflation.SubscriberWaker;
import io.tickgate.gateway.feed.IngressPublisher;
import io.tickgate.gateway.symbols.SymbolRegistry;
import org.agrona.BufferUtil;
import org.agrona.concurrent.CachedNanoClock;
import org.agrona.concurrent.NoOpIdleStrategy;
import org.agrona.concurrent.UnsafeBuffer;
import org.agrona.concurrent.ringbuffer.ManyToOneRingBuffer;
import org.agrona.concurrent.ringbuffer.RingBufferDescriptor;
import org.agrona.concurrent.status.CountersManager;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

import java.nio.ByteBuffer;
import java.util.concurrent.TimeUnit;

/**
 * Ring plus conflator, per tick: a batch of ticks over 64 symbols goes through {@link IngressPublisher} into the
 * ring, one {@link Conflator#doWork()} applies them to the last-value cache and marks each symbol's subscribers'
 * {@link PendingSet}s; then every subscriber takes its pending bits, as its IO thread would. {@code subscribers}
 * is the number of sessions subscribed to every symbol. One thread plays all parts.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = "--add-exports=java.base/jdk.internal.misc=ALL-UNNAMED")
@State(Scope.Thread)
public class ConflatorBenchmark
{
    static final int SYMBOLS = 64;
    static final int BATCH = 256;

    @Param({ "1", "10", "100" })
    public int subscribers;

    private final CachedNanoClock nanoClock = new CachedNanoClock();
    private ManyToOneRingBuffer ring;
    private IngressPublisher publisher;
    private Conflator conflator;
    private PendingSet[] pendingSets;
    private long[] taken;
    private final int[] sids = new int[SYMBOLS];
    private long n;

    @Setup
    public void setup()
    {
        ring = new ManyToOneRingBuffer(new UnsafeBuffer(
            BufferUtil.allocateDirectAligned((1 << 20) + RingBufferDescriptor.TRAILER_LENGTH, 64)));
        final CountersManager counters = new CountersManager(
            new UnsafeBuffer(ByteBuffer.allocateDirect(8 * CountersManager.METADATA_LENGTH)),
            new UnsafeBuffer(ByteBuffer.allocateDirect(8 * CountersManager.COUNTER_LENGTH)));
        final SymbolRegistry registry = new SymbolRegistry(SYMBOLS * 2);
        final LastValueCache cache = new LastValueCache(SYMBOLS * 2);
        conflator = new Conflator(ring, cache, registry, nanoClock, () -> 1_764_000_000_000_000_000L, 4096,
            TimeUnit.HOURS.toNanos(1), counters.newCounter("subscriptions"), counters.newCounter("stale"));
        publisher = new IngressPublisher(ring, 0, counters.newCounter("full"), counters.newCounter("ticks"),
            NoOpIdleStrategy.INSTANCE);

        final int[] slots = new int[SYMBOLS];
        for (int i = 0; i < SYMBOLS; i++)
        {
            sids[i] = registry.register("SYM" + i, 4, 0, 0).sid();
            slots[i] = i;
        }
        pendingSets = new PendingSet[subscribers];
        taken = new long[1];
        for (int s = 0; s < subscribers; s++)
        {
            final PendingSet pending = new PendingSet(SYMBOLS);
            pendingSets[s] = pending;
            conflator.proxy().subscribe(new PendingSubscriber(pending), sids, slots);
        }
        while (conflator.doWork() > 0)
        {
            nanoClock.advance(1_000);
        }
    }

    @Benchmark
    @OperationsPerInvocation(BATCH)
    public int publishAndConflate()
    {
        final long ingestNs = 1_764_000_000_000_000_000L + n;
        for (int i = 0; i < BATCH; i++)
        {
            final long tick = ++n;
            publisher.quote(sids[i & (SYMBOLS - 1)], tick, 1_000_000 + tick, 100, 1_000_005 + tick, 200,
                ingestNs - 1_000, ingestNs);
        }
        nanoClock.advance(50_000);
        int work = 0;
        int done;
        // A ring read stops at the end of the buffer, so a batch that wraps takes a second duty cycle.
        while ((done = conflator.doWork()) > 0)
        {
            work += done;
        }
        for (final PendingSet pending : pendingSets)
        {
            taken[0] = 0;
            pending.takeInto(taken);
        }
        return work;
    }

    /** A session as the conflator sees it; the benchmark takes the pending bits itself, so there is no wake. */
    private static final class PendingSubscriber implements Subscriber
    {
        private final PendingSet pending;

        PendingSubscriber(final PendingSet pending)
        {
            this.pending = pending;
        }

        @Override
        public SubscriberWaker markPending(final int slot)
        {
            pending.mark(slot);
            return null;
        }
    }
}

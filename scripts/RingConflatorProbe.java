import io.tickgate.gateway.conflation.Conflator;
import io.tickgate.gateway.conflation.LastValueCache;
import io.tickgate.gateway.conflation.Subscriber;
import io.tickgate.gateway.conflation.SubscriberWaker;
import io.tickgate.gateway.feed.IngressPublisher;
import io.tickgate.gateway.metrics.GatewayMetrics;
import io.tickgate.gateway.session.PendingSet;
import io.tickgate.gateway.symbols.SymbolRegistry;
import org.agrona.concurrent.SystemNanoClock;
import org.agrona.concurrent.UnsafeBuffer;
import org.agrona.concurrent.YieldingIdleStrategy;
import org.agrona.concurrent.ringbuffer.ManyToOneRingBuffer;
import org.agrona.concurrent.ringbuffer.RingBufferDescriptor;

import java.lang.management.ManagementFactory;
import java.nio.ByteBuffer;

/**
 * Ring + conflator throughput on one thread: publish a batch of ticks into the ingress ring, let the conflator
 * drain it into the last-value cache and mark 100 subscribers x 10 symbols pending. Prints ticks/s and bytes
 * allocated per tick. Run (after ./tickgate has built the jar):
 *   java $(cat gateway/target/jvm.flags) -cp gateway/target/tickgate.jar scripts/RingConflatorProbe.java [SUBSCRIBERS]
 */
public final class RingConflatorProbe
{
    public static void main(final String[] args)
    {
        final int symbols = 100;
        final SymbolRegistry registry = new SymbolRegistry(1024);
        final LastValueCache cache = new LastValueCache(1024);
        final ManyToOneRingBuffer ring = new ManyToOneRingBuffer(new UnsafeBuffer(
            ByteBuffer.allocateDirect((8 << 20) + RingBufferDescriptor.TRAILER_LENGTH)));
        final GatewayMetrics metrics = new GatewayMetrics();
        final Conflator conflator = new Conflator(ring, cache, registry, SystemNanoClock.INSTANCE, () -> 1L, 8192,
            Long.MAX_VALUE / 4, metrics.gaugeCounter("subs", "d"), metrics.counter("stale", "d"));
        final IngressPublisher publisher = new IngressPublisher(ring, 0, metrics.counter("full", "d"),
            metrics.counter("ticks", "d"), new YieldingIdleStrategy());
        for (int i = 0; i < symbols; i++)
        {
            registry.register("S" + i, 4, 0, 0);
        }
        final PendingSet[] pendingSets = new PendingSet[args.length > 0 ? Integer.parseInt(args[0]) : 100];
        final long[] scratch = new long[64];
        for (int s = 0; s < pendingSets.length; s++)
        {
            final PendingSet pending = new PendingSet(64);
            pendingSets[s] = pending;
            final Subscriber subscriber = slot ->
            {
                pending.mark(slot);
                return null;
            };
            final int[] sids = new int[10];
            final int[] slots = new int[10];
            for (int k = 0; k < 10; k++)
            {
                sids[k] = (s * 7 + k * 13) % symbols;
                slots[k] = k;
            }
            conflator.proxy().subscribe(subscriber, sids, slots);
        }
        conflator.doWork();

        final com.sun.management.ThreadMXBean threads =
            (com.sun.management.ThreadMXBean)ManagementFactory.getThreadMXBean();
        for (int round = 0; round < 5; round++)
        {
            final long ticks = 20_000_000;
            final long allocatedBefore = threads.getCurrentThreadAllocatedBytes();
            final long startNs = System.nanoTime();
            long price = 0;
            for (long t = 0; t < ticks; t += 4096)
            {
                for (int i = 0; i < 4096; i++)
                {
                    price++;
                    publisher.quote((int)(price % symbols), price, price, price, 1, price + 1, 1, price);
                }
                conflator.doWork();
                for (final PendingSet pending : pendingSets)
                {
                    pending.takeInto(scratch);
                }
            }
            final long elapsedNs = System.nanoTime() - startNs;
            final long allocated = threads.getCurrentThreadAllocatedBytes() - allocatedBefore;
            System.out.printf("round %d: %.1f M ticks/s, %.4f bytes allocated per tick%n",
                round, ticks * 1e3 / elapsedNs, (double)allocated / ticks);
        }
    }
}

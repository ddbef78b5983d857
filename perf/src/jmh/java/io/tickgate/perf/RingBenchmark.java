package io.tickgate.perf;

import io.tickgate.gateway.feed.IngressPublisher;
import io.tickgate.gateway.metrics.LatencyRecorder;
import org.agrona.BufferUtil;
import org.agrona.concurrent.MessageHandler;
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
 * The ingress hand-off, per tick: {@link IngressPublisher} claims and commits a tick record in the
 * {@link ManyToOneRingBuffer}, then a reader drains the batch, as the conflator does (its own work excluded; see
 * {@code ConflatorBenchmark}). Producer and consumer share one thread here, so there is no cache-line transfer
 * between cores: a floor, not what two threads see.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = "--add-exports=java.base/jdk.internal.misc=ALL-UNNAMED")
@State(Scope.Thread)
public class RingBenchmark
{
    static final int BATCH = 64;

    /** With the feed's exchange-to-ingest recorder on, as every gateway source runs; off shows what it costs. */
    @Param({ "true", "false" })
    public boolean recordFeedLatency;

    private final MessageHandler reader = this::onTick;
    private ManyToOneRingBuffer ring;
    private IngressPublisher publisher;
    private long exchangeTimeNs = 1_764_000_000_000_000_000L;
    private long sink;

    @Setup
    public void setup()
    {
        ring = new ManyToOneRingBuffer(new UnsafeBuffer(
            BufferUtil.allocateDirectAligned((1 << 20) + RingBufferDescriptor.TRAILER_LENGTH, 64)));
        final CountersManager counters = new CountersManager(
            new UnsafeBuffer(ByteBuffer.allocateDirect(4 * CountersManager.METADATA_LENGTH)),
            new UnsafeBuffer(ByteBuffer.allocateDirect(4 * CountersManager.COUNTER_LENGTH)));
        publisher = new IngressPublisher(ring, 0, counters.newCounter("full"), counters.newCounter("ticks"),
            NoOpIdleStrategy.INSTANCE, recordFeedLatency ? new LatencyRecorder() : null);
    }

    @Benchmark
    @OperationsPerInvocation(BATCH)
    public long offerAndDrain()
    {
        final long ingestTimeNs = exchangeTimeNs + 250_000;
        for (int i = 0; i < BATCH; i++)
        {
            publisher.quote(i, i, 1_000_000 + i, 100, 1_000_100 + i, 200, exchangeTimeNs + i, ingestTimeNs);
        }
        exchangeTimeNs += BATCH;
        // A read stops at the end of the buffer, so drain until empty or the ring slowly fills.
        while (ring.read(reader) > 0)
        {
            // Drained by the reader.
        }
        return sink;
    }

    private void onTick(final int msgTypeId, final org.agrona.MutableDirectBuffer buffer, final int index,
        final int length)
    {
        sink += buffer.getInt(index) + length;
    }
}

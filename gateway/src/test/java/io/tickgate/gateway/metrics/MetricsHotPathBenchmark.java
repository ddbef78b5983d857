package io.tickgate.gateway.metrics;

import io.tickgate.gateway.feed.IngressPublisher;
import org.HdrHistogram.SingleWriterRecorder;
import org.agrona.BufferUtil;
import org.agrona.concurrent.MessageHandler;
import org.agrona.concurrent.NoOpIdleStrategy;
import org.agrona.concurrent.UnsafeBuffer;
import org.agrona.concurrent.ringbuffer.ManyToOneRingBuffer;
import org.agrona.concurrent.ringbuffer.RingBufferDescriptor;
import org.agrona.concurrent.status.AtomicCounter;
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
 * What the metrics cost on the hot path, per tick:
 * <ul>
 *   <li>{@code publishTicks}: a feed producer writing ticks into the ingress ring (drained in batches, as the
 *       conflator would) with its counters, with and without recording exchange-to-ingest latency;</li>
 *   <li>{@code recordTickToWire}: one value into an IO thread's tick-to-wire recorder, what each UPDATE entry
 *       costs on the IO thread.</li>
 * </ul>
 * Run: {@code java -cp ... org.openjdk.jmh.Main MetricsHotPathBenchmark -prof gc} (docs/metrics.md). Single
 * threaded; not a test.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = "--add-exports=java.base/jdk.internal.misc=ALL-UNNAMED")
@State(Scope.Thread)
public class MetricsHotPathBenchmark
{
    private static final int BATCH = 64;
    private static final MessageHandler DISCARD = (msgTypeId, buffer, index, length) -> {};

    @Param({ "true", "false" })
    public boolean recordFeedLatency;

    private ManyToOneRingBuffer ring;
    private IngressPublisher publisher;
    private final SingleWriterRecorder tickToWire = LatencyPublisher.newRecorder();
    private long exchangeTimeNs = 1_764_000_000_000_000_000L;
    private long value;

    @Setup
    public void setup()
    {
        ring = new ManyToOneRingBuffer(new UnsafeBuffer(
            BufferUtil.allocateDirectAligned((1 << 20) + RingBufferDescriptor.TRAILER_LENGTH, 64)));
        final CountersManager counters = new CountersManager(
            new UnsafeBuffer(ByteBuffer.allocateDirect(4 * CountersManager.METADATA_LENGTH)),
            new UnsafeBuffer(ByteBuffer.allocateDirect(4 * CountersManager.COUNTER_LENGTH)));
        final AtomicCounter full = counters.newCounter("full");
        final AtomicCounter ticks = counters.newCounter("ticks");
        publisher = new IngressPublisher(ring, 0, full, ticks, NoOpIdleStrategy.INSTANCE,
            recordFeedLatency ? LatencyPublisher.newRecorder() : null);
    }

    @Benchmark
    @OperationsPerInvocation(BATCH)
    public int publishTicks()
    {
        final long ingestTimeNs = exchangeTimeNs + 250_000;
        for (int i = 0; i < BATCH; i++)
        {
            publisher.quote(i, i, 1_000_000 + i, 100, 1_000_100 + i, 200, exchangeTimeNs + i * 1_000L, ingestTimeNs);
        }
        exchangeTimeNs += BATCH * 1_000L;
        // A read stops at the end of the buffer, so drain until empty or the ring slowly fills.
        int read = 0;
        int n;
        while ((n = ring.read(DISCARD)) > 0)
        {
            read += n;
        }
        return read;
    }

    @Benchmark
    public void recordTickToWire()
    {
        value = (value + 7_919) & 0xF_FFFF;
        tickToWire.recordValue(value + 1);
    }
}

package io.tickgate.gateway.session;

import io.tickgate.gateway.conflation.LastValueCache;
import io.tickgate.gateway.metrics.LatencyRecorder;
import io.tickgate.protocol.FrameDescriptor;
import org.agrona.concurrent.UnsafeBuffer;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

import java.nio.ByteBuffer;
import java.util.concurrent.TimeUnit;

/**
 * One UPDATE frame of {@code entries} entries from a session's dirty slots, what an IO thread does per frame:
 * {@link FrameAssembler#encodeUpdates} reads each symbol from the last-value cache, writes the entry and records its
 * tick-to-wire latency. Before each op the slots are marked dirty again and their last-sent seq cleared, so every
 * slot is encoded every time.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = "--add-exports=java.base/jdk.internal.misc=ALL-UNNAMED")
@State(Scope.Thread)
public class FrameEncodeBenchmark
{
    private static final long EPOCH_NS = 1_764_000_000_000_000_000L;

    @Param({ "1", "16", "64" })
    public int entries;

    private SubscriptionTable table;
    private FrameAssembler assembler;
    private UnsafeBuffer buffer;
    private long frameSeq;
    private long nowNs;

    @Setup
    public void setup()
    {
        final LastValueCache cache = new LastValueCache(128);
        table = new SubscriptionTable(64);
        for (int sid = 0; sid < entries; sid++)
        {
            cache.applyQuote(sid, 1_000_000 + sid, 100, 1_000_005 + sid, 200, EPOCH_NS - 2_000, EPOCH_NS - 1_000);
            table.add(sid);
        }
        assembler = new FrameAssembler(cache, new LatencyRecorder());
        buffer = new UnsafeBuffer(ByteBuffer.allocateDirect(FrameDescriptor.frameLength(64)));
    }

    @Benchmark
    public int encodeUpdates()
    {
        for (int slot = 0; slot < entries; slot++)
        {
            table.dirty[slot >> 6] |= 1L << slot;
            table.lastSentSeq[slot] = 0;
        }
        nowNs += 1_000;
        return assembler.encodeUpdates(table, buffer, ++frameSeq, nowNs, EPOCH_NS + nowNs, 0, 0);
    }
}

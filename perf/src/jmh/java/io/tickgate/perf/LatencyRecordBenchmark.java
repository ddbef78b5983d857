package io.tickgate.perf;

import io.tickgate.gateway.metrics.LatencyRecorder;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

import java.util.concurrent.TimeUnit;

/**
 * One latency value into the gateway's {@link LatencyRecorder} (1 ns to an hour, 3 digits): alone, as the feed
 * handler records each tick, and inside a 16-value batch, as the IO thread records the entries of a frame. The
 * values walk over 1 µs to 1 ms so they do not hit one counter.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = "--add-exports=java.base/jdk.internal.misc=ALL-UNNAMED")
@State(Scope.Thread)
public class LatencyRecordBenchmark
{
    private static final int BATCH = 16;

    private final LatencyRecorder recorder = new LatencyRecorder();
    private long value;

    @Benchmark
    public void recordValue()
    {
        value = (value + 7_919) & 0xF_FFFF;
        recorder.record(1_000 + value);
    }

    @Benchmark
    @OperationsPerInvocation(BATCH)
    public void recordInBatch()
    {
        recorder.beginBatch();
        for (int i = 0; i < BATCH; i++)
        {
            value = (value + 7_919) & 0xF_FFFF;
            recorder.recordInBatch(1_000 + value);
        }
        recorder.endBatch();
    }
}

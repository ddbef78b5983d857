package io.tickgate.perf;

import org.HdrHistogram.SingleWriterRecorder;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

import java.util.concurrent.TimeUnit;

/**
 * One latency value into a {@link SingleWriterRecorder} with the gateway's range (1 ns to an hour, 3 digits), what
 * each UPDATE entry costs the IO thread; the values walk over 1 µs to 1 ms so they do not hit one counter.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = "--add-exports=java.base/jdk.internal.misc=ALL-UNNAMED")
@State(Scope.Thread)
public class LatencyRecordBenchmark
{
    private final SingleWriterRecorder recorder = new SingleWriterRecorder(1, 3_600_000_000_000L, 3);
    private long value;

    @Benchmark
    public void recordValue()
    {
        value = (value + 7_919) & 0xF_FFFF;
        recorder.recordValue(1_000 + value);
    }
}

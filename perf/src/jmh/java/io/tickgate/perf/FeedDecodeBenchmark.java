package io.tickgate.perf;

import io.tickgate.protocol.FeedDatagramDecoder;
import io.tickgate.protocol.FeedDatagramEncoder;
import io.tickgate.protocol.FeedDecodeResult;
import io.tickgate.protocol.FeedMessageHandler;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

import java.nio.ByteBuffer;
import java.util.concurrent.TimeUnit;

/**
 * Validating and dispatching one full TKF1 datagram as the feed handler receives it: quotes and trades mixed three
 * to one over 50 instruments, as many as fit in 1,472 bytes. One op is one datagram; {@link #messages} says how many
 * ticks that is, so ns per tick is the score divided by it.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = "--add-exports=java.base/jdk.internal.misc=ALL-UNNAMED")
@State(Scope.Thread)
public class FeedDecodeBenchmark implements FeedMessageHandler
{
    private final UnsafeBuffer datagram = new UnsafeBuffer(ByteBuffer.allocateDirect(2048));
    private final FeedDatagramDecoder decoder = new FeedDatagramDecoder();
    private int length;
    public int messages;
    private long sink;

    @Setup
    public void setup()
    {
        final FeedDatagramEncoder encoder = new FeedDatagramEncoder().wrap(datagram, 0).begin(1, 1_764_000_000L);
        final long t0 = 1_764_000_000_000_000_000L;
        for (int i = 0; ; i++)
        {
            final boolean added = 3 == (i & 3) ?
                encoder.addTrade(i % 50, 1_000_000 + i, 1 + i, t0 + i) :
                encoder.addQuote(i % 50, 1_000_000 + i, 100 + i, 1_000_100 + i, 200 + i, t0 + i);
            if (!added)
            {
                break;
            }
        }
        length = encoder.length();
        messages = encoder.count();
    }

    @Benchmark
    public long decodeDatagram()
    {
        if (FeedDecodeResult.OK != decoder.decode(datagram, 0, length, this))
        {
            throw new IllegalStateException("the benchmark datagram no longer decodes");
        }
        return sink;
    }

    @Override
    public void onDefinition(
        final long seq,
        final int instrumentId,
        final int priceScale,
        final int sizeScale,
        final DirectBuffer symbolBuffer,
        final int symbolOffset)
    {
        sink += instrumentId;
    }

    @Override
    public void onQuote(
        final long seq,
        final int instrumentId,
        final long bidPrice,
        final long bidSize,
        final long askPrice,
        final long askSize,
        final long exchangeTimeNs)
    {
        sink += bidPrice ^ askSize ^ exchangeTimeNs;
    }

    @Override
    public void onTrade(final long seq, final int instrumentId, final long price, final long size,
        final long exchangeTimeNs)
    {
        sink += price ^ size;
    }
}

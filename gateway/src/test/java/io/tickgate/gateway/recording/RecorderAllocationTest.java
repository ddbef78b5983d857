package io.tickgate.gateway.recording;

import io.tickgate.gateway.feed.IngressPublisher;
import io.tickgate.gateway.symbols.SymbolRegistry;
import io.tickgate.simulator.recording.RecordingDescriptor;
import io.tickgate.simulator.recording.RecordingReader;
import org.agrona.BufferUtil;
import org.agrona.concurrent.UnsafeBuffer;
import org.agrona.concurrent.YieldingIdleStrategy;
import org.agrona.concurrent.ringbuffer.ManyToOneRingBuffer;
import org.agrona.concurrent.ringbuffer.RingBufferDescriptor;
import org.agrona.concurrent.status.AtomicCounter;
import org.agrona.concurrent.status.CountersManager;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.lang.management.ManagementFactory;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The recorder's hot path, from the source's copy into the recording ring to the journal, allocates nothing per
 * tick: a million ticks driven on the test thread after a warm-up, measured with the thread's allocation counter.
 */
class RecorderAllocationTest
{
    @TempDir
    Path dir;

    @Test
    void shouldRecordMillionTicksWithoutAllocating()
    {
        final ManyToOneRingBuffer ingress = ring(1 << 20);
        final ManyToOneRingBuffer recording = ring(1 << 20);
        final CountersManager counters = new CountersManager(
            new UnsafeBuffer(new byte[64 * 1024]), new UnsafeBuffer(new byte[16 * 1024]));
        final AtomicCounter ticks = counters.newCounter("ticks");
        final AtomicCounter recorded = counters.newCounter("recorded");
        final AtomicCounter dropped = counters.newCounter("dropped");
        final SymbolRegistry registry = new SymbolRegistry(1024);
        for (int i = 0; i < 100; i++)
        {
            registry.register("SYM" + i, 4, 0, 0);
        }
        final IngressPublisher publisher = new IngressPublisher(ingress, 0, counters.newCounter("full"), ticks,
            new YieldingIdleStrategy()).recordTo(recording, dropped);
        final Recorder recorder = new Recorder(recording, registry, dir, recorded, dropped, 4096);
        recorder.onStart();

        drive(publisher, ingress, recorder, 200_000);
        final com.sun.management.ThreadMXBean threads =
            (com.sun.management.ThreadMXBean)ManagementFactory.getThreadMXBean();
        final long before = threads.getCurrentThreadAllocatedBytes();
        drive(publisher, ingress, recorder, 1_000_000);
        final long allocated = threads.getCurrentThreadAllocatedBytes() - before;
        recorder.onClose();

        assertThat(dropped.get()).isZero();
        assertThat(recorded.get()).isEqualTo(1_200_000);
        assertThat(allocated).as("bytes allocated for a million recorded ticks").isLessThan(64 * 1024);

        long read = 0;
        try (RecordingReader reader = RecordingReader.open(dir))
        {
            byte type;
            while (RecordingReader.END != (type = reader.next()))
            {
                read += RecordingDescriptor.TYPE_DEFINITION == type ? 0 : 1;
            }
        }
        assertThat(read).isEqualTo(1_200_000);
    }

    private static void drive(
        final IngressPublisher publisher, final ManyToOneRingBuffer ingress, final Recorder recorder, final int count)
    {
        for (int i = 0; i < count; i++)
        {
            final int sid = i % 100;
            if (0 == (i & 7))
            {
                publisher.trade(sid, i, 1_000_000 + i, 10, 1_700_000_000_000_000_000L + i, 1_700_000_000_000_500_000L);
            }
            else
            {
                publisher.quote(sid, i, 1_000_000 + i, 10, 1_000_100 + i, 20, 1_700_000_000_000_000_000L + i,
                    1_700_000_000_000_500_000L + i);
            }
            if (0 == (i & 1023))
            {
                ingress.read((msgTypeId, buffer, index, length) -> { }, Integer.MAX_VALUE);
                recorder.doWork();
            }
        }
        ingress.read((msgTypeId, buffer, index, length) -> { }, Integer.MAX_VALUE);
        while (recorder.doWork() > 0)
        {
            Thread.onSpinWait();
        }
    }

    private static ManyToOneRingBuffer ring(final int capacity)
    {
        return new ManyToOneRingBuffer(new UnsafeBuffer(
            BufferUtil.allocateDirectAligned(capacity + RingBufferDescriptor.TRAILER_LENGTH, 64)));
    }
}

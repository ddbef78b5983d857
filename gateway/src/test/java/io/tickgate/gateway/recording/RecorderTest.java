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

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The recorder's duty cycle on the test thread: batches limited by the read limit, a small recording ring that
 * wraps many times, a ring that fills, and definitions that change; every tick checked field by field in the
 * journal.
 */
class RecorderTest
{
    /** 64 KiB: 910 ticks of 72 bytes, so a few hundred ticks a burst wrap the ring over and over. */
    private static final int RING_CAPACITY = 64 * 1024;

    @TempDir
    Path dir;

    private final CountersManager counters = new CountersManager(
        new UnsafeBuffer(new byte[64 * 1024]), new UnsafeBuffer(new byte[16 * 1024]));
    private final AtomicCounter recorded = counters.newCounter("recorded");
    private final AtomicCounter dropped = counters.newCounter("dropped");
    private final SymbolRegistry registry = new SymbolRegistry(64);
    private final ManyToOneRingBuffer ingress = ring(1 << 20);
    private final ManyToOneRingBuffer recording = ring(RING_CAPACITY);
    private final IngressPublisher publisher = new IngressPublisher(ingress, 0, counters.newCounter("full"),
        counters.newCounter("ticks"), new YieldingIdleStrategy()).recordTo(recording, dropped);

    @Test
    void shouldRecordEveryTickInOrderWhenCyclesAreLimitedAndRingWraps()
    {
        for (int i = 0; i < 7; i++)
        {
            registry.register("S" + i, 2, 1, 0);
        }
        final Recorder recorder = new Recorder(recording, registry, dir, recorded, dropped, 100);
        long seq = 0;
        for (int burst = 0; burst < 300; burst++)
        {
            for (int i = 0; i < 450; i++)
            {
                publish(seq++);
            }
            ingress.read((msgTypeId, buffer, index, length) -> { }, Integer.MAX_VALUE);
            // A full read limit each cycle until the last, partial one; the counter moves only with a flush.
            for (int cycle = 0; cycle < 4; cycle++)
            {
                assertThat(recorder.doWork()).isEqualTo(100);
                assertThat(recorded.get()).isEqualTo(burst * 450L + (cycle + 1) * 100L);
            }
            assertThat(recorder.doWork()).isEqualTo(50);
            assertThat(recorder.doWork()).isZero();
            if (0 == burst % 100)
            {
                assertThat(readTicks().size()).as("readable after the flush").isEqualTo(recorded.get());
            }
        }
        recorder.onClose();

        assertThat(dropped.get()).isZero();
        assertThat(recorded.get()).isEqualTo(seq);
        final List<long[]> ticks = readTicks();
        assertThat(ticks).hasSize((int)seq);
        for (int i = 0; i < seq; i++)
        {
            assertThat(ticks.get(i)).as("tick %d", i).containsExactly(expected(i));
        }
    }

    @Test
    void shouldCountTicksThatFindRingFullAndRecordTheRestInOrder()
    {
        registry.register("FULL", 0, 0, 0);
        final Recorder recorder = new Recorder(recording, registry, dir, recorded, dropped, 4096);
        for (long seq = 0; seq < 2_000; seq++)
        {
            publisher.quote(0, seq, 100, 1, 101, 1, seq, seq);
        }
        final long fitted = 2_000 - dropped.get();
        assertThat(fitted).as("what a 64 KiB ring holds").isBetween(900L, 910L);
        while (recorder.doWork() > 0)
        {
            Thread.onSpinWait();
        }
        for (long seq = 2_000; seq < 2_010; seq++)
        {
            publisher.quote(0, seq, 100, 1, 101, 1, seq, seq);
        }
        recorder.onClose();

        assertThat(recorded.get()).as("dropped " + dropped.get()).isEqualTo(fitted + 10);
        final List<long[]> ticks = readTicks();
        for (int i = 0; i < fitted; i++)
        {
            assertThat(ticks.get(i)[2]).isEqualTo(i);
        }
        assertThat(ticks.get((int)fitted)[2]).as("after a drain the ring takes ticks again").isEqualTo(2_000);
    }

    @Test
    void shouldCountTicksTheFileWillNotTakeAsDroppedAndRecordAgainOnceItDoes()
    {
        for (int i = 0; i < 7; i++)
        {
            registry.register("S" + i, 2, 1, 0);
        }
        final boolean[] full = new boolean[1];
        // Cycles of 3,000 ticks: more than a batch holds, so the writer's own flush fails inside a cycle too.
        final ManyToOneRingBuffer bigRecording = ring(1 << 20);
        final IngressPublisher bigPublisher = new IngressPublisher(ingress, 0, counters.newCounter("full"),
            counters.newCounter("ticks"), new YieldingIdleStrategy()).recordTo(bigRecording, dropped);
        final Recorder recorder = new Recorder(bigRecording, registry, dir, recorded, dropped, 4096,
            (file) -> new RandomAccessFile(file, "rw")
            {
                @Override
                public void write(final byte[] b, final int off, final int len) throws IOException
                {
                    failIfFull();
                    super.write(b, off, len);
                }

                @Override
                public void write(final byte[] b) throws IOException
                {
                    failIfFull();
                    super.write(b);
                }

                private void failIfFull() throws IOException
                {
                    if (full[0])
                    {
                        throw new IOException("No space left on device");
                    }
                }
            });
        final List<Long> expectedSeqs = new ArrayList<>();
        long seq = 0;
        for (int burst = 0; burst < 12; burst++)
        {
            full[0] = burst >= 4 && burst < 8;
            for (int i = 0; i < 3_000; i++)
            {
                if (!full[0])
                {
                    expectedSeqs.add(seq);
                }
                publish(bigPublisher, seq++);
            }
            ingress.read((msgTypeId, buffer, index, length) -> { }, Integer.MAX_VALUE);
            while (recorder.doWork() > 0)
            {
                Thread.onSpinWait();
            }
            assertThat(recorded.get() + dropped.get()).as("burst %d", burst).isEqualTo(seq);
        }
        recorder.onClose();

        assertThat(dropped.get()).as("every tick published while full").isEqualTo(4 * 3_000L);
        assertThat(recorded.get()).isEqualTo(8 * 3_000L);
        final List<long[]> ticks = readTicks();
        assertThat(ticks).hasSize(expectedSeqs.size());
        for (int i = 0; i < ticks.size(); i++)
        {
            assertThat(ticks.get(i)).as("tick %d", i).containsExactly(expected(expectedSeqs.get(i)));
        }
    }

    /**
     * On a disk that stays full, small batches still fit in blocks a failed batch had taken: each such write was
     * logged as recovery, then the next big batch as a new failure, several lines of each within milliseconds.
     */
    @Test
    void shouldSayOnceThatWritingFailsAndOnceThatItWritesAgainWhileSmallBatchesStillFit() throws Exception
    {
        for (int i = 0; i < 7; i++)
        {
            registry.register("S" + i, 2, 1, 0);
        }
        final boolean[] full = new boolean[1];
        final ManyToOneRingBuffer bigRecording = ring(1 << 20);
        final IngressPublisher bigPublisher = new IngressPublisher(ingress, 0, counters.newCounter("full"),
            counters.newCounter("ticks"), new YieldingIdleStrategy()).recordTo(bigRecording, dropped);
        final Recorder recorder = new Recorder(bigRecording, registry, dir, recorded, dropped, 4096,
            (file) -> new RandomAccessFile(file, "rw")
            {
                @Override
                public void write(final byte[] b, final int off, final int len) throws IOException
                {
                    if (full[0] && len > 1024)
                    {
                        throw new IOException("No space left on device");
                    }
                    super.write(b, off, len);
                }
            });
        final java.io.ByteArrayOutputStream log = new java.io.ByteArrayOutputStream();
        final java.io.PrintStream err = System.err;
        System.setErr(new java.io.PrintStream(log, true, java.nio.charset.StandardCharsets.UTF_8));
        try
        {
            long seq = 0;
            full[0] = true;
            for (int round = 0; round < 5; round++)
            {
                seq = publishAndRecord(bigPublisher, recorder, seq, 3_000);
                seq = publishAndRecord(bigPublisher, recorder, seq, 2);
            }
            assertThat(lines(log, "No space left on device")).isEqualTo(1);
            assertThat(lines(log, "writes again")).isZero();

            full[0] = false;
            seq = publishAndRecord(bigPublisher, recorder, seq, 3_000);
            assertThat(lines(log, "writes again")).as("said only once writes have gone on succeeding").isZero();
            Thread.sleep(java.util.concurrent.TimeUnit.NANOSECONDS.toMillis(Recorder.RECOVERED_AFTER_NS) + 100);
            seq = publishAndRecord(bigPublisher, recorder, seq, 2);
            assertThat(lines(log, "writes again")).isEqualTo(1);
            assertThat(lines(log, "No space left on device")).isEqualTo(1);
            assertThat(recorded.get() + dropped.get()).isEqualTo(seq);
            recorder.onClose();
        }
        finally
        {
            System.setErr(err);
        }
    }

    private long publishAndRecord(final IngressPublisher publisher, final Recorder recorder, final long from,
        final int ticks)
    {
        long seq = from;
        for (int i = 0; i < ticks; i++)
        {
            publish(publisher, seq++);
        }
        ingress.read((msgTypeId, buffer, index, length) -> { }, Integer.MAX_VALUE);
        while (recorder.doWork() > 0)
        {
            Thread.onSpinWait();
        }
        return seq;
    }

    private static long lines(final java.io.ByteArrayOutputStream log, final String text)
    {
        return log.toString(java.nio.charset.StandardCharsets.UTF_8).lines().filter(line -> line.contains(text))
            .count();
    }

    @Test
    void shouldLeaveNoSegmentWhenStoppedBeforeAnyTick() throws Exception
    {
        final Recorder recorder = new Recorder(recording, registry, dir, recorded, dropped, 4096);
        assertThat(RecordingDescriptor.segments(dir)).as("opened at start").hasSize(1);
        recorder.doWork();
        recorder.onClose();
        // Stopped while it started (Ctrl-C): each such restart left a 94-byte segment of no records behind.
        assertThat(RecordingDescriptor.segments(dir)).isEmpty();

        registry.register("KEPT", 2, 0, 0);
        final Recorder second = new Recorder(recording, registry, dir, recorded, dropped, 4096);
        publisher.trade(0, 1, 500, 1, 10, 10);
        second.onClose();
        assertThat(RecordingDescriptor.segments(dir)).as("a segment with a tick stays").hasSize(1);
    }

    @Test
    void shouldWriteDefinitionBeforeFirstTickAndAgainWhenAnotherSourceDefinesIt()
    {
        registry.register("DEF", 2, 0, 0);
        final Recorder recorder = new Recorder(recording, registry, dir, recorded, dropped, 4096);
        publisher.trade(0, 1, 500, 1, 10, 10);
        publisher.trade(0, 2, 501, 1, 20, 20);
        recorder.doWork();
        assertThat(registry.register("DEF", 3, 1, 0).priceScale()).as("a rescale is refused").isEqualTo(2);
        publisher.trade(0, 3, 502, 1, 30, 30);
        recorder.doWork();
        registry.register("DEF", 2, 0, 1);
        publisher.trade(0, 4, 503, 1, 40, 40);
        recorder.onClose();

        final List<String> records = new ArrayList<>();
        try (RecordingReader reader = RecordingReader.open(dir))
        {
            byte type;
            while (RecordingReader.END != (type = reader.next()))
            {
                records.add(RecordingDescriptor.TYPE_DEFINITION == type ?
                    "D " + reader.symbol() + " " + reader.priceScale() + " " + reader.sizeScale() :
                    (char)type + " " + reader.feedSeq() + " " + reader.price1());
            }
        }
        assertThat(records).containsExactly("D DEF 2 0", "T 1 500", "T 2 501", "T 3 502", "D DEF 2 0", "T 4 503");
    }

    private void publish(final long seq)
    {
        publish(publisher, seq);
    }

    private static void publish(final IngressPublisher publisher, final long seq)
    {
        final long[] tick = expected(seq);
        if (RecordingDescriptor.TYPE_TRADE == tick[0])
        {
            publisher.trade((int)tick[1], seq, tick[5], tick[6], tick[3], tick[4]);
        }
        else
        {
            publisher.quote((int)tick[1], seq, tick[5], tick[6], tick[7], tick[8], tick[3], tick[4]);
        }
    }

    /**
     * {type, sid, feedSeq, exchange time, recorded time, price1, size1, price2, size2} of the tick numbered seq.
     */
    private static long[] expected(final long seq)
    {
        final boolean trade = 0 == seq % 5;
        final long exchange = 1_700_000_000_000_000_000L + seq * 997;
        return new long[] {trade ? RecordingDescriptor.TYPE_TRADE : RecordingDescriptor.TYPE_QUOTE, seq % 7, seq,
            exchange, exchange + 40_000 + seq % 13, 100_000 + seq % 101 - 50, 1 + seq % 9,
            trade ? 0 : 100_010 + seq % 37, trade ? 0 : 2 + seq % 11};
    }

    private List<long[]> readTicks()
    {
        final List<long[]> ticks = new ArrayList<>();
        try (RecordingReader reader = RecordingReader.open(dir))
        {
            byte type;
            while (RecordingReader.END != (type = reader.next()))
            {
                if (RecordingDescriptor.TYPE_DEFINITION != type)
                {
                    ticks.add(new long[] {type, reader.instrumentId(), reader.feedSeq(), reader.exchangeTimeNs(),
                        reader.recordedTimeNs(), reader.price1(), reader.size1(), reader.price2(), reader.size2()});
                }
            }
        }
        return ticks;
    }

    private static ManyToOneRingBuffer ring(final int capacity)
    {
        return new ManyToOneRingBuffer(new UnsafeBuffer(
            BufferUtil.allocateDirectAligned(capacity + RingBufferDescriptor.TRAILER_LENGTH, 64)));
    }
}

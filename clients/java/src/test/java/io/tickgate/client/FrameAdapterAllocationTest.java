package io.tickgate.client;

import io.tickgate.protocol.FrameDescriptor;
import io.tickgate.protocol.FrameFlyweight;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import java.lang.management.ManagementFactory;
import java.nio.ByteBuffer;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Bytes allocated per decoded entry in steady state, on the path a binary message takes inside the client:
 * wrap the WebSocket's {@code ByteBuffer}, check the header and frameSeq, check each entry's seq, copy it into the
 * symbol's {@link MarketData}, call the listener. Prints the figure and the decode rate.
 * <p>
 * Reproduce: {@code mvn -B -ntp -pl clients/java -am verify -Dtest=FrameAdapterAllocationTest
 * -Dsurefire.failIfNoSpecifiedTests=false}.
 */
class FrameAdapterAllocationTest
{
    private static final int SYMBOLS = 64;
    private static final int WARM_UP_FRAMES = 40_000;
    private static final int MEASURED_FRAMES = 100_000;

    private long checksum;

    @Test
    void shouldAllocateNothingPerDecodedEntry()
    {
        final com.sun.management.ThreadMXBean threads =
            (com.sun.management.ThreadMXBean)ManagementFactory.getThreadMXBean();
        final FrameAdapter adapter = new FrameAdapter(new TickgateListener()
        {
            @Override
            public void onUpdate(final MarketData data, final boolean snapshot)
            {
                checksum += data.bidPrice();
            }
        });
        for (int sid = 0; sid < SYMBOLS; sid++)
        {
            final MarketData data = new MarketData("S" + sid);
            data.accepted(sid, 4, 0, 1);
            adapter.bind(sid, data, false);
        }

        // A heap ByteBuffer like the JDK WebSocket hands over, and one view re-pointed at it per message.
        final ByteBuffer message = ByteBuffer.allocate(FrameDescriptor.frameLength(SYMBOLS));
        final FrameFlyweight writer = new FrameFlyweight().wrap(new UnsafeBuffer(message), 0);
        for (int i = 0; i < SYMBOLS; i++)
        {
            writer.entry(i, i, FrameDescriptor.FLAG_QUOTE, 0, 0, 1_000 + i, 10, 1_001 + i, 10, 0, 0, 1, 2);
        }
        final UnsafeBuffer view = new UnsafeBuffer(new byte[0]);

        long frameSeq = 1;
        frameSeq = run(adapter, writer, message, view, frameSeq, WARM_UP_FRAMES);

        final long startBytes = threads.getCurrentThreadAllocatedBytes();
        final long startNs = System.nanoTime();
        run(adapter, writer, message, view, frameSeq, MEASURED_FRAMES);
        final long elapsedNs = System.nanoTime() - startNs;
        final long allocated = threads.getCurrentThreadAllocatedBytes() - startBytes;

        final long entries = (long)MEASURED_FRAMES * SYMBOLS;
        final double bytesPerEntry = (double)allocated / entries;
        final double entriesPerSecond = entries * 1e9 / elapsedNs;
        System.out.printf("java client decode: %d entries in %d frames of %d, %d bytes allocated = %.6f B/entry, " +
            "%.1f M entries/s (%.1f ns/entry, incl. rewriting seq per entry)%n", entries, MEASURED_FRAMES, SYMBOLS,
            allocated, bytesPerEntry, entriesPerSecond / 1e6, elapsedNs / (double)entries);

        assertThat(adapter.frameGaps()).isZero();
        assertThat(adapter.seqRegressions()).isZero();
        assertThat(checksum).isNotZero();
        // A budget, not zero: the JIT may deoptimise once in the loop; what must not happen is bytes per entry.
        assertThat(allocated).as("bytes allocated decoding %d entries", entries).isLessThan(16 * 1024);
    }

    private static long run(
        final FrameAdapter adapter,
        final FrameFlyweight writer,
        final ByteBuffer message,
        final UnsafeBuffer view,
        final long firstFrameSeq,
        final int frames)
    {
        long frameSeq = firstFrameSeq;
        for (int f = 0; f < frames; f++, frameSeq++)
        {
            // The gateway's next frame: consecutive frameSeq, every symbol's seq one higher.
            writer.header(FrameDescriptor.KIND_UPDATE, SYMBOLS, frameSeq, frameSeq);
            putSeqs(writer, frameSeq);
            view.wrap(message, 0, message.limit());
            if (FrameAdapter.OK != adapter.onFrame(view, 0, message.limit()))
            {
                throw new AssertionError("frame " + frameSeq + " not OK");
            }
        }
        return frameSeq;
    }

    private static void putSeqs(final FrameFlyweight writer, final long seq)
    {
        for (int i = 0; i < SYMBOLS; i++)
        {
            writer.buffer().putLong(FrameDescriptor.entryOffset(i) + FrameDescriptor.SEQ_OFFSET, seq,
                java.nio.ByteOrder.LITTLE_ENDIAN);
        }
    }
}

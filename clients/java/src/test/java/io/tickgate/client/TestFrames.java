package io.tickgate.client;

import io.tickgate.protocol.FrameDescriptor;
import io.tickgate.protocol.FrameFlyweight;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * Crafted binary frames for tests: each entry carries the same number as bid, ask+1 and last+2 so a value is
 * easy to check.
 */
final class TestFrames
{
    /** One entry: sid, seq and a value the prices derive from. */
    record Entry(int sid, long seq, long value)
    {
    }

    private TestFrames()
    {
    }

    static Entry entry(final int sid, final long seq, final long value)
    {
        return new Entry(sid, seq, value);
    }

    static byte[] frame(final byte kind, final long frameSeq, final Entry... entries)
    {
        final byte[] bytes = new byte[FrameDescriptor.frameLength(entries.length)];
        final FrameFlyweight frame = new FrameFlyweight().wrap(new UnsafeBuffer(bytes), 0);
        frame.header(kind, entries.length, frameSeq, System.currentTimeMillis() * 1_000_000L);
        for (int i = 0; i < entries.length; i++)
        {
            final Entry e = entries[i];
            frame.entry(i, e.sid(), FrameDescriptor.FLAG_QUOTE | FrameDescriptor.FLAG_TRADE, 0, e.seq(),
                e.value(), 100, e.value() + 1, 200, e.value() + 2, 7, 1L, 2L);
        }
        return bytes;
    }

    static byte[] snapshot(final long frameSeq, final Entry... entries)
    {
        return frame(FrameDescriptor.KIND_SNAPSHOT, frameSeq, entries);
    }

    static byte[] update(final long frameSeq, final Entry... entries)
    {
        return frame(FrameDescriptor.KIND_UPDATE, frameSeq, entries);
    }

    static byte[] heartbeat(final long frameSeq)
    {
        return frame(FrameDescriptor.KIND_HEARTBEAT, frameSeq);
    }
}

package io.tickgate.client;

import io.tickgate.protocol.FrameDescriptor;
import io.tickgate.protocol.FrameFlyweight;
import org.agrona.MutableDirectBuffer;

import java.util.ArrayList;
import java.util.Arrays;

/**
 * Reads the binary frames of one session and applies their entries to the symbols' {@link MarketData}, checking
 * the two sequence guarantees on the way: {@code frameSeq} is 1, 2, 3, ... per session, and each symbol's
 * {@code seq} strictly increases. A SNAPSHOT is the truth for the symbols it answers: values are taken whatever
 * their seq after {@link #reset()}, and a symbol that was waiting for it but is left out has no value.
 * <p>
 * Allocates nothing per frame or entry once the sid table has grown to the session's highest sid; strings are
 * only built to describe an error.
 * <p>
 * Not thread-safe: used with the owning {@link TickgateClient}'s monitor held.
 */
final class FrameAdapter
{
    static final int OK = 0;
    static final int GAP = 1;
    static final int MALFORMED = 2;

    private final FrameFlyweight frame = new FrameFlyweight();
    private final TickgateListener listener;
    private final ArrayList<MarketData> awaitingSnapshot = new ArrayList<>();
    private MarketData[] bySid = new MarketData[64];
    private long expectedFrameSeq = 1;
    private long snapshots;
    private boolean stopped;

    private long frames;
    private long entries;
    private long heartbeats;
    private long frameGaps;
    private long seqRegressions;
    private long unknownSidEntries;
    private long malformedFrames;

    FrameAdapter(final TickgateListener listener)
    {
        this.listener = listener;
    }

    /**
     * A new session: frameSeq starts again at 1 and sids are assigned afresh by the next {@code subscribed}.
     */
    void reset()
    {
        expectedFrameSeq = 1;
        Arrays.fill(bySid, null);
        awaitingSnapshot.clear();
    }

    /**
     * Routes entries for {@code sid} to {@code data}; called for each accepted symbol of a {@code subscribed}.
     *
     * @param fresh true when the session did not hold the symbol before this reply, so the snapshot that follows
     *              answers for it.
     */
    void bind(final int sid, final MarketData data, final boolean fresh)
    {
        if (sid >= bySid.length)
        {
            bySid = Arrays.copyOf(bySid, Math.max(sid + 1, bySid.length * 2));
        }
        bySid[sid] = data;
        if (fresh)
        {
            awaitingSnapshot.add(data);
        }
    }

    /**
     * The client closed, maybe from a listener called for this very frame: nothing more is applied or reported.
     */
    void stop()
    {
        stopped = true;
    }

    void unbind(final int sid)
    {
        if (sid >= 0 && sid < bySid.length)
        {
            bySid[sid] = null;
        }
    }

    /**
     * Decodes one complete binary message.
     *
     * @return {@link #OK}, {@link #GAP} (applied, but a frame was missed: the caller resyncs) or {@link #MALFORMED}
     * (nothing applied).
     */
    int onFrame(final MutableDirectBuffer buffer, final int offset, final int length)
    {
        if (length < FrameDescriptor.HEADER_LENGTH)
        {
            return malformed("binary message of " + length + " bytes is shorter than a frame header");
        }
        frame.wrap(buffer, offset);
        final int count = frame.count();
        final int kind = frame.kind();
        if (FrameDescriptor.VERSION != frame.version())
        {
            return malformed("frame version " + frame.version() + ", expected " + FrameDescriptor.VERSION);
        }
        if (length != FrameDescriptor.frameLength(count))
        {
            return malformed("frame of " + length + " bytes claims " + count + " entries");
        }
        if (kind < FrameDescriptor.KIND_UPDATE || kind > FrameDescriptor.KIND_HEARTBEAT)
        {
            return malformed("unknown frame kind " + kind);
        }

        int result = OK;
        final long frameSeq = frame.frameSeq();
        if (frameSeq != expectedFrameSeq)
        {
            frameGaps++;
            listener.onError(ClientError.FRAME_GAP, "expected frameSeq " + expectedFrameSeq + ", got " + frameSeq);
            result = GAP;
        }
        expectedFrameSeq = frameSeq + 1;
        frames++;

        final boolean snapshot = FrameDescriptor.KIND_SNAPSHOT == kind;
        if (snapshot)
        {
            snapshots++;
        }
        else if (FrameDescriptor.KIND_HEARTBEAT == kind)
        {
            heartbeats++;
        }
        for (int i = 0; i < count && !stopped; i++)
        {
            applyEntry(i, snapshot);
        }
        if (stopped)
        {
            return result;
        }
        if (snapshot)
        {
            clearLeftOut();
        }
        listener.onFrame(kind, count);
        return result;
    }

    private void applyEntry(final int index, final boolean snapshot)
    {
        entries++;
        final int sid = frame.sid(index);
        final MarketData data = sid >= 0 && sid < bySid.length ? bySid[sid] : null;
        if (null == data)
        {
            // Entries may still come for a symbol between an unsubscribe request and its reply.
            unknownSidEntries++;
            return;
        }
        final long seq = frame.seq(index);
        // A SNAPSHOT after unsubscribe and subscribe again restates the current value, also at the seq already
        // held (docs/protocol.md 1.4.2), and the reply to that subscribe may come before the unsubscribe's: only a
        // lower seq is a regression there. An UPDATE must still move seq on.
        if (data.hasValue() && (seq < data.seq() || seq == data.seq() && !snapshot))
        {
            seqRegressions++;
            listener.onError(ClientError.SEQ_REGRESSION,
                data.symbol() + " seq " + seq + " after " + data.seq() + "; entry dropped");
            return;
        }
        data.apply(frame, index);
        if (snapshot)
        {
            data.snapshotMark = snapshots;
        }
        listener.onUpdate(data, snapshot);
    }

    private void clearLeftOut()
    {
        final ArrayList<MarketData> awaiting = awaitingSnapshot;
        for (int i = 0, size = awaiting.size(); i < size; i++)
        {
            final MarketData data = awaiting.get(i);
            // A symbol unsubscribed since its reply is unbound: nothing more may be reported for it.
            if (data.snapshotMark != snapshots && data.hasValue() && isBound(data))
            {
                // The gateway has no value for it: whatever an earlier session left here is not the truth.
                data.clearValue();
                listener.onUpdate(data, true);
            }
        }
        awaiting.clear();
    }

    private boolean isBound(final MarketData data)
    {
        final int sid = data.sid();
        return sid >= 0 && sid < bySid.length && bySid[sid] == data;
    }

    private int malformed(final String message)
    {
        malformedFrames++;
        listener.onError(ClientError.MALFORMED_MESSAGE, message);
        return MALFORMED;
    }

    long frames()
    {
        return frames;
    }

    long entries()
    {
        return entries;
    }

    long heartbeats()
    {
        return heartbeats;
    }

    long frameGaps()
    {
        return frameGaps;
    }

    long seqRegressions()
    {
        return seqRegressions;
    }

    long unknownSidEntries()
    {
        return unknownSidEntries;
    }

    long malformedFrames()
    {
        return malformedFrames;
    }
}

package io.tickgate.perf;

import io.tickgate.protocol.FrameDescriptor;
import io.tickgate.protocol.FrameFlyweight;
import org.HdrHistogram.Histogram;
import org.agrona.MutableDirectBuffer;

import java.util.Arrays;

/**
 * Decodes every binary frame with {@link FrameFlyweight} and records, per entry, latency (receive time − the
 * gateway's {@code ingestTime}) and age (receive time − {@code exchangeTime}), and counts entries, frames, bytes,
 * Σ{@code conflated}, {@code frameSeq} gaps and per-symbol {@code seq} regressions.
 * <p>
 * It also sums how far each session's {@code seq} advanced per subscribed symbol ({@link #seqAdvance}): the server
 * numbers the updates it applied to a symbol, so the advance between two entries a session received is the number of
 * updates offered to that session in between, and entries + Σ{@code conflated} should equal it when nothing was lost.
 * <p>
 * Latencies go to an interval histogram and are folded into the run's total when the interval is taken, so the
 * {@code .hlog} has one line per second; in a run {@link IntervalLog} takes them on its own thread, which owns the
 * totals until the run ends. Values below 1 ns (clock skew between two hosts, impossible on one) are
 * counted and recorded as 1 rather than dropped, so the histogram's count still equals the entry count.
 * <p>
 * Not thread-safe; touched only by the selector thread (the totals: see above). Allocates nothing per frame.
 */
final class FrameRecorder
{
    /** One hour in nanoseconds: anything slower is recorded as an hour rather than throwing. */
    static final long HIGHEST_TRACKABLE_NS = 3_600_000_000_000L;

    private final FrameFlyweight frame = new FrameFlyweight();
    /** Grows when a {@code subscribed} reply names a sid past its end. */
    private int[] symbolIndexBySid;

    Histogram intervalLatency = newHistogram();
    Histogram intervalAge = newHistogram();
    final Histogram totalLatency = newHistogram();
    final Histogram totalAge = newHistogram();

    long entries;
    long frames;
    long updateFrames;
    long snapshotFrames;
    long heartbeatFrames;
    long bytes;
    long conflated;
    long seqAdvance;
    long frameSeqGaps;
    long frameSeqRegressions;
    long seqRegressions;
    long unexpectedSids;
    long nonPositiveLatencies;
    long malformedFrames;
    boolean recording = true;

    /**
     * @param symbolIndexBySid the index of each sid in the subscription plan, -1 for sids nobody subscribed to.
     */
    FrameRecorder(final int[] symbolIndexBySid)
    {
        this.symbolIndexBySid = symbolIndexBySid;
    }

    /**
     * Maps {@code sid} to a plan index, from a {@code subscribed} reply: servers that do not list their symbols over
     * HTTP are learned this way. Called on the selector thread, before the snapshot that follows the reply.
     */
    void learnSid(final int sid, final int symbolIndex)
    {
        if (sid < 0)
        {
            return;
        }
        if (sid >= symbolIndexBySid.length)
        {
            final int oldLength = symbolIndexBySid.length;
            symbolIndexBySid = Arrays.copyOf(symbolIndexBySid, Math.max(sid + 1, oldLength * 2));
            Arrays.fill(symbolIndexBySid, oldLength, symbolIndexBySid.length, -1);
        }
        symbolIndexBySid[sid] = symbolIndex;
    }

    static Histogram newHistogram()
    {
        return new Histogram(HIGHEST_TRACKABLE_NS, 3);
    }

    /**
     * One binary message, as the selector thread read it at {@code receiveEpochNs}.
     */
    void onFrame(
        final SessionTally tally,
        final MutableDirectBuffer buffer,
        final int offset,
        final int length,
        final long receiveEpochNs)
    {
        if (length < FrameDescriptor.HEADER_LENGTH)
        {
            malformedFrames++;
            return;
        }
        frame.wrap(buffer, offset);
        final int count = frame.count();
        final int kind = frame.kind();
        // A frame that is malformed in any way (an unknown kind too) says nothing about sequencing: its frameSeq
        // and entries would count gaps and regressions that the server never made.
        if (FrameDescriptor.VERSION != frame.version() || length < FrameDescriptor.frameLength(count) ||
            !isKnownKind(kind))
        {
            malformedFrames++;
            return;
        }

        // Sequencing is checked through the warm-up too; only the counts and latencies restart after it.
        final long frameSeq = frame.frameSeq();
        if (frameSeq > tally.lastFrameSeq + 1)
        {
            frameSeqGaps += frameSeq - tally.lastFrameSeq - 1;
        }
        else if (frameSeq <= tally.lastFrameSeq)
        {
            frameSeqRegressions++;
        }
        tally.lastFrameSeq = frameSeq;

        for (int i = 0; i < count; i++)
        {
            final int sid = frame.sid(i);
            final int symbolIndex = sid >= 0 && sid < symbolIndexBySid.length ? symbolIndexBySid[sid] : -1;
            final int slot = symbolIndex < 0 ? -1 : tally.slotOf(symbolIndex);
            if (slot < 0)
            {
                unexpectedSids++;
                continue;
            }
            final long seq = frame.seq(i);
            final long lastSeq = tally.lastSeqBySlot[slot];
            if (seq <= lastSeq)
            {
                seqRegressions++;
            }
            tally.lastSeqBySlot[slot] = seq;

            // A snapshot carries values ingested before the subscription: their age is not a delivery latency.
            if (recording && FrameDescriptor.KIND_UPDATE == kind)
            {
                record(intervalLatency, receiveEpochNs - frame.ingestTime(i));
                record(intervalAge, receiveEpochNs - frame.exchangeTime(i));
                final int merged = frame.conflated(i);
                conflated += merged;
                // With no earlier seq for the symbol the entry can only speak for itself and what it merged.
                final long advance = Long.MIN_VALUE == lastSeq ? 1 + merged : Math.max(0, seq - lastSeq);
                seqAdvance += advance;
                tally.seqAdvance += advance;
                entries++;
                tally.entries++;
            }
        }

        if (recording)
        {
            frames++;
            tally.frames++;
            bytes += length;
            switch (kind)
            {
                case FrameDescriptor.KIND_UPDATE -> updateFrames++;
                case FrameDescriptor.KIND_SNAPSHOT -> snapshotFrames++;
                default -> heartbeatFrames++;
            }
        }
    }

    private static boolean isKnownKind(final int kind)
    {
        return FrameDescriptor.KIND_UPDATE == kind || FrameDescriptor.KIND_SNAPSHOT == kind ||
            FrameDescriptor.KIND_HEARTBEAT == kind;
    }

    private void record(final Histogram histogram, final long valueNs)
    {
        if (valueNs < 1)
        {
            nonPositiveLatencies++;
            histogram.recordValue(1);
        }
        else
        {
            histogram.recordValue(Math.min(valueNs, HIGHEST_TRACKABLE_NS));
        }
    }

    /**
     * Starts the measured window: forgets what the warm-up recorded.
     */
    void resetCounts()
    {
        entries = 0;
        frames = 0;
        updateFrames = 0;
        snapshotFrames = 0;
        heartbeatFrames = 0;
        bytes = 0;
        conflated = 0;
        seqAdvance = 0;
        nonPositiveLatencies = 0;
        intervalLatency.reset();
        intervalAge.reset();
        totalLatency.reset();
        totalAge.reset();
    }

    /**
     * Records into {@code latency} and {@code age} from now on, cleared histograms; the caller has taken the ones
     * they replace.
     */
    void swapInterval(final Histogram latency, final Histogram age)
    {
        intervalLatency = latency;
        intervalAge = age;
    }
}

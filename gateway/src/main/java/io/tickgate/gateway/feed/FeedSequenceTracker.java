package io.tickgate.gateway.feed;

import org.agrona.collections.LongHashSet;

import java.util.Arrays;

/**
 * Follows the feed sequence numbers of one feed session and classifies each datagram.
 * <p>
 * A datagram whose first seq is behind the next expected one is late: a duplicate when that seq was already seen
 * within the recent window, out-of-order otherwise. Late datagrams are not applied, since applying them would
 * move a symbol's latest value backwards. A datagram starting at seq 1 while later seqs were expected is a
 * restarted feed session: tracking starts over.
 * <p>
 * So is a run of late datagrams, each following on from the one before and none seen before, with no datagram at
 * or past the expected seq in between, once it is {@link #RESYNC_AFTER_LATE_DATAGRAMS} long, or
 * {@link #RESYNC_AFTER_SLOW_LATE_DATAGRAMS} long and has lasted {@link #RESYNC_AFTER_NS} (a slow source; datagrams
 * reordered on the way arrive within milliseconds of each other): the source is sending from there, and
 * what set the expected seq ahead of it was a stray or damaged datagram (or a source that restarted at another
 * number). Without this one such datagram would stop ingest until the source restarted at seq 1. A run inside one
 * of the last {@link #GAPS} gaps that the source has been seen sending past (a datagram with messages came in
 * sequence after the one that opened it) resumes only on the slow condition: that gap was not opened by a stray,
 * and a burst of its datagrams arriving now, within milliseconds, is reordered data older than what has been
 * applied, however long; a source sending from there for a second (one that failed back to an older numbering)
 * is taken up. So does a run inside a gap of at most {@link #SMALL_GAP} messages not yet gone past: a burst held
 * back behind the one datagram that overtook it looks just like that, and a stray so little ahead is soon caught up
 * with by the source itself (its datagrams are in order again once they reach the stray's seq).
 * <p>
 * Seqs are unsigned 64-bit numbers, as the feed protocol defines them.
 * <p>
 * Not thread-safe: touched only by the feed handler's thread. Allocates nothing after construction.
 */
public final class FeedSequenceTracker
{
    public static final int IN_ORDER = 0;
    public static final int GAP = 1;
    public static final int DUPLICATE = 2;
    public static final int OUT_OF_ORDER = 3;
    public static final int RESTART = 4;

    /**
     * Late, contiguous, unseen datagrams in a row after which the source is taken to be sending from there.
     */
    public static final int RESYNC_AFTER_LATE_DATAGRAMS = 16;
    public static final int RESYNC_AFTER_SLOW_LATE_DATAGRAMS = 3;
    public static final long RESYNC_AFTER_NS = 1_000_000_000L;

    private static final int WINDOW = 1024;
    /** Recent gaps remembered, to tell reordered datagrams from a source sending from a lower seq. */
    static final int GAPS = 16;
    /** Messages a gap may skip and still be taken for reordering rather than a stray's jump, while not gone past. */
    static final long SMALL_GAP = 1024;

    private final LongHashSet recent = new LongHashSet(WINDOW * 2);
    private final long[] recentOrder = new long[WINDOW];
    private int recentHead;
    private long expectedSeq;
    private long missing;
    private long lateRunNextSeq;
    private int lateRunLength;
    private long lateRunStartNs;
    /** The last gaps, [start, end) of the seqs skipped, and the serial number each was opened with. */
    private final long[] gapStart = new long[GAPS];
    private final long[] gapEnd = new long[GAPS];
    private final long[] gapSerial = new long[GAPS];
    private int gapCount;
    private int lastGap = -1;
    private long gapsOpened;
    /** Gaps opened up to this serial are followed: an in-order datagram with messages came after them. */
    private long gapsFollowed;

    /**
     * @return one of the constants above; {@link #missingInLastGap()} tells how many messages a gap skipped.
     */
    public int onDatagram(final long firstSeq, final int messageCount, final long nowNs)
    {
        if (0 == messageCount)
        {
            // No message, so nothing to number: it leaves tracking as it was. An empty stray far ahead, repeated,
            // would otherwise open a gap and then, landing "in order" each time, cut every run that resumes ingest.
            return IN_ORDER;
        }
        final int result;
        if (0 == expectedSeq || firstSeq == expectedSeq)
        {
            // Past every gap: the expected seq only moves on.
            gapsFollowed = gapsOpened;
            result = IN_ORDER;
        }
        else if (Long.compareUnsigned(firstSeq, expectedSeq) > 0)
        {
            // Unsigned, at most 2^64 - 1: a counter of missing messages must never be handed a negative number.
            missing = firstSeq - expectedSeq;
            rememberGap(expectedSeq, firstSeq);
            result = GAP;
        }
        else if (1 == firstSeq)
        {
            clear();
            result = RESTART;
        }
        else if (recent.contains(firstSeq))
        {
            return DUPLICATE;
        }
        else if (!continuesLateRun(firstSeq, messageCount, nowNs, mayResumeFast(firstSeq, messageCount)))
        {
            // Seen, though not applied: a second copy of it is a duplicate, and does not cut the late run.
            remember(firstSeq);
            return OUT_OF_ORDER;
        }
        else
        {
            clear();
            result = RESTART;
        }

        lateRunLength = 0;
        expectedSeq = firstSeq + messageCount;
        remember(firstSeq);
        return result;
    }

    /**
     * @return true when this late datagram completes a run long enough to resynchronise on.
     */
    private boolean continuesLateRun(
        final long firstSeq, final int messageCount, final long nowNs, final boolean mayResumeFast)
    {
        if (0 == lateRunLength || firstSeq != lateRunNextSeq)
        {
            lateRunLength = 0;
            lateRunStartNs = nowNs;
        }
        lateRunNextSeq = firstSeq + messageCount;
        ++lateRunLength;
        return (mayResumeFast && lateRunLength >= RESYNC_AFTER_LATE_DATAGRAMS) ||
            (lateRunLength >= RESYNC_AFTER_SLOW_LATE_DATAGRAMS && nowNs - lateRunStartNs >= RESYNC_AFTER_NS);
    }

    public long missingInLastGap()
    {
        return missing;
    }

    public long expectedSeq()
    {
        return expectedSeq;
    }

    private void remember(final long firstSeq)
    {
        final long evicted = recentOrder[recentHead];
        if (0 != evicted)
        {
            recent.remove(evicted);
        }
        recentOrder[recentHead] = firstSeq;
        recentHead = (recentHead + 1) & (WINDOW - 1);
        recent.add(firstSeq);
    }

    private void rememberGap(final long start, final long end)
    {
        lastGap = (lastGap + 1) % GAPS;
        gapCount = Math.min(gapCount + 1, GAPS);
        gapStart[lastGap] = start;
        gapEnd[lastGap] = end;
        gapSerial[lastGap] = ++gapsOpened;
    }

    /**
     * Whether a run holding this datagram may resume on its length alone: not when it lies inside a gap the source
     * went past (reordered data), nor inside one of at most {@link #SMALL_GAP} messages (a burst held back behind
     * the datagram that overtook it; a stray that little ahead is caught up with by the source itself).
     */
    private boolean mayResumeFast(final long firstSeq, final int messageCount)
    {
        final long lastSeq = firstSeq + messageCount - 1;
        for (int i = 0; i < gapCount; i++)
        {
            if (Long.compareUnsigned(firstSeq, gapStart[i]) >= 0 && Long.compareUnsigned(lastSeq, gapEnd[i]) < 0 &&
                (gapSerial[i] <= gapsFollowed || Long.compareUnsigned(gapEnd[i] - gapStart[i], SMALL_GAP) <= 0))
            {
                return false;
            }
        }
        return true;
    }

    /**
     * A new feed session from another sender: its numbering owes nothing to the last one's, so the next datagram is
     * taken as it comes, like the first one ever.
     */
    public void newSession()
    {
        clear();
        lateRunLength = 0;
    }

    private void clear()
    {
        gapCount = 0;
        lastGap = -1;
        gapsFollowed = gapsOpened;
        recent.clear();
        Arrays.fill(recentOrder, 0);
        recentHead = 0;
        expectedSeq = 0;
    }
}

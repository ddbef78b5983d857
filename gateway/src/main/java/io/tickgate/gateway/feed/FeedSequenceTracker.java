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
 * Not thread-safe: touched only by the feed handler's thread. Allocates nothing after construction.
 */
public final class FeedSequenceTracker
{
    public static final int IN_ORDER = 0;
    public static final int GAP = 1;
    public static final int DUPLICATE = 2;
    public static final int OUT_OF_ORDER = 3;
    public static final int RESTART = 4;

    private static final int WINDOW = 1024;

    private final LongHashSet recent = new LongHashSet(WINDOW * 2);
    private final long[] recentOrder = new long[WINDOW];
    private int recentHead;
    private long expectedSeq;
    private long missing;

    /**
     * @return one of the constants above; {@link #missingInLastGap()} tells how many messages a gap skipped.
     */
    public int onDatagram(final long firstSeq, final int messageCount)
    {
        final int result;
        if (0 == expectedSeq)
        {
            result = IN_ORDER;
        }
        else if (firstSeq == expectedSeq)
        {
            result = IN_ORDER;
        }
        else if (firstSeq > expectedSeq)
        {
            missing = firstSeq - expectedSeq;
            result = GAP;
        }
        else if (1 == firstSeq)
        {
            clear();
            result = RESTART;
        }
        else
        {
            return recent.contains(firstSeq) ? DUPLICATE : OUT_OF_ORDER;
        }

        expectedSeq = firstSeq + messageCount;
        if (messageCount > 0)
        {
            remember(firstSeq);
        }
        return result;
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

    private void clear()
    {
        recent.clear();
        Arrays.fill(recentOrder, 0);
        recentHead = 0;
        expectedSeq = 0;
    }
}

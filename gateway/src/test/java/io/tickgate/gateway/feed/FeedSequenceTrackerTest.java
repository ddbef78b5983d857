package io.tickgate.gateway.feed;

import org.junit.jupiter.api.Test;

import static io.tickgate.gateway.feed.FeedSequenceTracker.DUPLICATE;
import static io.tickgate.gateway.feed.FeedSequenceTracker.GAP;
import static io.tickgate.gateway.feed.FeedSequenceTracker.IN_ORDER;
import static io.tickgate.gateway.feed.FeedSequenceTracker.OUT_OF_ORDER;
import static io.tickgate.gateway.feed.FeedSequenceTracker.RESTART;
import static io.tickgate.gateway.feed.FeedSequenceTracker.RESYNC_AFTER_LATE_DATAGRAMS;
import static org.assertj.core.api.Assertions.assertThat;

class FeedSequenceTrackerTest
{
    private final FeedSequenceTracker tracker = new FeedSequenceTracker();

    @Test
    void shouldOrderSeqsAsUnsignedNumbers()
    {
        assertThat(tracker.onDatagram(1, 2, 0)).isEqualTo(IN_ORDER);
        assertThat(tracker.onDatagram(Long.MIN_VALUE, 1, 0)).isEqualTo(GAP);
        assertThat(tracker.missingInLastGap()).as("2^63 - 3, unsigned").isEqualTo(Long.MIN_VALUE - 3);
        assertThat(tracker.onDatagram(Long.MAX_VALUE, 1, 0)).as("2^63 - 1 is behind 2^63 + 1").isEqualTo(OUT_OF_ORDER);
        assertThat(tracker.onDatagram(Long.MIN_VALUE + 1, 1, 0)).isEqualTo(IN_ORDER);
        assertThat(tracker.onDatagram(-1L, 1, 0)).as("2^64 - 1 is ahead").isEqualTo(GAP);
    }

    @Test
    void shouldTakeASecondCopyOfALateDatagramForADuplicate()
    {
        assertThat(tracker.onDatagram(1, 1, 0)).isEqualTo(IN_ORDER);
        assertThat(tracker.onDatagram(2, 1, 0)).isEqualTo(IN_ORDER);
        assertThat(tracker.onDatagram(4, 1, 0)).isEqualTo(GAP);
        assertThat(tracker.onDatagram(3, 1, 0)).as("late, first seen now").isEqualTo(OUT_OF_ORDER);
        assertThat(tracker.onDatagram(3, 1, 0)).as("seen a moment ago").isEqualTo(DUPLICATE);
        assertThat(tracker.onDatagram(4, 1, 0)).isEqualTo(DUPLICATE);
        assertThat(tracker.onDatagram(5, 1, 0)).isEqualTo(IN_ORDER);
    }

    @Test
    void shouldNotLetACopyOfALateDatagramCutTheRunItBelongsTo()
    {
        assertThat(tracker.onDatagram(1, 3, 0)).isEqualTo(IN_ORDER);
        assertThat(tracker.onDatagram(1_000_000, 1, 0)).isEqualTo(GAP);
        long seq = 4;
        for (int i = 1; i < RESYNC_AFTER_LATE_DATAGRAMS; i++)
        {
            assertThat(tracker.onDatagram(seq, 2, 0)).as("late datagram " + i).isEqualTo(OUT_OF_ORDER);
            assertThat(tracker.onDatagram(seq, 2, 0)).as("its copy").isEqualTo(DUPLICATE);
            seq += 2;
        }
        assertThat(tracker.onDatagram(seq, 2, 0)).isEqualTo(RESTART);
    }

    @Test
    void shouldResumeAfterARunOfLateDatagramsThatFollowOnFromEachOther()
    {
        assertThat(tracker.onDatagram(1, 3, 0)).isEqualTo(IN_ORDER);
        assertThat(tracker.onDatagram(1_000_000, 1, 0)).isEqualTo(GAP);
        long seq = 4;
        for (int i = 1; i < RESYNC_AFTER_LATE_DATAGRAMS; i++)
        {
            assertThat(tracker.onDatagram(seq, 2, 0)).as("late datagram " + i).isEqualTo(OUT_OF_ORDER);
            seq += 2;
        }
        assertThat(tracker.onDatagram(seq, 2, 0)).isEqualTo(RESTART);
        assertThat(tracker.expectedSeq()).isEqualTo(seq + 2);
        assertThat(tracker.onDatagram(seq + 2, 1, 0)).isEqualTo(IN_ORDER);
        assertThat(tracker.onDatagram(seq, 2, 0)).as("the datagram resumed on is remembered").isEqualTo(DUPLICATE);
    }

    @Test
    void shouldResumeSoonerOnASlowSourceWhoseLateRunLastsASecond()
    {
        final long second = FeedSequenceTracker.RESYNC_AFTER_NS;
        assertThat(tracker.onDatagram(1, 1, 0)).isEqualTo(IN_ORDER);
        assertThat(tracker.onDatagram(1_000_000, 1, 0)).isEqualTo(GAP);
        // Three in quick succession: could be datagrams reordered on the way, so not yet.
        assertThat(tracker.onDatagram(2, 1, 10)).isEqualTo(OUT_OF_ORDER);
        assertThat(tracker.onDatagram(3, 1, 20)).isEqualTo(OUT_OF_ORDER);
        assertThat(tracker.onDatagram(4, 1, 30)).isEqualTo(OUT_OF_ORDER);
        // The same run going on a second after it began: a source sending from there, one datagram a second.
        assertThat(tracker.onDatagram(5, 1, second + 10)).isEqualTo(RESTART);
        assertThat(tracker.onDatagram(6, 1, 2 * second)).isEqualTo(IN_ORDER);

        // Two late datagrams a second apart are not enough on their own.
        assertThat(tracker.onDatagram(2_000_000, 1, 3 * second)).isEqualTo(GAP);
        assertThat(tracker.onDatagram(7, 1, 3 * second)).isEqualTo(OUT_OF_ORDER);
        assertThat(tracker.onDatagram(8, 1, 5 * second)).isEqualTo(OUT_OF_ORDER);
        assertThat(tracker.onDatagram(9, 1, 5 * second)).isEqualTo(RESTART);
    }

    @Test
    void shouldNotResumeOnLateDatagramsThatDoNotFollowOnOrAreInterleavedWithCurrentOnes()
    {
        assertThat(tracker.onDatagram(1, 1, 0)).isEqualTo(IN_ORDER);
        assertThat(tracker.onDatagram(10_000, 1, 0)).isEqualTo(GAP);
        // Late datagrams with holes between them: reordering, not a source sending from there.
        for (int i = 0; i < 2 * RESYNC_AFTER_LATE_DATAGRAMS; i++)
        {
            assertThat(tracker.onDatagram(2 + 2L * i, 1, 0)).isEqualTo(OUT_OF_ORDER);
        }
        // A contiguous late run broken by a datagram at the expected seq starts counting again.
        long late = 100;
        long current = 10_001;
        for (int i = 0; i < 3 * RESYNC_AFTER_LATE_DATAGRAMS; i++)
        {
            assertThat(tracker.onDatagram(late++, 1, 0)).isEqualTo(OUT_OF_ORDER);
            if (i % (RESYNC_AFTER_LATE_DATAGRAMS - 1) == RESYNC_AFTER_LATE_DATAGRAMS - 2)
            {
                assertThat(tracker.onDatagram(current++, 1, 0)).isEqualTo(IN_ORDER);
            }
        }
        // Copies of datagrams already applied are duplicates and never resume anything.
        for (int i = 0; i < 2 * RESYNC_AFTER_LATE_DATAGRAMS; i++)
        {
            assertThat(tracker.onDatagram(10_000, 1, 0)).isEqualTo(DUPLICATE);
        }
        assertThat(tracker.expectedSeq()).isEqualTo(current);
    }

    /**
     * Datagrams held back on the way and arriving after newer ones: however many in a row, they are older than what
     * was applied once the source was seen sending past their gap, so they never resume anything.
     */
    @Test
    void shouldNotResumeOnADelayedBurstInsideAGapTheSourceWentOnPast()
    {
        for (long seq = 1; seq <= 10; seq++)
        {
            assertThat(tracker.onDatagram(seq, 1, 0)).isEqualTo(IN_ORDER);
        }
        assertThat(tracker.onDatagram(41, 1, 0)).isEqualTo(GAP);
        assertThat(tracker.missingInLastGap()).isEqualTo(30);
        for (long seq = 42; seq <= 100; seq++)
        {
            assertThat(tracker.onDatagram(seq, 1, 0)).isEqualTo(IN_ORDER);
        }
        for (long seq = 11; seq <= 40; seq++)
        {
            assertThat(tracker.onDatagram(seq, 1, 0)).as("late datagram " + seq).isEqualTo(OUT_OF_ORDER);
        }
        assertThat(tracker.onDatagram(101, 1, 0)).as("nothing was resumed").isEqualTo(IN_ORDER);

        // A gap whose far side the source has not gone on from is still the stray's: the run resumes there.
        assertThat(tracker.onDatagram(1_000_000, 1, 0)).isEqualTo(GAP);
        long seq = 102;
        for (int i = 1; i < RESYNC_AFTER_LATE_DATAGRAMS; i++)
        {
            assertThat(tracker.onDatagram(seq++, 1, 0)).isEqualTo(OUT_OF_ORDER);
        }
        assertThat(tracker.onDatagram(seq, 1, 0)).isEqualTo(RESTART);
    }

    @Test
    void shouldTakeEveryGapOpenedBeforeAnInOrderDatagramAsGonePast()
    {
        for (long seq = 1; seq <= 10; seq++)
        {
            assertThat(tracker.onDatagram(seq, 1, 0)).isEqualTo(IN_ORDER);
        }
        // 11..40 and 42 held back: two gaps open before the source is seen in sequence again.
        assertThat(tracker.onDatagram(41, 1, 0)).isEqualTo(GAP);
        assertThat(tracker.onDatagram(43, 1, 0)).isEqualTo(GAP);
        assertThat(tracker.onDatagram(44, 1, 0)).isEqualTo(IN_ORDER);
        for (long seq = 11; seq <= 40; seq++)
        {
            assertThat(tracker.onDatagram(seq, 1, 0)).as("late datagram " + seq).isEqualTo(OUT_OF_ORDER);
        }
        assertThat(tracker.onDatagram(45, 1, 0)).isEqualTo(IN_ORDER);
    }

    /**
     * A source sending from inside a gap it was seen going past (a primary failing back to its older numbering
     * after a backup's): taken up once its run has lasted a second, not dropped for ever.
     */
    @Test
    void shouldResumeOnARunInsideAGoneByGapOnceItHasLastedASecond()
    {
        final long second = FeedSequenceTracker.RESYNC_AFTER_NS;
        assertThat(tracker.onDatagram(1, 1, 0)).isEqualTo(IN_ORDER);
        assertThat(tracker.onDatagram(1_000_000, 1, 0)).isEqualTo(GAP);
        assertThat(tracker.onDatagram(1_000_001, 1, 0)).isEqualTo(IN_ORDER);
        long seq = 2;
        long nowNs = 0;
        for (int i = 0; i < 4 * RESYNC_AFTER_LATE_DATAGRAMS; i++)
        {
            assertThat(tracker.onDatagram(seq++, 1, nowNs)).as("within the first second").isEqualTo(OUT_OF_ORDER);
            nowNs += 10_000_000L;
        }
        assertThat(tracker.onDatagram(seq, 1, second)).isEqualTo(RESTART);
        assertThat(tracker.onDatagram(seq + 1, 1, second)).isEqualTo(IN_ORDER);
    }

    /**
     * An empty datagram numbers no message: wherever its seq points, it changes nothing. A stray one far ahead,
     * repeated among the source's datagrams, stopped ingest for good (each copy landed "in order" and cut the run
     * that would have resumed it).
     */
    @Test
    void shouldLeaveTrackingAsItWasOnAnEmptyDatagram()
    {
        assertThat(tracker.onDatagram(1, 3, 0)).isEqualTo(IN_ORDER);
        long seq = 4;
        for (int i = 0; i < 5 * RESYNC_AFTER_LATE_DATAGRAMS; i++)
        {
            if (i % 10 == 0)
            {
                assertThat(tracker.onDatagram(1_000_000, 0, 0)).isEqualTo(IN_ORDER);
            }
            assertThat(tracker.onDatagram(seq++, 1, 0)).as("the source's datagram " + i).isEqualTo(IN_ORDER);
        }
        assertThat(tracker.onDatagram(1, 0, 0)).as("no restart either").isEqualTo(IN_ORDER);
        assertThat(tracker.expectedSeq()).isEqualTo(seq);
    }

    /**
     * A burst held back behind the one datagram that overtook it, arriving before the source's next: the gap is
     * small, so the burst is reordered data, not a source sending from there; the source's next datagram is in order.
     */
    @Test
    void shouldNotResumeOnABurstHeldBackBehindTheDatagramThatOvertookIt()
    {
        for (long seq = 1; seq <= 21; seq++)
        {
            assertThat(tracker.onDatagram(seq, 1, 0)).isEqualTo(IN_ORDER);
        }
        assertThat(tracker.onDatagram(52, 1, 0)).isEqualTo(GAP);
        for (long seq = 22; seq <= 51; seq++)
        {
            assertThat(tracker.onDatagram(seq, 1, 0)).as("held back " + seq).isEqualTo(OUT_OF_ORDER);
        }
        assertThat(tracker.onDatagram(53, 1, 0)).isEqualTo(IN_ORDER);

        // A stray a little ahead: the source is dropped until it reaches the stray's seq, then in order again.
        assertThat(tracker.onDatagram(100, 1, 0)).isEqualTo(GAP);
        for (long seq = 54; seq < 100; seq++)
        {
            assertThat(tracker.onDatagram(seq, 1, 0)).isEqualTo(OUT_OF_ORDER);
        }
        assertThat(tracker.onDatagram(100, 1, 0)).isEqualTo(DUPLICATE);
        assertThat(tracker.onDatagram(101, 1, 0)).isEqualTo(IN_ORDER);
    }

    @Test
    void shouldRememberOnlyTheLastGaps()
    {
        assertThat(tracker.onDatagram(1, 1, 0)).isEqualTo(IN_ORDER);
        // Gaps of 40 seqs, each gone on past: [2, 42), [44, 84), ...
        long seq = 42;
        for (int gap = 0; gap <= FeedSequenceTracker.GAPS; gap++)
        {
            assertThat(tracker.onDatagram(seq, 1, 0)).isEqualTo(GAP);
            assertThat(tracker.onDatagram(seq + 1, 1, 0)).isEqualTo(IN_ORDER);
            seq += 42;
        }
        // The first gap is forgotten: a run inside it counts towards a resume again (a source restarted lower).
        for (int i = 1; i < RESYNC_AFTER_LATE_DATAGRAMS; i++)
        {
            assertThat(tracker.onDatagram(1 + i, 1, 0)).isEqualTo(OUT_OF_ORDER);
        }
        assertThat(tracker.onDatagram(1 + RESYNC_AFTER_LATE_DATAGRAMS, 1, 0)).isEqualTo(RESTART);
    }
}

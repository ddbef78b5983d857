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
        assertThat(tracker.onDatagram(1, 2)).isEqualTo(IN_ORDER);
        assertThat(tracker.onDatagram(Long.MIN_VALUE, 1)).isEqualTo(GAP);
        assertThat(tracker.missingInLastGap()).as("2^63 - 3, unsigned").isEqualTo(Long.MIN_VALUE - 3);
        assertThat(tracker.onDatagram(Long.MAX_VALUE, 1)).as("2^63 - 1 is behind 2^63 + 1").isEqualTo(OUT_OF_ORDER);
        assertThat(tracker.onDatagram(Long.MIN_VALUE + 1, 1)).isEqualTo(IN_ORDER);
        assertThat(tracker.onDatagram(-1L, 1)).as("2^64 - 1 is ahead").isEqualTo(GAP);
    }

    @Test
    void shouldResumeAfterARunOfLateDatagramsThatFollowOnFromEachOther()
    {
        assertThat(tracker.onDatagram(1, 3)).isEqualTo(IN_ORDER);
        assertThat(tracker.onDatagram(1_000_000, 1)).isEqualTo(GAP);
        long seq = 4;
        for (int i = 1; i < RESYNC_AFTER_LATE_DATAGRAMS; i++)
        {
            assertThat(tracker.onDatagram(seq, 2)).as("late datagram " + i).isEqualTo(OUT_OF_ORDER);
            seq += 2;
        }
        assertThat(tracker.onDatagram(seq, 2)).isEqualTo(RESTART);
        assertThat(tracker.expectedSeq()).isEqualTo(seq + 2);
        assertThat(tracker.onDatagram(seq + 2, 1)).isEqualTo(IN_ORDER);
        assertThat(tracker.onDatagram(seq, 2)).as("the datagram resumed on is remembered").isEqualTo(DUPLICATE);
    }

    @Test
    void shouldNotResumeOnLateDatagramsThatDoNotFollowOnOrAreInterleavedWithCurrentOnes()
    {
        assertThat(tracker.onDatagram(1, 1)).isEqualTo(IN_ORDER);
        assertThat(tracker.onDatagram(10_000, 1)).isEqualTo(GAP);
        // Late datagrams with holes between them: reordering, not a source sending from there.
        for (int i = 0; i < 2 * RESYNC_AFTER_LATE_DATAGRAMS; i++)
        {
            assertThat(tracker.onDatagram(2 + 2L * i, 1)).isEqualTo(OUT_OF_ORDER);
        }
        // A contiguous late run broken by a datagram at the expected seq starts counting again.
        long late = 100;
        long current = 10_001;
        for (int i = 0; i < 3 * RESYNC_AFTER_LATE_DATAGRAMS; i++)
        {
            assertThat(tracker.onDatagram(late++, 1)).isEqualTo(OUT_OF_ORDER);
            if (i % (RESYNC_AFTER_LATE_DATAGRAMS - 1) == RESYNC_AFTER_LATE_DATAGRAMS - 2)
            {
                assertThat(tracker.onDatagram(current++, 1)).isEqualTo(IN_ORDER);
            }
        }
        // Copies of datagrams already applied are duplicates and never resume anything.
        for (int i = 0; i < 2 * RESYNC_AFTER_LATE_DATAGRAMS; i++)
        {
            assertThat(tracker.onDatagram(10_000, 1)).isEqualTo(DUPLICATE);
        }
        assertThat(tracker.expectedSeq()).isEqualTo(current);
    }
}

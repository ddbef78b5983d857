package io.tickgate.client;

import io.tickgate.protocol.FrameDescriptor;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static io.tickgate.client.TestFrames.entry;
import static io.tickgate.client.TestFrames.heartbeat;
import static io.tickgate.client.TestFrames.snapshot;
import static io.tickgate.client.TestFrames.update;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The frame handler on crafted frames: values, the frameSeq and seq checks, and the snapshot as truth.
 */
class FrameAdapterTest
{
    private final RecordingListener listener = new RecordingListener();
    private final FrameAdapter adapter = new FrameAdapter(listener);
    private final MarketData aapl = new MarketData("AAPL");
    private final MarketData msft = new MarketData("MSFT");

    @BeforeEach
    void bind()
    {
        aapl.accepted(3, 4, 0, 1);
        msft.accepted(7, 2, 0, 1);
        adapter.bind(3, aapl, true);
        adapter.bind(7, msft, true);
    }

    private int apply(final byte[] frame)
    {
        return adapter.onFrame(new UnsafeBuffer(frame), 0, frame.length);
    }

    @Test
    void shouldApplyEveryFieldOfAnEntry()
    {
        final byte[] frame = snapshot(1, entry(3, 5, 1_890_000));
        new io.tickgate.protocol.FrameFlyweight().wrap(new UnsafeBuffer(frame), 0).entry(0, 3,
            FrameDescriptor.FLAG_QUOTE | FrameDescriptor.FLAG_STALE, 9, 5, 11, 12, 13, 14, 15, 16, 17, 18);

        assertThat(apply(frame)).isEqualTo(FrameAdapter.OK);

        assertThat(aapl.hasValue()).isTrue();
        assertThat(aapl.hasQuote()).isTrue();
        assertThat(aapl.hasTrade()).isFalse();
        assertThat(aapl.isStale()).isTrue();
        assertThat(aapl.conflated()).isEqualTo(9);
        assertThat(aapl.seq()).isEqualTo(5);
        assertThat(new long[] { aapl.bidPrice(), aapl.bidSize(), aapl.askPrice(), aapl.askSize(), aapl.lastPrice(),
            aapl.lastSize(), aapl.exchangeTimeNs(), aapl.ingestTimeNs() })
            .containsExactly(11, 12, 13, 14, 15, 16, 17, 18);
        assertThat(aapl.priceScale()).isEqualTo(4);
    }

    @Test
    void shouldReportGapWhenFrameSeqSkips()
    {
        assertThat(apply(snapshot(1, entry(3, 1, 100)))).isEqualTo(FrameAdapter.OK);
        assertThat(apply(update(2, entry(3, 2, 101)))).isEqualTo(FrameAdapter.OK);

        assertThat(apply(update(4, entry(3, 3, 102)))).isEqualTo(FrameAdapter.GAP);

        assertThat(adapter.frameGaps()).isEqualTo(1);
        assertThat(listener.firstError(ClientError.FRAME_GAP).detail()).isEqualTo("expected frameSeq 3, got 4");
        assertThat(aapl.bidPrice()).as("a newer value is still applied").isEqualTo(102);
        assertThat(apply(heartbeat(5))).as("counting goes on from the frame seen").isEqualTo(FrameAdapter.OK);
    }

    @Test
    void shouldDropEntryWhenSeqDoesNotIncrease()
    {
        apply(snapshot(1, entry(3, 10, 100), entry(7, 4, 500)));

        apply(update(2, entry(3, 10, 999), entry(7, 5, 501), entry(3, 9, 998)));

        assertThat(adapter.seqRegressions()).isEqualTo(2);
        assertThat(listener.count(ClientError.SEQ_REGRESSION)).isEqualTo(2);
        assertThat(aapl.bidPrice()).isEqualTo(100);
        assertThat(aapl.seq()).isEqualTo(10);
        assertThat(msft.bidPrice()).isEqualTo(501);
    }

    @Test
    void shouldTakeSnapshotOfNewSessionWhateverItsSeqAndClearSymbolsItLeavesOut()
    {
        apply(snapshot(1, entry(3, 50, 100), entry(7, 60, 500)));

        // A restarted gateway: seq starts afresh, and it has no value for MSFT yet.
        resubscribeOnNewSession();
        assertThat(apply(snapshot(1, entry(1, 2, 200)))).isEqualTo(FrameAdapter.OK);

        assertThat(aapl.bidPrice()).isEqualTo(200);
        assertThat(aapl.seq()).isEqualTo(2);
        assertThat(msft.hasValue()).isFalse();
        assertThat(adapter.seqRegressions()).isZero();
        assertThat(listener.updates).endsWith("S AAPL 200", "S MSFT -");
    }

    /**
     * Subscribe, unsubscribe and subscribe again sent before the first reply: the client binds the symbol on the
     * first reply, and the second SNAPSHOT restates its value at the seq already held. That is the gateway keeping
     * its word, not a regression; a lower seq still is one.
     */
    @Test
    void shouldTakeSnapshotRestatingTheHeldSeqWithoutReportingARegression()
    {
        apply(snapshot(1, entry(3, 10, 100)));
        adapter.bind(3, aapl, false);

        apply(snapshot(2, entry(3, 10, 100)));
        assertThat(adapter.seqRegressions()).isZero();
        assertThat(listener.updates).containsExactly("S AAPL 100", "S AAPL 100");

        apply(snapshot(3, entry(3, 9, 99)));
        assertThat(adapter.seqRegressions()).isEqualTo(1);
        assertThat(aapl.seq()).isEqualTo(10);
    }

    /**
     * Unsubscribed between a resubscribe's reply and its SNAPSHOT: the snapshot leaves the symbol out (its sid is
     * unbound), and it must not be cleared and reported, since nothing is reported after {@code unsubscribe}.
     */
    @Test
    void shouldReportNothingForSymbolUnboundBeforeTheSnapshotThatLeavesItOut()
    {
        apply(snapshot(1, entry(3, 50, 100), entry(7, 60, 500)));
        resubscribeOnNewSession();
        listener.updates.clear();

        adapter.unbind(2);
        assertThat(apply(snapshot(1, entry(1, 2, 200)))).isEqualTo(FrameAdapter.OK);

        assertThat(listener.updates).containsExactly("S AAPL 200");
    }

    /**
     * What the client does on a new session's {@code subscribed} reply: both symbols accepted afresh, AAPL as sid 1
     * and MSFT as sid 2, and waiting for the snapshot.
     */
    private void resubscribeOnNewSession()
    {
        adapter.reset();
        aapl.forgetSeq();
        msft.forgetSeq();
        aapl.accepted(1, 4, 0, 2);
        msft.accepted(2, 2, 0, 2);
        adapter.bind(1, aapl, true);
        adapter.bind(2, msft, true);
    }

    @Test
    void shouldIgnoreEntriesForSidsNotBound()
    {
        apply(snapshot(1, entry(3, 1, 100), entry(42, 1, 7)));

        assertThat(adapter.unknownSidEntries()).isEqualTo(1);
        assertThat(aapl.bidPrice()).isEqualTo(100);
    }

    @Test
    void shouldRejectMalformedFramesWithoutApplyingThem()
    {
        final byte[] good = update(1, entry(3, 1, 100));
        assertThat(adapter.onFrame(new UnsafeBuffer(good), 0, good.length - 1)).isEqualTo(FrameAdapter.MALFORMED);
        assertThat(adapter.onFrame(new UnsafeBuffer(good), 0, 10)).isEqualTo(FrameAdapter.MALFORMED);
        final byte[] badVersion = update(1, entry(3, 1, 100));
        badVersion[FrameDescriptor.VERSION_OFFSET] = 2;
        assertThat(apply(badVersion)).isEqualTo(FrameAdapter.MALFORMED);
        final byte[] badKind = update(1, entry(3, 1, 100));
        badKind[FrameDescriptor.KIND_OFFSET] = 9;
        assertThat(apply(badKind)).isEqualTo(FrameAdapter.MALFORMED);

        assertThat(adapter.malformedFrames()).isEqualTo(4);
        assertThat(aapl.hasValue()).isFalse();
        assertThat(apply(good)).as("frameSeq not consumed by malformed frames").isEqualTo(FrameAdapter.OK);
    }
}

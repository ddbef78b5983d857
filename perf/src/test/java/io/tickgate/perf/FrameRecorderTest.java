package io.tickgate.perf;

import io.tickgate.protocol.FrameDescriptor;
import io.tickgate.protocol.FrameFlyweight;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTrue;

class FrameRecorderTest
{
    private static final long T0 = 1_764_000_000_000_000_000L;

    /** Symbols with sids 10, 11, 12 at plan indices 0, 1, 2; the tally's connection subscribed to indices 1 and 2. */
    private final int[] symbolIndexBySid = { -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, 0, 1, 2 };
    private final FrameRecorder recorder = new FrameRecorder(symbolIndexBySid);
    private final SessionTally tally = new SessionTally(1, 2, 3);
    private final UnsafeBuffer buffer = new UnsafeBuffer(new byte[FrameDescriptor.frameLength(4)]);
    private final FrameFlyweight frame = new FrameFlyweight().wrap(buffer, 0);

    /** Ends the interval as a run does, through {@link IntervalLog}, and waits until it is in the totals. */
    private static void foldInterval(final FrameRecorder recorder)
    {
        try (IntervalLog intervals = new IntervalLog(recorder, null))
        {
            intervals.start();
            intervals.endInterval(0, 0, true);
        }
    }

    private int encode(final byte kind, final long frameSeq, final long... sidSeqIngest)
    {
        return encodeConflated(kind, frameSeq, 2, sidSeqIngest);
    }

    private int encodeConflated(final byte kind, final long frameSeq, final int conflated, final long... sidSeqIngest)
    {
        final int count = sidSeqIngest.length / 3;
        frame.header(kind, count, frameSeq, T0);
        for (int i = 0; i < count; i++)
        {
            final long ingest = sidSeqIngest[i * 3 + 2];
            frame.entry(i, (int)sidSeqIngest[i * 3], FrameDescriptor.FLAG_QUOTE, conflated, sidSeqIngest[i * 3 + 1],
                100, 1, 101, 1, 0, 0, ingest - 1_000, ingest);
        }
        return FrameDescriptor.frameLength(count);
    }

    @Test
    void shouldAccountEveryOfferedUpdateWhenEntriesAndConflatedCoverTheSeqAdvance()
    {
        // Snapshot at seq 10 (warm-up); then, measured: seq 11 alone, seq 14 merging 12 and 13.
        recorder.onFrame(tally, buffer, 0, encodeConflated(FrameDescriptor.KIND_SNAPSHOT, 1, 0, 11, 10, T0), T0);
        recorder.resetCounts();
        tally.resetCounts();
        recorder.onFrame(tally, buffer, 0, encodeConflated(FrameDescriptor.KIND_UPDATE, 2, 0, 11, 11, T0), T0 + 1);
        recorder.onFrame(tally, buffer, 0, encodeConflated(FrameDescriptor.KIND_UPDATE, 3, 2, 11, 14, T0), T0 + 1);

        assertThat(recorder.seqAdvance).isEqualTo(4);
        assertThat(tally.seqAdvance).isEqualTo(4);
        assertThat(recorder.entries + recorder.conflated).isEqualTo(4);
        assertThat(LoadTestResult.accountedPercent(recorder.entries, recorder.conflated, recorder.seqAdvance))
            .isEqualTo(100.0);
    }

    @Test
    void shouldShowLostUpdatesAsLessThanAHundredPercentAccounted()
    {
        // The server applied seq 2..5 to the symbol but the session saw only seq 5, merging nothing.
        recorder.onFrame(tally, buffer, 0, encodeConflated(FrameDescriptor.KIND_UPDATE, 1, 0, 12, 1, T0), T0);
        recorder.resetCounts();
        recorder.onFrame(tally, buffer, 0, encodeConflated(FrameDescriptor.KIND_UPDATE, 2, 0, 12, 5, T0), T0);

        assertThat(recorder.seqAdvance).isEqualTo(4);
        assertThat(LoadTestResult.accountedPercent(recorder.entries, recorder.conflated, recorder.seqAdvance))
            .isEqualTo(25.0);
    }

    @Test
    void shouldCountAFirstEntryWithNoEarlierSeqAsItselfAndWhatItMerged()
    {
        recorder.onFrame(tally, buffer, 0, encodeConflated(FrameDescriptor.KIND_UPDATE, 1, 3, 12, 40, T0), T0);

        assertThat(recorder.seqAdvance).isEqualTo(4);
        assertThat(LoadTestResult.accountedPercent(0, 0, 0)).as("no share of nothing offered").isNull();
    }

    @Test
    void shouldLearnSidsFromSubscribeRepliesBeyondTheKnownTable()
    {
        final FrameRecorder learning = new FrameRecorder(new int[] { -1 });
        final SessionTally session = new SessionTally(0, 1, 1);
        final int length = encode(FrameDescriptor.KIND_UPDATE, 1, 12, 5, T0);

        learning.onFrame(session, buffer, 0, length, T0 + 10);
        assertThat(learning.unexpectedSids).isEqualTo(1);

        learning.learnSid(12, 0);
        learning.onFrame(session, buffer, 0, length, T0 + 10);
        assertThat(learning.entries).isEqualTo(1);
        assertThat(session.lastSeqBySlot[0]).isEqualTo(5);
    }

    @Test
    void shouldRecordLatencyAndAgeOfEveryUpdateEntry()
    {
        final int length = encode(FrameDescriptor.KIND_UPDATE, 1, 11, 5, T0, 12, 9, T0 + 500);
        recorder.onFrame(tally, buffer, 0, length, T0 + 2_000);
        foldInterval(recorder);

        assertThat(recorder.entries).isEqualTo(2);
        assertThat(recorder.frames).isEqualTo(1);
        assertThat(recorder.updateFrames).isEqualTo(1);
        assertThat(recorder.bytes).isEqualTo(length);
        assertThat(recorder.conflated).isEqualTo(4);
        assertThat(recorder.totalLatency.getTotalCount()).isEqualTo(2);
        assertThat(recorder.totalLatency.getMaxValue()).isBetween(1_999L, 2_001L);
        assertThat(recorder.totalLatency.getMinValue()).isBetween(1_499L, 1_501L);
        assertThat(recorder.totalAge.getMaxValue()).isBetween(2_998L, 3_002L);
        assertThat(tally.entries).isEqualTo(2);
        assertThat(recorder.frameSeqGaps + recorder.seqRegressions + recorder.unexpectedSids).isZero();
    }

    @Test
    void shouldCountGapsRegressionsAndForeignSids()
    {
        recorder.onFrame(tally, buffer, 0, encode(FrameDescriptor.KIND_SNAPSHOT, 1, 11, 5, T0), T0 + 10);
        recorder.onFrame(tally, buffer, 0, encode(FrameDescriptor.KIND_UPDATE, 4, 11, 5, T0, 10, 1, T0), T0 + 10);
        recorder.onFrame(tally, buffer, 0, encode(FrameDescriptor.KIND_HEARTBEAT, 4), T0 + 10);

        assertThat(recorder.frameSeqGaps).isEqualTo(2);
        assertThat(recorder.frameSeqRegressions).isEqualTo(1);
        assertThat(recorder.seqRegressions).isEqualTo(1);
        assertThat(recorder.unexpectedSids).isEqualTo(1);
        assertThat(recorder.snapshotFrames).isEqualTo(1);
        assertThat(recorder.heartbeatFrames).isEqualTo(1);
        // Snapshot entries are not deliveries: only the update's one subscribed entry counts.
        assertThat(recorder.entries).isEqualTo(1);
    }

    @Test
    void shouldCountTruncatedAndForeignVersionFramesAsMalformed()
    {
        final int length = encode(FrameDescriptor.KIND_UPDATE, 1, 11, 5, T0);
        recorder.onFrame(tally, buffer, 0, length - 1, T0);
        recorder.onFrame(tally, buffer, 0, 10, T0);
        buffer.putByte(FrameDescriptor.VERSION_OFFSET, (byte)2);
        recorder.onFrame(tally, buffer, 0, length, T0);

        assertThat(recorder.malformedFrames).isEqualTo(3);
        assertThat(recorder.entries).isZero();
    }

    @Test
    void shouldKeepFramesOfAnUnknownKindOutOfTheSequenceCheck()
    {
        recorder.onFrame(tally, buffer, 0, encode(FrameDescriptor.KIND_UPDATE, 1, 11, 5, T0), T0 + 10);
        // Unknown kinds carrying frameSeq 0 and an older seq: malformed, so neither a regression nor a gap after.
        recorder.onFrame(tally, buffer, 0, encode((byte)42, 0, 11, 1, T0), T0 + 10);
        recorder.onFrame(tally, buffer, 0, encode((byte)42, 0, 11, 1, T0), T0 + 10);
        recorder.onFrame(tally, buffer, 0, encode(FrameDescriptor.KIND_UPDATE, 2, 11, 6, T0), T0 + 10);

        assertThat(recorder.malformedFrames).isEqualTo(2);
        assertThat(recorder.frameSeqGaps).isZero();
        assertThat(recorder.frameSeqRegressions).isZero();
        assertThat(recorder.seqRegressions).isZero();
        assertThat(recorder.entries).isEqualTo(2);
        assertThat(recorder.frames).isEqualTo(2);
    }

    @Test
    void shouldDecodeProtocolGoldenUpdateFrame() throws IOException
    {
        final Path golden = Path.of("..", "protocol", "target", "golden", "update.bin");
        assertTrue(Files.exists(golden), "protocol's GoldenFramesTest has not written " + golden +
            " (run the reactor build: mvn -B -ntp verify)");
        final byte[] bytes = Files.readAllBytes(golden);
        final int[] bySid = { -1, -1, -1, 0 };
        final FrameRecorder goldenRecorder = new FrameRecorder(bySid);
        final SessionTally goldenTally = new SessionTally(0, 1, 1);
        goldenTally.lastFrameSeq = 0x8877_6655_4433_2210L;

        // Values from GoldenFramesTest: sid 3, conflated 1, seq 2, ingestTime ...001_000_400_000.
        goldenRecorder.onFrame(goldenTally, new UnsafeBuffer(bytes), 0, bytes.length, 1_764_000_001_001_400_000L);
        foldInterval(goldenRecorder);

        assertThat(goldenRecorder.entries).isEqualTo(1);
        assertThat(goldenRecorder.conflated).isEqualTo(1);
        assertThat(goldenTally.lastSeqBySlot[0]).isEqualTo(2);
        assertThat(goldenRecorder.frameSeqGaps + goldenRecorder.malformedFrames).isZero();
        assertThat(goldenRecorder.totalLatency.getMaxValue()).isBetween(999_000L, 1_001_000L);
        assertThat(goldenRecorder.totalAge.getMaxValue()).isBetween(1_399_000L, 1_401_000L);
    }
}

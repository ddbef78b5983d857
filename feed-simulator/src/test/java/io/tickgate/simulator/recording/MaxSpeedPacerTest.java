package io.tickgate.simulator.recording;

import io.tickgate.simulator.ReceiverQueue;
import org.junit.jupiter.api.Test;

import static io.tickgate.simulator.recording.MaxSpeedPacer.*;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The pacing of {@code replay --speed max} as a unit: an injected time, a scripted receiver queue, no sockets.
 */
class MaxSpeedPacerTest
{
    private static final long MS = 1_000_000L;
    private static final long T0 = 5_000_000_000L;

    @Test
    void shouldHoldCapAfterRampAndSendNoMoreThanBurstAfterPause()
    {
        final MaxSpeedPacer pacer = new MaxSpeedPacer(500_000, null, DEFAULT_HIGH_WATER_BYTES);
        pacer.start(T0);
        assertThat(pacer.tryAcquire(T0)).as("nothing is due at the start of the ramp").isFalse();

        // Over the ramp, a linear climb: about half the cap's messages in its second.
        long sent = 0;
        for (long t = T0; t <= T0 + RAMP_NS; t += 100_000)
        {
            sent += drain(pacer, t);
        }
        assertThat(sent).isBetween(249_000L, 251_000L);

        // Then the cap: 500 a millisecond, sent every 0.1 ms.
        sent = 0;
        long t = T0 + RAMP_NS;
        for (int i = 0; i < 10_000; i++)
        {
            t += 100_000;
            sent += drain(pacer, t);
        }
        assertThat(sent).isBetween(499_000L, 501_000L);

        // A sender that stalled a whole second gets a millisecond's worth at once, not the second's.
        t += 1_000 * MS;
        assertThat(drain(pacer, t)).isEqualTo(500);
        assertThat(drain(pacer, t + MS)).isEqualTo(500);
    }

    @Test
    void shouldKeepBurstAtTwoDatagramsForLowCaps()
    {
        final MaxSpeedPacer pacer = new MaxSpeedPacer(1_000, null, DEFAULT_HIGH_WATER_BYTES);
        pacer.start(T0);
        assertThat(drain(pacer, T0 + 100 * RAMP_NS)).isEqualTo(MIN_BURST);
    }

    @Test
    void shouldSendWithoutLimitWhenUncappedAndUnwatched()
    {
        final MaxSpeedPacer pacer = new MaxSpeedPacer(0, null, DEFAULT_HIGH_WATER_BYTES);
        pacer.start(T0);
        for (int i = 0; i < 1_000_000; i++)
        {
            assertThat(pacer.tryAcquire(T0)).isTrue();
        }
        assertThat(pacer.receiverDrops()).isEqualTo(-1);
    }

    @Test
    void shouldWaitWhileReceiverQueueIsAboveHighWaterAndReadItAtMostEveryPollInterval()
    {
        final ScriptedQueue queue = new ScriptedQueue();
        final MaxSpeedPacer pacer = new MaxSpeedPacer(0, queue, 1_000);
        queue.drops = 7;
        pacer.start(T0);
        final int readsAtStart = queue.reads;

        queue.queued = 1_000;
        assertThat(pacer.tryAcquire(T0)).as("at the high water, not above").isTrue();
        queue.queued = 1_001;
        assertThat(pacer.tryAcquire(T0 + POLL_NS - 1)).as("not read again yet").isTrue();
        assertThat(queue.reads - readsAtStart).isEqualTo(1);
        assertThat(pacer.tryAcquire(T0 + POLL_NS)).isFalse();
        assertThat(pacer.tryAcquire(T0 + POLL_NS + 1)).as("still full until read again").isFalse();
        assertThat(pacer.receiverWaits()).isEqualTo(1);

        queue.queued = 10;
        assertThat(pacer.tryAcquire(T0 + 2 * POLL_NS)).isTrue();
        assertThat(queue.reads - readsAtStart).isEqualTo(3);

        queue.queued = 5_000;
        queue.drops = 9;
        assertThat(pacer.tryAcquire(T0 + 3 * POLL_NS)).isFalse();
        assertThat(pacer.receiverWaits()).isEqualTo(2);
        assertThat(pacer.receiverDrops()).isEqualTo(2);
    }

    @Test
    void shouldApplyCapAndReceiverGateTogether()
    {
        final ScriptedQueue queue = new ScriptedQueue();
        final MaxSpeedPacer pacer = new MaxSpeedPacer(100_000, queue, 1_000);
        pacer.start(T0);
        final long afterRamp = T0 + RAMP_NS + 10 * MS;
        assertThat(drain(pacer, afterRamp)).isEqualTo(100);
        queue.queued = 2_000;
        assertThat(drain(pacer, afterRamp + 10 * MS)).isZero();
        queue.queued = 0;
        assertThat(drain(pacer, afterRamp + 10 * MS + POLL_NS)).isEqualTo(100);
    }

    private static long drain(final MaxSpeedPacer pacer, final long nowNs)
    {
        long sent = 0;
        while (pacer.tryAcquire(nowNs))
        {
            sent++;
        }
        return sent;
    }

    private static final class ScriptedQueue implements ReceiverQueue
    {
        long queued;
        long drops;
        int reads;

        public boolean poll()
        {
            reads++;
            return true;
        }

        public long queuedBytes()
        {
            return queued;
        }

        public long drops()
        {
            return drops;
        }

        public void close()
        {
        }
    }
}

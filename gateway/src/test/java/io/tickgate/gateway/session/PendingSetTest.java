package io.tickgate.gateway.session;

import org.junit.jupiter.api.Test;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The pending bitmap between the conflator's thread (marks) and an IO thread (takes), including the hand-off that lets
 * a mark of a still-set bit skip its atomic: the last value written before a skipped mark is never lost.
 */
class PendingSetTest
{
    private static final VarHandle VALUE = MethodHandles.arrayElementVarHandle(long[].class);

    @Test
    void shouldReportOnlyTheFirstMarkUntilTaken()
    {
        final PendingSet pending = new PendingSet(256);
        final long[] taken = new long[4];

        assertThat(pending.mark(70)).isTrue();
        assertThat(pending.mark(70)).isFalse();
        assertThat(pending.mark(3)).isTrue();
        assertThat(pending.size()).isEqualTo(2);

        assertThat(pending.takeInto(taken)).isTrue();
        assertThat(taken[0]).isEqualTo(1L << 3);
        assertThat(taken[1]).isEqualTo(1L << 6);
        assertThat(pending.size()).isZero();
        assertThat(pending.takeInto(new long[4])).isFalse();

        assertThat(pending.mark(70)).isTrue();
    }

    @Test
    void shouldRejectCapacitiesOutsideTheBitmap()
    {
        assertThatThrownBy(() -> new PendingSet(0))
            .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new PendingSet(PendingSet.MAX_SLOTS + 1))
            .isInstanceOf(IllegalArgumentException.class);
    }

    /**
     * A writer stores a value and marks (as the conflator does: store, full fence, mark); a reader takes and then
     * reads the value. Whenever the writer stops, the reader's last read after its final take must be the last
     * value written, however many marks were skipped because their bit was still set.
     */
    @Test
    void shouldNeverLoseTheLastValueWhenMarksAreSkipped() throws Exception
    {
        for (int round = 0; round < 200; round++)
        {
            final PendingSet pending = new PendingSet(64);
            final long[] value = new long[1];
            final AtomicBoolean writerDone = new AtomicBoolean();
            final long lastValue = 2_000 + round;

            final Thread writer = new Thread(() ->
            {
                for (long v = 1; v <= lastValue; v++)
                {
                    VALUE.setOpaque(value, 0, v);
                    VarHandle.fullFence();
                    pending.mark(5);
                }
                writerDone.set(true);
            }, "test-conflator");

            final long[] seen = {0};
            final Thread reader = new Thread(() ->
            {
                final long[] into = new long[1];
                while (true)
                {
                    // Read before the take: a take that finds nothing after the writer finished ends the round.
                    final boolean done = writerDone.get();
                    if (pending.takeInto(into))
                    {
                        into[0] = 0;
                        seen[0] = (long)VALUE.getOpaque(value, 0);
                    }
                    else if (done)
                    {
                        return;
                    }
                }
            }, "test-io");

            writer.start();
            reader.start();
            writer.join(TimeUnit.SECONDS.toMillis(10));
            reader.join(TimeUnit.SECONDS.toMillis(10));
            assertThat(writer.isAlive() || reader.isAlive()).as("threads finished").isFalse();
            assertThat(seen[0]).as("round %d", round).isEqualTo(lastValue);
        }
    }

}

package io.tickgate.perf.sidebyside;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * Picking the measured window out of {@code perf stat -I 100 -x,} output: lines as perf prints them, stamped with
 * the instant each was read. No perf needed.
 */
class WriteSyscallCounterTest
{
    /** When perf began counting, on the {@code System.nanoTime()} scale. */
    private static final long ORIGIN_NS = 5_000_000_000L;

    @Test
    void shouldCountOnlyTheIntervalsInsideTheWindowOverTheTimeTheyCover()
    {
        final List<ChildProcess.Line> lines = new ArrayList<>();
        // Warm-up: 50 writes per 100 ms; read 1 to 30 ms after each interval ends (perf is not always on a core).
        for (int i = 1; i <= 3; i++)
        {
            lines.addAll(interval(i * 0.1, 1 + 10 * (i - 1), 45, 0, 5, 0));
        }
        // Window, from 0.25 s to 0.95 s after perf began: 100 writes per 100 ms (90 write, 10 sendto).
        for (int i = 4; i <= 9; i++)
        {
            lines.addAll(interval(i * 0.1, 3, 90, 0, 10, 0));
        }
        // After it: the clients close, 500 writes per 100 ms; the last interval cut short as perf was stopped.
        lines.addAll(interval(1.0, 4, 480, 0, 20, 0));
        lines.add(new ChildProcess.Line("     1.100000000,470,,syscalls:sys_enter_write,7430094,100.00,,",
            ORIGIN_NS + 1_105_000_000L));

        final WriteSyscallCounter.Count count = WriteSyscallCounter.count(lines,
            ORIGIN_NS + 250_000_000L, ORIGIN_NS + 950_000_000L, 143);

        // The six intervals from 0.3 s to 0.9 s; 0.2-0.3 s and 0.9-1.0 s cross the window's edges.
        assertThat(count.count()).isEqualTo(600);
        assertThat(count.seconds()).isCloseTo(0.6, within(1e-9));
        assertThat(count.perSecond()).isCloseTo(1_000.0, within(1e-6));
        assertThat(count.source()).isEqualTo("perf stat (write, writev, sendto, sendmsg)");
    }

    @Test
    void shouldPlacePerfsIntervalsByTheEarliestReadLineSinceNoneIsReadBeforeItsIntervalEnds()
    {
        // Every line but one read 60 ms late: were they placed by that, 0.3-0.4 s would seem to end after 0.45 s.
        final List<ChildProcess.Line> lines = new ArrayList<>();
        lines.addAll(interval(0.1, 0, 1, 0, 0, 0));
        lines.addAll(interval(0.2, 60, 1, 0, 0, 0));
        lines.addAll(interval(0.3, 60, 7, 0, 0, 0));
        lines.addAll(interval(0.4, 60, 1, 0, 0, 0));

        final WriteSyscallCounter.Count count = WriteSyscallCounter.count(lines,
            ORIGIN_NS + 200_000_000L, ORIGIN_NS + 310_000_000L, 143);

        assertThat(count.count()).isEqualTo(7);
        assertThat(count.seconds()).isCloseTo(0.1, within(1e-9));
    }

    @Test
    void shouldSaySoWhenNoWholeIntervalLiesInsideTheWindow()
    {
        final WriteSyscallCounter.Count count = WriteSyscallCounter.count(interval(0.1, 1, 5, 0, 0, 0),
            ORIGIN_NS + 50_000_000L, ORIGIN_NS + 300_000_000L, 143);

        assertThat(count.count()).isEqualTo(-1);
        assertThat(count.perSecond()).isEqualTo(-1);
        assertThat(count.source()).isEqualTo("perf stat: no 100 ms interval lay inside the window");
    }

    @Test
    void shouldCountAnIntervalInWhichNoWatchedThreadRanAsNoWrites()
    {
        final List<ChildProcess.Line> lines = new ArrayList<>();
        lines.addAll(interval(0.1, 1, 5, 0, 0, 0));
        lines.addAll(interval(0.2, 1, -1, -1, -1, -1));
        lines.addAll(interval(0.3, 1, 5, 0, 0, 0));

        final WriteSyscallCounter.Count count = WriteSyscallCounter.count(lines, ORIGIN_NS, ORIGIN_NS + 310_000_000L,
            143);

        assertThat(count.count()).isEqualTo(10);
        assertThat(count.seconds()).isCloseTo(0.3, within(1e-9));
    }

    @Test
    void shouldRefuseAPartialCountWhenAnEventWasNotCounted()
    {
        final List<ChildProcess.Line> lines = new ArrayList<>(interval(0.1, 1, 182_989, 11, 0, 5));
        lines.set(1, new ChildProcess.Line("     0.100000000,<not counted>,,syscalls:sys_enter_writev,0,100.00,,",
            ORIGIN_NS + 101_000_000L));

        final WriteSyscallCounter.Count count = WriteSyscallCounter.count(lines, ORIGIN_NS, ORIGIN_NS + 1_000_000_000L,
            143);

        assertThat(count.count()).isEqualTo(-1);
        assertThat(count.source()).contains("sys_enter_writev <not counted>");
    }

    @Test
    void shouldSayHowManyEventsPerfCountedWhenItFailed()
    {
        final WriteSyscallCounter.Count count = WriteSyscallCounter.count(List.of(
            new ChildProcess.Line("Error:", ORIGIN_NS),
            new ChildProcess.Line("No permissions to read /sys/kernel/tracing/events/syscalls", ORIGIN_NS)),
            ORIGIN_NS, ORIGIN_NS + 1_000_000_000L, 255);

        assertThat(count.count()).isEqualTo(-1);
        assertThat(count.source()).isEqualTo("perf stat counted 0 of 4 events (exit 255)");
    }

    /**
     * One interval's four lines as {@code perf stat -I -x,} prints them, ending {@code endSeconds} after perf began
     * counting and read {@code lateMs} after that; a count of -1 prints {@code <not counted>}.
     */
    private static List<ChildProcess.Line> interval(
        final double endSeconds, final int lateMs, final long write, final long writev, final long sendto,
        final long sendmsg)
    {
        final long endNs = Math.round(endSeconds * 1e9);
        final String stamp = String.format(Locale.ROOT, "%6d.%09d", endNs / 1_000_000_000L, endNs % 1_000_000_000L);
        final long readNs = ORIGIN_NS + endNs + lateMs * 1_000_000L;
        final long[] counts = {write, writev, sendto, sendmsg};
        final List<ChildProcess.Line> lines = new ArrayList<>();
        for (int i = 0; i < counts.length; i++)
        {
            lines.add(new ChildProcess.Line(
                stamp + "," + (counts[i] < 0 ? WriteSyscallCounter.NOT_COUNTED : Long.toString(counts[i])) + ",," +
                WriteSyscallCounter.EVENTS.get(i) + ",7430094,100.00,,", readNs));
        }
        return lines;
    }
}

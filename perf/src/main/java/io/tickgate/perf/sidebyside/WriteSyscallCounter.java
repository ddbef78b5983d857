package io.tickgate.perf.sidebyside;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/**
 * Counts the server's socket-write syscalls over the load generator's measured window with
 * {@code perf stat -I 100 -x, -e syscalls:sys_enter_write,...writev,...sendto,...sendmsg -p PIDS}, started before the
 * window and stopped after it, so entries per write can be reported. perf prints each 100 ms interval to standard
 * output as it ends ({@code --log-fd 1}), where {@link ChildProcess} stamps the lines as they arrive; only the
 * intervals that lie wholly inside the window are summed, over the time they cover. Where {@code perf} is missing,
 * not permitted or cannot count, the result says why and the runner falls back to the {@code syscw} delta of
 * {@code /proc/PID/io} (write and writev only).
 * <p>
 * Not thread-safe; used by the runner's thread.
 */
final class WriteSyscallCounter
{
    static final String PERF = "/usr/bin/perf";
    static final List<String> EVENTS = List.of("syscalls:sys_enter_write", "syscalls:sys_enter_writev",
        "syscalls:sys_enter_sendto", "syscalls:sys_enter_sendmsg");
    static final int INTERVAL_MS = 100;
    /** What perf prints for an event whose watched threads did not run at all in an interval. */
    static final String NOT_COUNTED = "<not counted>";

    /**
     * A count over {@code seconds} and where it came from; {@code count} -1 with the reason in {@code source} when
     * there is none.
     */
    record Count(long count, double seconds, String source)
    {
        double perSecond()
        {
            return count < 0 || !(seconds > 0) ? -1 : count / seconds;
        }
    }

    private ChildProcess perf;
    private String unavailable;

    /**
     * Starts counting the write syscalls of {@code pids}, before the window opens; perf's output and errors go to
     * {@code perf-stat.out} and {@code .err} in {@code dir}.
     */
    void start(final List<Long> pids, final Path dir)
    {
        if (!Files.isExecutable(Path.of(PERF)))
        {
            unavailable = PERF + " is not installed";
            return;
        }
        try
        {
            perf = ChildProcess.start("perf-stat", List.of(PERF, "stat", "-I", Integer.toString(INTERVAL_MS),
                "-x", ",", "--log-fd", "1", "-e", String.join(",", EVENTS),
                "-p", pids.stream().map(String::valueOf).collect(Collectors.joining(","))), dir, dir);
        }
        catch (final IOException ex)
        {
            unavailable = "perf stat did not start: " + ex.getMessage();
        }
    }

    /**
     * Waits until perf has printed past {@code windowEndNs} (or ended, or {@code timeoutMs} passed), stops it and
     * counts the window from {@code windowStartNs} to {@code windowEndNs} ({@link System#nanoTime()}).
     */
    Count finish(final long windowStartNs, final long windowEndNs, final long timeoutMs) throws InterruptedException
    {
        if (null != unavailable)
        {
            return new Count(-1, 0, unavailable);
        }
        // A line read two intervals after the end comes after every interval that ended inside the window.
        final long enoughNs = windowEndNs + 2 * TimeUnit.MILLISECONDS.toNanos(INTERVAL_MS);
        perf.awaitTimedLine(line -> line.nanoTime() - enoughNs >= 0, timeoutMs);
        final int exitStatus = perf.stop(ChildProcess.STOP_GRACE_MS);
        return count(perf.lines(), windowStartNs, windowEndNs, exitStatus);
    }

    void stop() throws InterruptedException
    {
        if (null != perf && perf.isAlive())
        {
            perf.stop(ChildProcess.STOP_GRACE_MS);
        }
    }

    /** One interval's lines, gathered. */
    private static final class Interval
    {
        long writes;
        int events;
        String notCounted;
        int notCountedEvents;
    }

    /**
     * Sums the events of {@code perf stat -I -x,} output ({@code seconds,count,unit,event,...}, one line per event and
     * interval) over the intervals that lie wholly inside the window, and returns it with the time those intervals
     * cover. perf stamps each interval's end in seconds since it began counting; that start is placed on the
     * {@link System#nanoTime()} scale at the smallest gap between a line's arrival and its stamp, since no line
     * arrives before its interval ends. An interval in which no watched thread ran shows every event
     * {@code <not counted>}: no writes. Any other event not counted (not supported, or not counted while others
     * were) makes the whole count unavailable, since a partial sum would mislead.
     */
    static Count count(
        final List<ChildProcess.Line> lines, final long windowStartNs, final long windowEndNs, final int exitStatus)
    {
        // By interval end, in ns since perf began counting.
        final NavigableMap<Long, Interval> intervals = new TreeMap<>();
        long originNs = Long.MAX_VALUE;
        int mostEvents = 0;
        for (final ChildProcess.Line line : lines)
        {
            final String[] fields = line.text().split(",", -1);
            final long endNs = fields.length < 4 || !EVENTS.contains(fields[3]) ? -1 : nanos(fields[0].strip());
            if (endNs < 0)
            {
                continue;
            }
            final boolean notCounted = NOT_COUNTED.equals(fields[1]);
            if (!notCounted && !fields[1].matches("[0-9]+"))
            {
                return new Count(-1, 0, "perf stat: " + fields[3] + " " + fields[1]);
            }
            final Interval interval = intervals.computeIfAbsent(endNs, k -> new Interval());
            interval.events++;
            if (notCounted)
            {
                interval.notCounted = fields[3];
                interval.notCountedEvents++;
            }
            else
            {
                interval.writes += Long.parseLong(fields[1]);
            }
            mostEvents = Math.max(mostEvents, interval.events);
            originNs = Math.min(originNs, line.nanoTime() - endNs);
        }
        if (mostEvents != EVENTS.size())
        {
            return new Count(-1, 0, "perf stat counted " + mostEvents + " of " + EVENTS.size() + " events (exit " +
                exitStatus + ")");
        }
        long count = 0;
        long coveredNs = 0;
        long previousEndNs = 0;
        for (final Map.Entry<Long, Interval> entry : intervals.entrySet())
        {
            final Interval interval = entry.getValue();
            final long startNs = originNs + previousEndNs;
            final long endNs = originNs + entry.getKey();
            previousEndNs = entry.getKey();
            // An interval cut short as perf was stopped lacks events; it ends after the window anyway.
            if (EVENTS.size() != interval.events || startNs < windowStartNs || endNs > windowEndNs)
            {
                continue;
            }
            if (interval.notCountedEvents > 0 && interval.notCountedEvents < EVENTS.size())
            {
                return new Count(-1, 0, "perf stat: " + interval.notCounted + " " + NOT_COUNTED);
            }
            count += interval.writes;
            coveredNs += endNs - startNs;
        }
        if (0 == coveredNs)
        {
            return new Count(-1, 0, "perf stat: no " + INTERVAL_MS + " ms interval lay inside the window");
        }
        return new Count(count, coveredNs / 1e9, "perf stat (write, writev, sendto, sendmsg)");
    }

    /**
     * perf's interval stamp {@code SECONDS.NANOSECONDS} in nanoseconds, -1 when it is not one.
     */
    private static long nanos(final String stamp)
    {
        if (!stamp.matches("[0-9]+\\.[0-9]{9}"))
        {
            return -1;
        }
        final int dot = stamp.indexOf('.');
        return Long.parseLong(stamp.substring(0, dot)) * 1_000_000_000L + Long.parseLong(stamp.substring(dot + 1));
    }
}

package io.tickgate.perf.sidebyside;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/**
 * Counts the server's socket-write syscalls over the window with
 * {@code perf stat -e syscalls:sys_enter_write,...writev,...sendto,...sendmsg -p PIDS -- sleep D}, so entries per
 * write can be reported. Where {@code perf} is missing, not permitted or cannot count, the result says why and the
 * runner falls back to the {@code syscw} delta of {@code /proc/PID/io} (write and writev only).
 * <p>
 * Not thread-safe; used by the runner's thread.
 */
final class WriteSyscallCounter
{
    static final String PERF = "/usr/bin/perf";
    static final List<String> EVENTS = List.of("syscalls:sys_enter_write", "syscalls:sys_enter_writev",
        "syscalls:sys_enter_sendto", "syscalls:sys_enter_sendmsg");

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

    private final Path outFile;
    private double seconds;
    private Process perf;
    private String unavailable;

    WriteSyscallCounter(final Path outFile)
    {
        this.outFile = outFile;
    }

    void start(final List<Long> pids, final double seconds, final Path errFile)
    {
        this.seconds = seconds;
        if (!Files.isExecutable(Path.of(PERF)))
        {
            unavailable = PERF + " is not installed";
            return;
        }
        final String pidList = pids.stream().map(String::valueOf).collect(Collectors.joining(","));
        try
        {
            perf = new ProcessBuilder(PERF, "stat", "-x", ",", "-o", outFile.toString(),
                "-e", String.join(",", EVENTS), "-p", pidList,
                "--", "sleep", String.format(Locale.ROOT, "%.3f", seconds))
                .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .redirectError(errFile.toFile())
                .start();
        }
        catch (final IOException ex)
        {
            unavailable = "perf stat did not start: " + ex.getMessage();
        }
    }

    /**
     * Waits for {@code perf stat} to finish (it ends with its {@code sleep}) and reads its count.
     */
    Count finish(final long timeoutMs) throws InterruptedException
    {
        if (null != unavailable)
        {
            return new Count(-1, 0, unavailable);
        }
        if (!perf.waitFor(timeoutMs, TimeUnit.MILLISECONDS))
        {
            perf.destroyForcibly();
            return new Count(-1, 0, "perf stat did not finish");
        }
        try
        {
            return parse(Files.readAllLines(outFile, StandardCharsets.UTF_8), perf.exitValue(), seconds);
        }
        catch (final IOException ex)
        {
            return new Count(-1, 0, "perf stat wrote nothing (exit " + perf.exitValue() + ")");
        }
    }

    void stop()
    {
        if (null != perf && perf.isAlive())
        {
            perf.destroyForcibly();
        }
    }

    /**
     * Sums the events of {@code perf stat -x,} output ({@code count,unit,event,...}) counted over {@code seconds} (the
     * {@code sleep}; the counters' own run time column is the CPU time of the threads watched, not wall time); any
     * event not counted (not supported, no permission) makes the whole count unavailable, since a partial sum would
     * mislead.
     */
    static Count parse(final List<String> lines, final int exitStatus, final double seconds)
    {
        long sum = 0;
        int events = 0;
        for (final String line : lines)
        {
            if (line.isBlank() || line.startsWith("#"))
            {
                continue;
            }
            final String[] fields = line.split(",", -1);
            if (fields.length < 3 || !EVENTS.contains(fields[2]))
            {
                continue;
            }
            if (!fields[0].matches("[0-9]+"))
            {
                return new Count(-1, 0, "perf stat: " + fields[2] + " " + fields[0]);
            }
            sum += Long.parseLong(fields[0]);
            events++;
        }
        if (events != EVENTS.size())
        {
            return new Count(-1, 0, "perf stat counted " + events + " of " + EVENTS.size() + " events (exit " +
                exitStatus + ")");
        }
        return new Count(sum, seconds, "perf stat (write, writev, sendto, sendmsg)");
    }
}

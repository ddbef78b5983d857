package io.tickgate.perf.sidebyside;

import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * One process the runner started: standard error goes to {@code <name>.err}, standard output to {@code <name>.out}
 * through a daemon thread that also keeps the lines, so the runner can wait for a line such as {@code ready ws=}.
 * <p>
 * Thread-safe: the copying thread appends lines under this object's monitor; the runner and the shutdown hook read
 * them and stop the process.
 */
final class ChildProcess
{
    static final long STOP_GRACE_MS = 10_000;

    /**
     * One line of standard output and the {@link System#nanoTime()} at which it was read, so the runner knows when a
     * line such as {@code measuring} or one of {@code perf stat}'s intervals was printed (to within the pipe's
     * latency).
     */
    record Line(String text, long nanoTime)
    {
    }

    private final String name;
    private final Process process;
    private final Path errFile;
    private final List<Line> lines = new ArrayList<>();
    private boolean outputEnded;

    private ChildProcess(final String name, final Process process, final Path errFile)
    {
        this.name = name;
        this.process = process;
        this.errFile = errFile;
    }

    static ChildProcess start(final String name, final List<String> command, final Path logDir, final Path workDir)
        throws IOException
    {
        Files.createDirectories(logDir);
        final Path errFile = logDir.resolve(name + ".err");
        Files.writeString(logDir.resolve(name + ".cmd"), String.join(" ", command) + System.lineSeparator());
        final Process process = new ProcessBuilder(command)
            .directory(workDir.toFile())
            .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
            .redirectError(errFile.toFile())
            .start();
        final ChildProcess child = new ChildProcess(name, process, errFile);
        final Path outFile = logDir.resolve(name + ".out");
        final Thread copier = new Thread(() -> child.copyOutput(outFile), "side-by-side-" + name + "-out");
        copier.setDaemon(true);
        copier.start();
        return child;
    }

    private void copyOutput(final Path outFile)
    {
        try (BufferedReader in = new BufferedReader(new InputStreamReader(process.getInputStream(),
            StandardCharsets.UTF_8));
            PrintWriter out = new PrintWriter(Files.newBufferedWriter(outFile, StandardCharsets.UTF_8)))
        {
            for (String line = in.readLine(); null != line; line = in.readLine())
            {
                final long nowNs = System.nanoTime();
                out.println(line);
                out.flush();
                synchronized (this)
                {
                    lines.add(new Line(line, nowNs));
                    notifyAll();
                }
            }
        }
        catch (final IOException ignore)
        {
            // The process went away mid-line: what was read is kept, and its exit status tells the rest.
        }
        finally
        {
            synchronized (this)
            {
                outputEnded = true;
                notifyAll();
            }
        }
    }

    String name()
    {
        return name;
    }

    long pid()
    {
        return process.pid();
    }

    boolean isAlive()
    {
        return process.isAlive();
    }

    /**
     * Waits for a line of standard output that {@code matches}, looking from the first line; returns it, or null
     * when the output ends (the process exited) or the timeout passes first.
     */
    String awaitLine(final Predicate<String> matches, final long timeoutMs) throws InterruptedException
    {
        final Line line = awaitTimedLine(timed -> matches.test(timed.text()), timeoutMs);
        return null == line ? null : line.text();
    }

    /**
     * As {@link #awaitLine(Predicate, long)}, with the instant each line was read.
     */
    synchronized Line awaitTimedLine(final Predicate<Line> matches, final long timeoutMs)
        throws InterruptedException
    {
        final long deadlineNs = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMs);
        int next = 0;
        while (true)
        {
            for (; next < lines.size(); next++)
            {
                if (matches.test(lines.get(next)))
                {
                    return lines.get(next);
                }
            }
            final long leftNs = deadlineNs - System.nanoTime();
            if (outputEnded || leftNs <= 0)
            {
                return null;
            }
            TimeUnit.NANOSECONDS.timedWait(this, leftNs);
        }
    }

    /**
     * The last line of standard output that {@code matches}, or null; once the process has ended, all of them.
     */
    synchronized String lastLine(final Predicate<String> matches)
    {
        for (int i = lines.size() - 1; i >= 0; i--)
        {
            if (matches.test(lines.get(i).text()))
            {
                return lines.get(i).text();
            }
        }
        return null;
    }

    /**
     * Every line of standard output so far; once the process has ended, all of them.
     */
    synchronized List<Line> lines()
    {
        return List.copyOf(lines);
    }

    /**
     * Waits for the process to exit by itself; returns its status, or null on timeout.
     */
    Integer awaitExit(final long timeoutMs) throws InterruptedException
    {
        if (!process.waitFor(timeoutMs, TimeUnit.MILLISECONDS))
        {
            return null;
        }
        awaitOutputEnd(timeoutMs);
        return process.exitValue();
    }

    /**
     * SIGTERM, then SIGKILL after {@code graceMs}; its own children too. Returns the exit status, or -1 if it had to
     * be killed. Waits for the output thread so every line the process printed is kept.
     */
    int stop(final long graceMs) throws InterruptedException
    {
        final List<ProcessHandle> descendants = process.descendants().toList();
        // Through the handle: Process.destroy() would also close our end of its output, losing what it prints as it
        // stops (a peer's counters, the simulator's totals).
        process.toHandle().destroy();
        final boolean exited = process.waitFor(graceMs, TimeUnit.MILLISECONDS);
        if (!exited)
        {
            process.toHandle().destroyForcibly();
            process.waitFor(graceMs, TimeUnit.MILLISECONDS);
        }
        descendants.stream().filter(ProcessHandle::isAlive).forEach(ProcessHandle::destroyForcibly);
        awaitOutputEnd(graceMs);
        return exited ? process.exitValue() : -1;
    }

    private synchronized void awaitOutputEnd(final long timeoutMs) throws InterruptedException
    {
        final long deadlineNs = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMs);
        while (!outputEnded && deadlineNs - System.nanoTime() > 0)
        {
            TimeUnit.NANOSECONDS.timedWait(this, deadlineNs - System.nanoTime());
        }
    }

    /**
     * The last non-blank line of standard error, for a one-line failure message; empty when there is none.
     */
    String lastErrorLine()
    {
        try
        {
            final List<String> err = Files.readAllLines(errFile, StandardCharsets.UTF_8);
            for (int i = err.size() - 1; i >= 0; i--)
            {
                if (!err.get(i).isBlank())
                {
                    return err.get(i).strip();
                }
            }
        }
        catch (final IOException ignore)
        {
            // No error file (the process never started): nothing to quote.
        }
        return "";
    }
}

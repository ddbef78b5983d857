package io.tickgate.perf.sidebyside;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Reads what the runner measures from Linux's {@code /proc}: CPU time and resident memory of a process, its
 * write-class syscalls, and the kernel's drop count for a UDP port. The parsers take the text, so tests feed them
 * samples; the readers return -1 when the file is gone (the process exited) or the value is absent.
 * <p>
 * Stateless and thread-safe.
 */
final class Procfs
{
    static final long DEFAULT_CLOCK_TICKS_PER_SECOND = 100;
    private static final Path PROC = Path.of("/proc");
    /** {@code /proc/PID/stat} fields after the command name: utime and stime are the 12th and 13th (14, 15 in all). */
    private static final int UTIME_AFTER_COMM = 11;
    private static final int STIME_AFTER_COMM = 12;
    /** {@code /proc/net/udp} columns: local_address is the second, drops the last. */
    private static final int UDP_LOCAL_ADDRESS = 1;
    private static final int UDP_DROPS = 12;

    private Procfs()
    {
    }

    /**
     * utime + stime of {@code /proc/PID/stat} in clock ticks: the whole process, every thread, live or ended.
     */
    static long cpuTicks(final String statLine)
    {
        // The command name sits in parentheses and may itself hold spaces or parentheses: count from the last ')'.
        final int end = statLine.lastIndexOf(')');
        if (end < 0)
        {
            return -1;
        }
        final String[] fields = statLine.substring(end + 1).trim().split("\\s+");
        if (fields.length <= STIME_AFTER_COMM)
        {
            return -1;
        }
        return Long.parseLong(fields[UTIME_AFTER_COMM]) + Long.parseLong(fields[STIME_AFTER_COMM]);
    }

    /**
     * A {@code kB} field of {@code /proc/PID/status} such as {@code VmRSS} or {@code VmHWM}, in kB, or -1.
     */
    static long statusKb(final String status, final String field)
    {
        for (final String line : status.split("\n"))
        {
            if (line.startsWith(field + ":"))
            {
                final String[] parts = line.substring(field.length() + 1).trim().split("\\s+");
                return Long.parseLong(parts[0]);
            }
        }
        return -1;
    }

    /**
     * A counter of {@code /proc/PID/io} such as {@code syscw} (write-class syscalls: write, writev, pwrite; not
     * send, sendto or sendmsg), or -1.
     */
    static long ioCounter(final String io, final String field)
    {
        for (final String line : io.split("\n"))
        {
            if (line.startsWith(field + ":"))
            {
                return Long.parseLong(line.substring(field.length() + 1).trim());
            }
        }
        return -1;
    }

    /**
     * Σ {@code drops} of the sockets bound to {@code port} in {@code /proc/net/udp} or {@code udp6} lines (header
     * included or not), or -1 when no socket is bound to it. Addresses are hex, {@code 0100007F:270F} for
     * 127.0.0.1:9999.
     */
    static long udpDrops(final List<String> lines, final int port)
    {
        long drops = -1;
        for (final String line : lines)
        {
            final String[] columns = line.trim().split("\\s+");
            if (columns.length <= UDP_DROPS || !columns[0].endsWith(":"))
            {
                continue;
            }
            final String local = columns[UDP_LOCAL_ADDRESS];
            final int colon = local.lastIndexOf(':');
            if (colon > 0 && Integer.parseInt(local.substring(colon + 1), 16) == port)
            {
                drops = Math.max(0, drops) + Long.parseLong(columns[UDP_DROPS]);
            }
        }
        return drops;
    }

    static long cpuTicks(final long pid)
    {
        final String stat = read(PROC.resolve(pid + "/stat"));
        return null == stat ? -1 : cpuTicks(stat);
    }

    static long statusKb(final long pid, final String field)
    {
        final String status = read(PROC.resolve(pid + "/status"));
        return null == status ? -1 : statusKb(status, field);
    }

    static long ioCounter(final long pid, final String field)
    {
        final String io = read(PROC.resolve(pid + "/io"));
        return null == io ? -1 : ioCounter(io, field);
    }

    static long udpDrops(final int port)
    {
        final List<String> lines = new ArrayList<>();
        for (final String file : new String[] { "net/udp", "net/udp6" })
        {
            final String text = read(PROC.resolve(file));
            if (null != text)
            {
                lines.addAll(List.of(text.split("\n")));
            }
        }
        return udpDrops(lines, port);
    }

    /**
     * The process and every descendant: a server started through a wrapper (a shell, a {@code .bin} shim) is
     * measured with its real process.
     */
    static List<Long> tree(final long pid)
    {
        final List<Long> pids = new ArrayList<>();
        pids.add(pid);
        ProcessHandle.of(pid).ifPresent(handle -> handle.descendants().forEach(child -> pids.add(child.pid())));
        return pids;
    }

    /**
     * {@code getconf CLK_TCK}: the unit of {@code /proc/PID/stat} times; 100 when it cannot be asked.
     */
    static long clockTicksPerSecond()
    {
        try
        {
            final Process getconf = new ProcessBuilder("getconf", "CLK_TCK").redirectErrorStream(true).start();
            final String out = new String(getconf.getInputStream().readAllBytes(), StandardCharsets.US_ASCII).trim();
            if (getconf.waitFor(5, TimeUnit.SECONDS) && 0 == getconf.exitValue() && out.matches("[0-9]+"))
            {
                return Long.parseLong(out);
            }
        }
        catch (final IOException ignore)
        {
            // No getconf: Linux has used 100 on every common architecture for decades.
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
        }
        return DEFAULT_CLOCK_TICKS_PER_SECOND;
    }

    static String read(final Path file)
    {
        try
        {
            return Files.readString(file, StandardCharsets.ISO_8859_1);
        }
        catch (final IOException ex)
        {
            return null;
        }
    }
}

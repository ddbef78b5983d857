package io.tickgate.simulator.recording;

import java.io.Console;
import java.io.PrintWriter;
import java.lang.reflect.Method;

/**
 * A one-line progress bar with rate and ETA, redrawn in place with a carriage return at most five times a second;
 * silent when standard output is not a terminal, so scripts and logs see only the final counts.
 * <p>
 * Not thread-safe: one reporting thread.
 */
public final class ProgressBar
{
    private static final long REDRAW_NS = 200_000_000L;
    /** {@code Console.isTerminal()}, from JDK 22; looked up by reflection since the code compiles for Java 17. */
    private static final Method CONSOLE_IS_TERMINAL = consoleIsTerminal();

    private final PrintWriter out;
    private final boolean enabled;
    private final String unit;
    private final long startNs = System.nanoTime();
    private long lastDrawNs;
    private boolean drawn;

    public ProgressBar(final PrintWriter out, final boolean enabled, final String unit)
    {
        this.out = out;
        this.enabled = enabled;
        this.unit = unit;
    }

    /**
     * Whether the process writes to a terminal.
     */
    public static boolean isTerminal()
    {
        return isTerminal(System.console(), CONSOLE_IS_TERMINAL);
    }

    /**
     * JDK 22 to 24 give a {@code Console} also when output is redirected (JDK-8309155; 25 went back, JDK-8351576),
     * so piped output would get redraws; from 22, {@code Console.isTerminal()} tells. Before 22 a console exists only
     * for a terminal.
     *
     * @param console    {@code System.console()}, or null.
     * @param isTerminal {@code Console.isTerminal()}, or null on a JDK without it.
     */
    static boolean isTerminal(final Object console, final Method isTerminal)
    {
        if (null == console)
        {
            return false;
        }
        if (null == isTerminal)
        {
            return true;
        }
        try
        {
            return (Boolean)isTerminal.invoke(console);
        }
        catch (final ReflectiveOperationException | RuntimeException ex)
        {
            return false;   // in doubt, plain output: escape codes in a log are worse than no redraw
        }
    }

    private static Method consoleIsTerminal()
    {
        try
        {
            return Console.class.getMethod("isTerminal");
        }
        catch (final NoSuchMethodException ex)
        {
            return null;
        }
    }

    public void update(final long done, final long total)
    {
        if (!enabled)
        {
            return;
        }
        final long nowNs = System.nanoTime();
        if (drawn && nowNs - lastDrawNs < REDRAW_NS)
        {
            return;
        }
        lastDrawNs = nowNs;
        drawn = true;
        final double seconds = Math.max(1e-9, (nowNs - startNs) / 1e9);
        final double rate = done / seconds;
        final double fraction = total > 0 ? Math.min(1.0, (double)done / total) : 0;
        final int width = 30;
        final int filled = (int)(fraction * width);
        final String eta = rate > 0 && total > done ? String.format("%.0fs", (total - done) / rate) : "-";
        out.printf("\r[%s%s] %3.0f%% %,.0f %s/s ETA %s   ", "#".repeat(filled), " ".repeat(width - filled),
            fraction * 100, rate, unit, eta);
        out.flush();
    }

    /**
     * Clears the bar's line, if one was drawn.
     */
    public void finish()
    {
        if (drawn)
        {
            out.print("\r" + " ".repeat(79) + "\r");
            out.flush();
        }
    }
}

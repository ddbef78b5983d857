package io.tickgate.simulator.recording;

import java.io.PrintWriter;

/**
 * A one-line progress bar with rate and ETA, redrawn in place with a carriage return at most five times a second;
 * silent when standard output is not a terminal, so scripts and logs see only the final counts.
 * <p>
 * Not thread-safe: one reporting thread.
 */
public final class ProgressBar
{
    private static final long REDRAW_NS = 200_000_000L;

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
        return null != System.console();
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

package io.tickgate.gateway.metrics;

import org.HdrHistogram.Histogram;
import org.HdrHistogram.WriterReaderPhaser;

/**
 * A latency histogram with one writer thread and one reader that takes interval histograms, like HdrHistogram's
 * {@code SingleWriterRecorder}, but the writer may record a whole batch inside one critical section: the IO
 * thread records every entry of a frame between {@link #beginBatch()} and {@link #endBatch()}, two atomic
 * increments per frame instead of two per entry.
 * <p>
 * Thread safety: {@link #record}, {@link #beginBatch}, {@link #recordInBatch} and {@link #endBatch} on the single
 * writer thread only; {@link #intervalHistogram} on any thread (calls are serialised). The writer reads the active
 * histogram after entering its critical section; the reader swaps it and flips the phase, which waits for every
 * writer that entered before the swap to leave, so no value is lost or counted twice.
 * <p>
 * Batches nest: only the outermost {@link #beginBatch()} and {@link #endBatch()} enter and leave the critical
 * section, so the IO thread can hold one batch over a whole drain of many frames while each frame still opens its
 * own. A batch must stay short (a drain is bounded to a few milliseconds): the reader waits for it to end.
 */
public final class LatencyRecorder
{
    /** 1 ns to 1 h at 3 significant digits: every latency the gateway records. */
    public static final long HIGHEST_TRACKABLE_NS = 3_600_000_000_000L;
    private static final int SIGNIFICANT_DIGITS = 3;

    private final WriterReaderPhaser phaser = new WriterReaderPhaser();
    /** Swapped by the reader under the phaser's reader lock. */
    private volatile Histogram active = newHistogram();
    /** The writer's phase token and histogram for the open batch; writer thread only. */
    private long batchToken;
    private Histogram batchHistogram;
    /** Open {@link #beginBatch()} calls; writer thread only. */
    private int batchDepth;

    public static Histogram newHistogram()
    {
        return new Histogram(1, HIGHEST_TRACKABLE_NS, SIGNIFICANT_DIGITS);
    }

    /**
     * Records one value in a batch of its own.
     */
    public void record(final long valueNs)
    {
        final long token = phaser.writerCriticalSectionEnter();
        try
        {
            active.recordValue(clamp(valueNs));
        }
        finally
        {
            phaser.writerCriticalSectionExit(token);
        }
    }

    public void beginBatch()
    {
        if (0 == batchDepth++)
        {
            batchToken = phaser.writerCriticalSectionEnter();
            batchHistogram = active;
        }
    }

    /**
     * Records a value; only between {@link #beginBatch()} and {@link #endBatch()}.
     */
    public void recordInBatch(final long valueNs)
    {
        batchHistogram.recordValue(clamp(valueNs));
    }

    public void endBatch()
    {
        if (0 == --batchDepth)
        {
            batchHistogram = null;
            phaser.writerCriticalSectionExit(batchToken);
        }
    }

    /**
     * Everything recorded since the last call, as a histogram; {@code recycle} (from an earlier call, or null)
     * becomes the next active histogram after a reset, so steady polling allocates nothing.
     */
    public Histogram intervalHistogram(final Histogram recycle)
    {
        final Histogram next = null == recycle ? newHistogram() : recycle;
        next.reset();
        phaser.readerLock();
        try
        {
            final Histogram interval = active;
            active = next;
            phaser.flipPhase();
            return interval;
        }
        finally
        {
            phaser.readerUnlock();
        }
    }

    private static long clamp(final long valueNs)
    {
        return Math.min(Math.max(valueNs, 1), HIGHEST_TRACKABLE_NS);
    }
}

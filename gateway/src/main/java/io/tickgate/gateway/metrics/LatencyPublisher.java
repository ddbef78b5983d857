package io.tickgate.gateway.metrics;

import org.HdrHistogram.Histogram;
import org.HdrHistogram.SingleWriterRecorder;

import java.util.List;
import java.util.function.Supplier;

/**
 * Turns the IO threads' tick-to-wire recorders into percentiles over a sliding window of whole seconds.
 * <p>
 * Not thread-safe: {@link #poll()} runs on tickgate-metrics only. The published values are volatile, so the
 * scrape thread reads finished numbers and never touches a histogram.
 */
public final class LatencyPublisher
{
    public static final double[] QUANTILES = { 0.5, 0.9, 0.99, 0.999, 1.0 };

    private final Supplier<List<SingleWriterRecorder>> recorders;
    private final Histogram[] window;
    private final Histogram sum;
    private int head;
    private final double[] quantileSeconds = new double[QUANTILES.length];
    private volatile double[] published = new double[QUANTILES.length];
    private volatile long samples;

    public LatencyPublisher(final Supplier<List<SingleWriterRecorder>> recorders, final int windowSeconds)
    {
        this.recorders = recorders;
        this.window = new Histogram[windowSeconds];
        for (int i = 0; i < windowSeconds; i++)
        {
            window[i] = new Histogram(1, 3_600_000_000_000L, 3);
        }
        this.sum = new Histogram(1, 3_600_000_000_000L, 3);
    }

    /**
     * Takes one second's interval histograms and republishes the window's percentiles.
     */
    public void poll()
    {
        final Histogram slot = window[head];
        slot.reset();
        long newSamples = 0;
        for (final SingleWriterRecorder recorder : recorders.get())
        {
            // A fresh histogram a second per IO thread: recycling one needs it to come from the same recorder.
            final Histogram interval = recorder.getIntervalHistogram();
            newSamples += interval.getTotalCount();
            slot.add(interval);
        }
        head = (head + 1) % window.length;

        sum.reset();
        for (final Histogram histogram : window)
        {
            sum.add(histogram);
        }
        final double[] values = quantileSeconds.clone();
        for (int i = 0; i < QUANTILES.length; i++)
        {
            final long ns = QUANTILES[i] >= 1.0 ? sum.getMaxValue() : sum.getValueAtPercentile(QUANTILES[i] * 100.0);
            values[i] = sum.getTotalCount() == 0 ? Double.NaN : ns / 1e9;
        }
        published = values;
        samples += newSamples;
    }

    /**
     * Seconds at {@code QUANTILES[index]} over the window, NaN while it is empty.
     */
    public double quantileSeconds(final int index)
    {
        return published[index];
    }

    public long samples()
    {
        return samples;
    }
}

package io.tickgate.gateway.metrics;

import org.HdrHistogram.Histogram;

import java.util.Arrays;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Takes the interval histograms of a latency's recorders once a second and publishes them two ways: cumulative
 * Prometheus buckets ({@link LatencyBuckets}, exported as a histogram) and, when a window is asked for,
 * percentiles over a sliding window of whole seconds (exported as gauges).
 * <p>
 * Not thread-safe: {@link #poll()} runs on tickgate-metrics only. The published values are volatile or behind
 * volatile references, so the scrape thread reads finished numbers and never touches a histogram.
 */
public final class LatencyPublisher
{
    public static final double[] QUANTILES = { 0.5, 0.9, 0.99, 0.999, 1.0 };
    /**
     * In {@link #windowValues()}: the entries recorded since start, then the sum of their latencies in seconds. A
     * Prometheus summary's count and sum are cumulative (rate() of them must work) while its quantiles cover a
     * window; these are the same figures as the histogram's {@code _count} and {@code _sum}.
     */
    public static final int TOTAL_COUNT = QUANTILES.length;
    public static final int TOTAL_SUM = TOTAL_COUNT + 1;
    public static final long HIGHEST_TRACKABLE_NS = LatencyRecorder.HIGHEST_TRACKABLE_NS;

    private final Supplier<List<LatencyRecorder>> recorders;
    /** One recycled interval histogram per recorder (it must come from the same recorder); tickgate-metrics. */
    private final Map<LatencyRecorder, Histogram> recycled = new IdentityHashMap<>();
    private final LatencyBuckets buckets = new LatencyBuckets();
    /** One interval per second, a ring of windowSeconds; tickgate-metrics only. */
    private final Histogram[] window;
    /** Scratch for the window's sum; tickgate-metrics only. */
    private final Histogram sum;
    /** tickgate-metrics only. */
    private int head;
    /** Replaced whole by tickgate-metrics, never mutated after publication; read by the scrape thread. */
    private volatile double[] published = emptyWindow();
    /** Written by tickgate-metrics only (a plain add to a volatile is safe with one writer). */
    private volatile long samples;

    /**
     * @param windowSeconds length of the percentile window, 0 for buckets only.
     */
    public LatencyPublisher(final Supplier<List<LatencyRecorder>> recorders, final int windowSeconds)
    {
        this.recorders = recorders;
        this.window = new Histogram[windowSeconds];
        for (int i = 0; i < windowSeconds; i++)
        {
            window[i] = LatencyRecorder.newHistogram();
        }
        this.sum = windowSeconds > 0 ? LatencyRecorder.newHistogram() : null;
        Arrays.fill(published, Double.NaN);
    }

    /**
     * Takes one second's interval histograms, adds them to the buckets and republishes the window's percentiles.
     */
    public void poll()
    {
        long newSamples = 0;
        final Histogram slot = window.length > 0 ? window[head] : null;
        if (null != slot)
        {
            slot.reset();
        }
        for (final LatencyRecorder recorder : recorders.get())
        {
            final Histogram interval = recorder.intervalHistogram(recycled.get(recorder));
            recycled.put(recorder, interval);
            newSamples += interval.getTotalCount();
            buckets.add(interval);
            if (null != slot)
            {
                slot.add(interval);
            }
        }
        buckets.publish();
        samples += newSamples;
        if (null != slot)
        {
            head = (head + 1) % window.length;
            publishWindow();
        }
    }

    private void publishWindow()
    {
        sum.reset();
        for (final Histogram histogram : window)
        {
            sum.add(histogram);
        }
        final double[] values = new double[TOTAL_SUM + 1];
        for (int i = 0; i < QUANTILES.length; i++)
        {
            final long ns = QUANTILES[i] >= 1.0 ? sum.getMaxValue() : sum.getValueAtPercentile(QUANTILES[i] * 100.0);
            values[i] = sum.getTotalCount() == 0 ? Double.NaN : ns / 1e9;
        }
        values[TOTAL_COUNT] = samples;
        values[TOTAL_SUM] = buckets.addedSumSeconds();
        published = values;
    }

    private static double[] emptyWindow()
    {
        final double[] values = new double[TOTAL_SUM + 1];
        Arrays.fill(values, 0, QUANTILES.length, Double.NaN);
        return values;
    }

    /**
     * The window as of the last publication, one array never changed after it: seconds at each of
     * {@link #QUANTILES} (NaN while the window is empty), then at {@link #TOTAL_COUNT} the entries recorded since
     * start and at {@link #TOTAL_SUM} the sum of their latencies in seconds. Any thread.
     */
    public double[] windowValues()
    {
        return published;
    }

    /**
     * Values taken from the recorders so far; any thread.
     */
    public long samples()
    {
        return samples;
    }

    /**
     * The cumulative buckets, for the exporter; any thread may read what they publish.
     */
    public LatencyBuckets buckets()
    {
        return buckets;
    }
}

package io.tickgate.gateway.metrics;

import io.prometheus.metrics.model.snapshots.ClassicHistogramBuckets;
import io.prometheus.metrics.model.snapshots.HistogramSnapshot.HistogramDataPointSnapshot;
import io.prometheus.metrics.model.snapshots.Labels;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.HistogramIterationValue;

/**
 * Cumulative Prometheus histogram buckets fed with HdrHistogram interval histograms: the exported form of a
 * latency that the hot path records into a {@code SingleWriterRecorder}. Bucket edges go from 10 µs to 10 s in
 * 1-2.5-5 steps; a value falls into a bucket by its HdrHistogram value (3 significant digits), so an edge is exact
 * to 0.1 %.
 * <p>
 * Not thread-safe for writing: {@link #add} and {@link #publish} run on tickgate-metrics only. The scrape thread
 * reads the last published {@link Counts} (immutable, behind a volatile reference) through {@link #dataPoint}.
 */
public final class LatencyBuckets
{
    /** Upper bounds in seconds; +Inf is implied. */
    public static final double[] UPPER_BOUNDS_SECONDS = {
        0.00001, 0.000025, 0.00005, 0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25,
        0.5, 1, 2.5, 5, 10 };

    private static final long[] UPPER_BOUNDS_NS = new long[UPPER_BOUNDS_SECONDS.length];
    private static final double[] EXPORTED_BOUNDS = new double[UPPER_BOUNDS_SECONDS.length + 1];

    static
    {
        for (int i = 0; i < UPPER_BOUNDS_SECONDS.length; i++)
        {
            UPPER_BOUNDS_NS[i] = Math.round(UPPER_BOUNDS_SECONDS[i] * 1e9);
            EXPORTED_BOUNDS[i] = UPPER_BOUNDS_SECONDS[i];
        }
        EXPORTED_BOUNDS[UPPER_BOUNDS_SECONDS.length] = Double.POSITIVE_INFINITY;
    }

    /** Per-bucket (not cumulative) counts since start, the last one for +Inf; tickgate-metrics only. */
    private final long[] counts = new long[EXPORTED_BOUNDS.length];
    /** Sum of recorded values in nanoseconds since start; tickgate-metrics only. */
    private double sumNs;
    /** Written by tickgate-metrics in {@link #publish()}, read by the scrape thread. */
    private volatile Counts published = new Counts(new long[EXPORTED_BOUNDS.length], 0);

    /**
     * Adds one interval histogram of nanosecond values. tickgate-metrics only.
     */
    public void add(final Histogram interval)
    {
        if (0 == interval.getTotalCount())
        {
            return;
        }
        for (final HistogramIterationValue value : interval.recordedValues())
        {
            final long ns = value.getValueIteratedTo();
            final long count = value.getCountAtValueIteratedTo();
            counts[bucketOf(interval.lowestEquivalentValue(ns))] += count;
            sumNs += (double)interval.medianEquivalentValue(ns) * count;
        }
    }

    /**
     * Makes what was added so far visible to the scrape thread. tickgate-metrics only.
     */
    public void publish()
    {
        published = new Counts(counts.clone(), sumNs / 1e9);
    }

    /**
     * Sum of the values added so far, in seconds, published or not. tickgate-metrics only.
     */
    double addedSumSeconds()
    {
        return sumNs / 1e9;
    }

    /**
     * The published buckets as one Prometheus data point; any thread.
     */
    public HistogramDataPointSnapshot dataPoint(final Labels labels)
    {
        final Counts snapshot = published;
        return HistogramDataPointSnapshot.builder()
            .classicHistogramBuckets(ClassicHistogramBuckets.of(EXPORTED_BOUNDS, snapshot.counts))
            .sum(snapshot.sumSeconds)
            .labels(labels)
            .build();
    }

    /**
     * Values counted so far, as published; any thread.
     */
    public long count()
    {
        long count = 0;
        for (final long c : published.counts)
        {
            count += c;
        }
        return count;
    }

    private static int bucketOf(final long ns)
    {
        for (int i = 0; i < UPPER_BOUNDS_NS.length; i++)
        {
            if (ns <= UPPER_BOUNDS_NS[i])
            {
                return i;
            }
        }
        return UPPER_BOUNDS_NS.length;
    }

    /**
     * Immutable per-bucket counts and the sum in seconds.
     */
    private record Counts(long[] counts, double sumSeconds)
    {
    }
}

package io.tickgate.perf;

import org.HdrHistogram.Histogram;

/**
 * The summary of one run, written as JSON next to the {@code .hlog}. Rates are over the measured window (the
 * warm-up excluded); latencies in microseconds. Immutable.
 * <p>
 * A figure that does not exist in a run is null, never 0 or -1, which would read as a measurement: rates and CPU
 * when no window was measured (no connection opened), per-frame figures when no frame arrived, allocation when the
 * JVM cannot count it, {@code accountedPercent} when nothing was offered, {@code slowestSessionEntries} when no
 * session was open at the end, the percentiles when no entry arrived. {@link LoadTest#print} shows each as n/a.
 * <p>
 * {@code seqAdvance} is how far the sessions' per-symbol {@code seq} advanced in the window, summed: the updates the
 * server applied to the subscribed symbols, once per subscriber. {@code accountedPercent} is entries + Σ
 * {@code conflated} as a share of it: 100 when every update offered to a session reached it, itself or merged.
 * {@code slowestSessionEntries} is over the sessions still open when the window closed.
 */
record LoadTestResult(
    String url,
    int connections,
    int symbolsPerConnection,
    int symbols,
    int minSubscribersPerSymbol,
    int maxSubscribersPerSymbol,
    int peakOpenConnections,
    int openAtMeasureEnd,
    double connectSeconds,
    double measuredSeconds,
    long entries,
    long frames,
    long updateFrames,
    long snapshotFrames,
    long heartbeatFrames,
    long bytes,
    long conflated,
    long seqAdvance,
    Double accountedPercent,
    Double entriesPerSecond,
    Double framesPerSecond,
    Double bytesPerSecond,
    Double entriesPerFrame,
    Percentiles latencyMicros,
    Percentiles ageMicros,
    Long slowestSessionEntries,
    long frameSeqGaps,
    long frameSeqRegressions,
    long seqRegressions,
    long unexpectedSids,
    long malformedFrames,
    long nonPositiveLatencies,
    long connectFailures,
    long upgradeFailures,
    long protocolErrors,
    long serverCloses,
    long abnormalCloses,
    long forcedCloses,
    long subscribedReplies,
    long rejectedSymbols,
    long errorReplies,
    long pingsAnswered,
    Double clientThreadCpuSeconds,
    Double clientProcessCpuSeconds,
    Double clientCpuNsPerFrame,
    Long clientAllocatedBytes,
    Double clientAllocatedBytesPerFrame)
{
    /**
     * A latency distribution in microseconds; every figure but the count is null when nothing was recorded, since
     * percentiles of no entries are not 0 and a 0 would read as a measurement.
     */
    record Percentiles(long count, Double p50, Double p90, Double p99, Double p999, Double max, Double mean)
    {
        static Percentiles of(final Histogram histogram)
        {
            if (0 == histogram.getTotalCount())
            {
                return new Percentiles(0, null, null, null, null, null, null);
            }
            return new Percentiles(
                histogram.getTotalCount(),
                micros(histogram.getValueAtPercentile(50)),
                micros(histogram.getValueAtPercentile(90)),
                micros(histogram.getValueAtPercentile(99)),
                micros(histogram.getValueAtPercentile(99.9)),
                micros(histogram.getMaxValue()),
                histogram.getMean() / 1_000.0);
        }

        private static double micros(final long nanos)
        {
            return nanos / 1_000.0;
        }
    }

    /**
     * Entries + Σ{@code conflated} as a percentage of the updates offered ({@code seqAdvance}); null when nothing was
     * offered, since no share of nothing is a measurement.
     */
    static Double accountedPercent(final long entries, final long conflated, final long seqAdvance)
    {
        return 0 == seqAdvance ? null : 100.0 * (entries + conflated) / seqAdvance;
    }

    /**
     * {@code numerator / denominator}, null when the denominator is 0 or either side was not measured (-1).
     */
    static Double ratio(final double numerator, final double denominator)
    {
        return numerator < 0 || !(denominator > 0) ? null : numerator / denominator;
    }

    private static Long measured(final long value)
    {
        return value < 0 ? null : value;
    }

    static LoadTestResult of(final String url, final SubscriptionPlan plan, final LoadGenerator generator)
    {
        final FrameRecorder recorder = generator.recorder();
        final double seconds = generator.measuredNs / 1e9;
        // CPU and allocation exist only for a measured window: before it they are -1.
        return new LoadTestResult(
            url,
            plan.connections(),
            plan.symbolsPerConnection(),
            plan.symbolCount(),
            plan.minSubscribersPerSymbol(),
            plan.maxSubscribersPerSymbol(),
            generator.peakOpen,
            generator.openAtMeasureEnd,
            generator.connectNs / 1e9,
            generator.measuredNs / 1e9,
            recorder.entries,
            recorder.frames,
            recorder.updateFrames,
            recorder.snapshotFrames,
            recorder.heartbeatFrames,
            recorder.bytes,
            recorder.conflated,
            recorder.seqAdvance,
            accountedPercent(recorder.entries, recorder.conflated, recorder.seqAdvance),
            ratio(recorder.entries, seconds),
            ratio(recorder.frames, seconds),
            ratio(recorder.bytes, seconds),
            ratio(recorder.entries, recorder.updateFrames),
            Percentiles.of(recorder.totalLatency),
            Percentiles.of(recorder.totalAge),
            0 == generator.openAtMeasureEnd ? null : generator.slowestSessionEntries,
            recorder.frameSeqGaps,
            recorder.frameSeqRegressions,
            recorder.seqRegressions,
            recorder.unexpectedSids,
            recorder.malformedFrames,
            recorder.nonPositiveLatencies,
            generator.connectFailures,
            generator.upgradeFailures,
            generator.protocolErrors,
            generator.serverCloses,
            generator.abnormalCloses,
            generator.forcedCloses,
            generator.subscribedReplies,
            generator.rejectedSymbols,
            generator.errorReplies,
            generator.pingsAnswered,
            ratio(generator.threadCpuNs, 1e9),
            ratio(generator.processCpuNs, 1e9),
            ratio(generator.threadCpuNs, recorder.frames),
            measured(generator.allocatedBytes),
            ratio(generator.allocatedBytes, recorder.frames));
    }
}

package io.tickgate.perf;

import org.HdrHistogram.Histogram;

/**
 * The summary of one run, written as JSON next to the {@code .hlog}. Rates are over the measured window (the
 * warm-up excluded); latencies in microseconds. Immutable.
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
    double accountedPercent,
    double entriesPerSecond,
    double framesPerSecond,
    double bytesPerSecond,
    double entriesPerFrame,
    Percentiles latencyMicros,
    Percentiles ageMicros,
    long slowestSessionEntries,
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
    double clientThreadCpuSeconds,
    double clientProcessCpuSeconds,
    double clientCpuNsPerFrame,
    long clientAllocatedBytes,
    double clientAllocatedBytesPerFrame)
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
     * Entries + Σ{@code conflated} as a percentage of the updates offered ({@code seqAdvance}); 100 when nothing was
     * offered and nothing arrived.
     */
    static double accountedPercent(final long entries, final long conflated, final long seqAdvance)
    {
        if (0 == seqAdvance)
        {
            return 0 == entries + conflated ? 100 : Double.MAX_VALUE;
        }
        return 100.0 * (entries + conflated) / seqAdvance;
    }

    static LoadTestResult of(final String url, final SubscriptionPlan plan, final LoadGenerator generator)
    {
        final FrameRecorder recorder = generator.recorder();
        final double seconds = Math.max(1e-9, generator.measuredNs / 1e9);
        final long cpuNs = generator.threadCpuNs;
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
            recorder.entries / seconds,
            recorder.frames / seconds,
            recorder.bytes / seconds,
            recorder.updateFrames == 0 ? 0 : (double)recorder.entries / recorder.updateFrames,
            Percentiles.of(recorder.totalLatency),
            Percentiles.of(recorder.totalAge),
            generator.slowestSessionEntries,
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
            cpuNs / 1e9,
            generator.processCpuNs / 1e9,
            recorder.frames == 0 ? 0 : (double)cpuNs / recorder.frames,
            generator.allocatedBytes,
            recorder.frames == 0 || generator.allocatedBytes < 0 ?
                -1 : (double)generator.allocatedBytes / recorder.frames);
    }
}

package io.tickgate.perf;

import org.HdrHistogram.Histogram;

/**
 * The summary of one run, written as JSON next to the {@code .hlog}. Rates are over the measured window (the
 * warm-up excluded); latencies in microseconds. Immutable.
 */
record LoadTestResult(
    String url,
    int connections,
    int symbolsPerConnection,
    int symbols,
    int minSubscribersPerSymbol,
    int maxSubscribersPerSymbol,
    int peakOpenConnections,
    double connectSeconds,
    double measuredSeconds,
    long entries,
    long frames,
    long updateFrames,
    long snapshotFrames,
    long heartbeatFrames,
    long bytes,
    long conflated,
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
    long errorReplies,
    long pingsAnswered,
    double clientThreadCpuSeconds,
    double clientProcessCpuSeconds,
    double clientCpuNsPerFrame,
    long clientAllocatedBytes,
    double clientAllocatedBytesPerFrame)
{
    /** A latency distribution in microseconds. */
    record Percentiles(long count, double p50, double p90, double p99, double p999, double max, double mean)
    {
        static Percentiles of(final Histogram histogram)
        {
            return new Percentiles(
                histogram.getTotalCount(),
                micros(histogram.getValueAtPercentile(50)),
                micros(histogram.getValueAtPercentile(90)),
                micros(histogram.getValueAtPercentile(99)),
                micros(histogram.getValueAtPercentile(99.9)),
                micros(histogram.getMaxValue()),
                histogram.getTotalCount() == 0 ? 0 : histogram.getMean() / 1_000.0);
        }

        private static double micros(final long nanos)
        {
            return nanos / 1_000.0;
        }
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
            generator.connectNs / 1e9,
            generator.measuredNs / 1e9,
            recorder.entries,
            recorder.frames,
            recorder.updateFrames,
            recorder.snapshotFrames,
            recorder.heartbeatFrames,
            recorder.bytes,
            recorder.conflated,
            recorder.entries / seconds,
            recorder.frames / seconds,
            recorder.bytes / seconds,
            recorder.updateFrames == 0 ? 0 : (double)recorder.entries / recorder.updateFrames,
            Percentiles.of(recorder.totalLatency),
            Percentiles.of(recorder.totalAge),
            generator.slowestSessionEntries(),
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

package io.tickgate.gateway.metrics;

import io.prometheus.metrics.model.snapshots.ClassicHistogramBuckets;
import io.prometheus.metrics.model.snapshots.HistogramSnapshot.HistogramDataPointSnapshot;
import io.prometheus.metrics.model.snapshots.Labels;
import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

class LatencyBucketsTest
{
    @Test
    void shouldPutValuesIntoBucketsByUpperBoundInclusiveAndAccumulateAcrossIntervals()
    {
        final LatencyBuckets buckets = new LatencyBuckets();
        final Histogram first = new Histogram(1, LatencyPublisher.HIGHEST_TRACKABLE_NS, 3);
        first.recordValue(10_000);             // exactly 10 us: the first bucket
        first.recordValue(10_100);             // just above: le=25 us
        first.recordValue(1_000_000);          // exactly 1 ms
        buckets.add(first);
        final Histogram second = new Histogram(1, LatencyPublisher.HIGHEST_TRACKABLE_NS, 3);
        second.recordValue(20_000_000_000L);   // 20 s: +Inf
        second.recordValue(1_000_000);
        buckets.add(second);

        assertThat(buckets.count()).as("nothing visible before publish").isZero();
        buckets.publish();

        final HistogramDataPointSnapshot point = buckets.dataPoint(Labels.of("source", "udp"));
        final ClassicHistogramBuckets classic = point.getClassicBuckets();
        assertThat(classic.size()).isEqualTo(LatencyBuckets.UPPER_BOUNDS_SECONDS.length + 1);
        assertThat(classic.getUpperBound(0)).isEqualTo(0.00001);
        assertThat(classic.getCount(0)).isEqualTo(1);
        assertThat(classic.getCount(1)).isEqualTo(1);
        assertThat(classic.getUpperBound(6)).isEqualTo(0.001);
        assertThat(classic.getCount(6)).isEqualTo(2);
        assertThat(classic.getUpperBound(classic.size() - 1)).isInfinite();
        assertThat(classic.getCount(classic.size() - 1)).isEqualTo(1);
        assertThat(point.getCount()).isEqualTo(5);
        assertThat(point.getSum()).isCloseTo(20.0020201, within(20.0 * 0.001));
        assertThat(point.getLabels().get("source")).isEqualTo("udp");
    }

    @Test
    void shouldTakeRecordersIntervalsOncePerPoll()
    {
        final LatencyRecorder recorder = new LatencyRecorder();
        final LatencyPublisher publisher = new LatencyPublisher(() -> List.of(recorder), 2);
        recorder.record(2_000);
        recorder.record(300_000);
        publisher.poll();
        recorder.record(40_000_000);
        publisher.poll();
        publisher.poll();

        assertThat(publisher.samples()).isEqualTo(3);
        assertThat(publisher.buckets().count()).isEqualTo(3);
        assertThat(publisher.windowValues()[LatencyPublisher.QUANTILES.length - 1])
            .as("max over the 2 s window: only the 40 ms value is left in it").isCloseTo(0.04, within(0.0001));
        // The summary's count and sum run since start, as Prometheus expects of a summary: all three values.
        assertThat(publisher.windowValues()[LatencyPublisher.TOTAL_COUNT]).isEqualTo(3);
        assertThat(publisher.windowValues()[LatencyPublisher.TOTAL_SUM]).isCloseTo(0.040302, within(0.00005));
    }
}

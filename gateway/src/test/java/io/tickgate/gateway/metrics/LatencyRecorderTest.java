package io.tickgate.gateway.metrics;

import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.Test;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The IO thread's latency recorder: values recorded alone or in (nested) batches reach exactly one interval
 * histogram, also while the metrics thread takes intervals concurrently.
 */
class LatencyRecorderTest
{
    @Test
    void shouldHandEveryValueToTheNextInterval()
    {
        final LatencyRecorder recorder = new LatencyRecorder();
        recorder.record(1_000);
        recorder.beginBatch();
        recorder.recordInBatch(2_000);
        recorder.recordInBatch(-5);
        recorder.recordInBatch(Long.MAX_VALUE);
        recorder.endBatch();

        final Histogram first = recorder.intervalHistogram(null);
        assertThat(first.getTotalCount()).isEqualTo(4);
        assertThat(first.getMinValue()).as("clamped to 1 ns").isEqualTo(1);
        assertThat(first.getMaxValue()).as("clamped to an hour")
            .isEqualTo(first.highestEquivalentValue(LatencyRecorder.HIGHEST_TRACKABLE_NS));

        final Histogram second = recorder.intervalHistogram(first);
        assertThat(second.getTotalCount()).isZero();
        recorder.record(5_000);
        assertThat(recorder.intervalHistogram(second).getTotalCount()).isEqualTo(1);
    }

    @Test
    void shouldHoldTheIntervalUntilTheOutermostBatchEnds() throws Exception
    {
        final LatencyRecorder recorder = new LatencyRecorder();
        recorder.beginBatch(); // a drain
        recorder.beginBatch(); // a frame within it
        recorder.recordInBatch(1_000);
        recorder.endBatch();

        final CompletableFuture<Histogram> interval = CompletableFuture.supplyAsync(
            () -> recorder.intervalHistogram(null));
        Thread.sleep(200);
        assertThat(interval).as("the reader waits for the drain's batch").isNotDone();

        recorder.beginBatch(); // the drain's next frame
        recorder.recordInBatch(2_000);
        recorder.endBatch();
        recorder.endBatch();

        final Histogram histogram = interval.get(10, TimeUnit.SECONDS);
        assertThat(histogram.getTotalCount()).isEqualTo(2);
        assertThat(histogram.getMaxValue()).isEqualTo(histogram.highestEquivalentValue(2_000));
        recorder.record(3_000);
        final Histogram next = CompletableFuture.supplyAsync(() -> recorder.intervalHistogram(null))
            .get(10, TimeUnit.SECONDS);
        assertThat(next.getTotalCount()).as("the batch was left").isEqualTo(1);
    }

    @Test
    void shouldNeitherLoseNorRepeatValuesWhileIntervalsAreTaken() throws Exception
    {
        final LatencyRecorder recorder = new LatencyRecorder();
        final AtomicBoolean done = new AtomicBoolean();
        final int batches = 200_000;
        final Thread writer = new Thread(() ->
        {
            for (int i = 0; i < batches; i++)
            {
                recorder.beginBatch();
                for (int j = 0; j < 5; j++)
                {
                    recorder.recordInBatch(1_000 + j);
                }
                recorder.endBatch();
            }
            done.set(true);
        }, "test-io");

        writer.start();
        long total = 0;
        Histogram recycle = null;
        while (!done.get())
        {
            final Histogram interval = recorder.intervalHistogram(recycle);
            total += interval.getTotalCount();
            recycle = interval;
        }
        writer.join(TimeUnit.SECONDS.toMillis(10));
        total += recorder.intervalHistogram(recycle).getTotalCount();

        assertThat(total).isEqualTo(5L * batches);
    }
}

package io.tickgate.perf;

import org.HdrHistogram.EncodableHistogram;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.HistogramLogReader;
import org.HdrHistogram.HistogramLogWriter;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

class IntervalLogTest
{
    private static final long T0_MS = 1_764_000_000_000L;

    private final FrameRecorder recorder = new FrameRecorder(new int[0]);

    private void record(final long latencyNs, final long ageNs)
    {
        recorder.intervalLatency.recordValue(latencyNs);
        recorder.intervalAge.recordValue(ageNs);
    }

    @Test
    void shouldWriteAndCountMeasuredIntervalsButNeitherWarmUpOnes() throws IOException
    {
        final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        final HistogramLogWriter hlog = new HistogramLogWriter(bytes);
        try (IntervalLog intervals = new IntervalLog(recorder, hlog))
        {
            intervals.start();
            record(999_000_000, 999_000_000);
            intervals.endInterval(T0_MS, T0_MS + 1_000, false);
            record(1_000, 3_000);
            record(2_000, 4_000);
            intervals.endInterval(T0_MS + 1_000, T0_MS + 2_000, true);
            record(5_000, 6_000);
            intervals.endInterval(T0_MS + 2_000, T0_MS + 3_000, true);
        }

        assertThat(recorder.totalLatency.getTotalCount()).isEqualTo(3);
        assertThat(recorder.totalLatency.getMaxValue()).isBetween(4_990L, 5_010L);
        assertThat(recorder.totalAge.getMaxValue()).isBetween(5_990L, 6_010L);
        // The histograms handed back were cleared: what is recorded now starts from nothing.
        assertThat(recorder.intervalLatency.getTotalCount()).isZero();

        final List<Histogram> logged = read(bytes);
        assertThat(logged).extracting(Histogram::getTag).containsExactly("latency", "age", "latency", "age");
        assertThat(logged).extracting(Histogram::getTotalCount).containsExactly(2L, 2L, 1L, 1L);
        assertThat(logged.get(0).getStartTimeStamp()).isEqualTo(T0_MS + 1_000);
        assertThat(logged.get(0).getEndTimeStamp()).isEqualTo(T0_MS + 2_000);
        assertThat(logged.get(3).getStartTimeStamp()).isEqualTo(T0_MS + 2_000);
    }

    /**
     * The point of the class: the selector thread only swaps histograms. With the log's output stuck, intervals are
     * still ended (it would hang here if the write were on the caller's thread), and nothing is lost once it moves.
     */
    @Test
    void shouldEndIntervalsWithoutWaitingForTheLog() throws InterruptedException
    {
        final CountDownLatch release = new CountDownLatch(1);
        final CountDownLatch writing = new CountDownLatch(1);
        final OutputStream stuck = new OutputStream()
        {
            @Override
            public void write(final int b) throws IOException
            {
                writing.countDown();
                try
                {
                    release.await();
                }
                catch (final InterruptedException ex)
                {
                    throw new IOException(ex);
                }
            }
        };
        final HistogramLogWriter hlog = new HistogramLogWriter(stuck);
        final int intervalsEnded = IntervalLog.SPARE_PAIRS + 2;
        try (IntervalLog intervals = new IntervalLog(recorder, hlog))
        {
            intervals.start();
            assertTimeoutPreemptively(Duration.ofSeconds(30), () ->
            {
                for (int i = 0; i < intervalsEnded; i++)
                {
                    record(1_000 + i, 2_000 + i);
                    intervals.endInterval(T0_MS + i * 1_000L, T0_MS + (i + 1) * 1_000L, true);
                    if (0 == i)
                    {
                        assertThat(writing.await(30, TimeUnit.SECONDS)).as("the log thread began writing").isTrue();
                    }
                }
            });
            release.countDown();
        }

        assertThat(recorder.totalLatency.getTotalCount()).isEqualTo(intervalsEnded);
        assertThat(recorder.totalAge.getTotalCount()).isEqualTo(intervalsEnded);
    }

    private static List<Histogram> read(final ByteArrayOutputStream bytes)
    {
        final HistogramLogReader reader = new HistogramLogReader(new ByteArrayInputStream(bytes.toByteArray()));
        final List<Histogram> histograms = new ArrayList<>();
        EncodableHistogram next;
        while (null != (next = reader.nextIntervalHistogram()))
        {
            histograms.add((Histogram)next);
        }
        return histograms;
    }
}

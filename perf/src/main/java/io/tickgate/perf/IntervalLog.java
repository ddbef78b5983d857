package io.tickgate.perf;

import org.HdrHistogram.Histogram;
import org.HdrHistogram.HistogramLogWriter;

import java.io.OutputStream;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * Ends each second's interval histograms on a thread of its own rather than on the selector thread: folding them into
 * the run's totals, writing them to the {@code .hlog} (compressed, Base64) and clearing them took the selector thread
 * 1.3 to 3 ms every second, and 12 ms or more the first time (the code still interpreted). Frames that came meanwhile
 * waited in the kernel and were stamped late, so every server showed a stall there that was the load generator's own:
 * the second after the window's first interval had a p99 of 5 to 36 ms in every light run.
 * <p>
 * The selector thread now only swaps a cleared pair of histograms into the {@link FrameRecorder}
 * ({@link #endInterval}); this thread does the rest and hands the pair back cleared. Warm-up intervals take the same
 * path into a log nobody reads, so the path is compiled before the measured window starts, and are not counted.
 * <p>
 * Thread-safe as used: {@link #endInterval} from the selector thread only; {@link #close()} from it after the last
 * interval. The recorder's totals and the {@code .hlog} are this thread's from {@link #start()} to {@link #close()}.
 */
final class IntervalLog implements AutoCloseable
{
    /** Pairs ready for the selector thread: it allocates a pair only if this thread is this many seconds behind. */
    static final int SPARE_PAIRS = 3;

    private final FrameRecorder recorder;
    private final HistogramLogWriter hlog;
    private final HistogramLogWriter unread = new HistogramLogWriter(OutputStream.nullOutputStream());
    private final BlockingQueue<Interval> ended = new ArrayBlockingQueue<>(SPARE_PAIRS + 2);
    private final BlockingQueue<Interval> cleared = new ArrayBlockingQueue<>(SPARE_PAIRS + 2);
    private final Thread thread = new Thread(this::run, "tickgate-loadtest-intervals");
    private volatile Throwable failure;
    private boolean closed;

    /**
     * @param recorder whose interval histograms are swapped and whose totals this thread adds to.
     * @param hlog     where measured intervals go, or null for none.
     */
    IntervalLog(final FrameRecorder recorder, final HistogramLogWriter hlog)
    {
        this.recorder = recorder;
        this.hlog = hlog;
        for (int i = 0; i < SPARE_PAIRS; i++)
        {
            cleared.add(new Interval());
        }
        thread.setDaemon(true);
    }

    void start()
    {
        thread.start();
    }

    /**
     * Ends the recorder's current interval, {@code startMs} to {@code endMs} (epoch ms): it goes to this thread, and a
     * cleared pair takes its place. An interval that is not {@code measured} (the warm-up's) is encoded to nowhere
     * and not counted.
     */
    void endInterval(final long startMs, final long endMs, final boolean measured)
    {
        Interval next = cleared.poll();
        if (null == next)
        {
            next = new Interval();
        }
        final Interval full = new Interval(recorder.intervalLatency, recorder.intervalAge);
        full.startMs = startMs;
        full.endMs = endMs;
        full.measured = measured;
        recorder.swapInterval(next.latency, next.age);
        putUninterruptibly(full);
    }

    /**
     * Waits until every interval handed over is folded in and written; then the recorder's totals and the log are
     * the caller's again.
     *
     * @throws IllegalStateException if ending an interval failed.
     */
    @Override
    public void close()
    {
        if (closed)
        {
            return;
        }
        closed = true;
        if (Thread.State.NEW != thread.getState())
        {
            putUninterruptibly(Interval.STOP);
            boolean interrupted = false;
            while (thread.isAlive())
            {
                try
                {
                    thread.join();
                }
                catch (final InterruptedException ex)
                {
                    interrupted = true;
                }
            }
            if (interrupted)
            {
                Thread.currentThread().interrupt();
            }
        }
        final Throwable failure = this.failure;
        if (null != failure)
        {
            throw new IllegalStateException("could not write the load test's intervals: " + failure, failure);
        }
    }

    private void run()
    {
        try
        {
            Interval interval;
            while (Interval.STOP != (interval = ended.take()))
            {
                write(interval, interval.measured ? hlog : unread);
                if (interval.measured)
                {
                    recorder.totalLatency.add(interval.latency);
                    recorder.totalAge.add(interval.age);
                }
                interval.latency.reset();
                interval.age.reset();
                // A pair allocated while this thread was behind is dropped once the spares are full again.
                cleared.offer(interval);
            }
        }
        catch (final InterruptedException ex)
        {
            failure = ex;
        }
        catch (final RuntimeException | Error ex)
        {
            failure = ex;
            // The selector thread must not block on a queue nobody drains: take the rest unread.
            ended.clear();
        }
    }

    private static void write(final Interval interval, final HistogramLogWriter log)
    {
        if (null == log)
        {
            return;
        }
        interval.latency.setStartTimeStamp(interval.startMs);
        interval.latency.setEndTimeStamp(interval.endMs);
        interval.latency.setTag("latency");
        log.outputIntervalHistogram(interval.latency);
        interval.age.setStartTimeStamp(interval.startMs);
        interval.age.setEndTimeStamp(interval.endMs);
        interval.age.setTag("age");
        log.outputIntervalHistogram(interval.age);
    }

    private void putUninterruptibly(final Interval interval)
    {
        boolean interrupted = false;
        while (true)
        {
            if (null != failure && Interval.STOP != interval)
            {
                break;
            }
            try
            {
                if (ended.offer(interval, 100, TimeUnit.MILLISECONDS) || !thread.isAlive())
                {
                    break;
                }
            }
            catch (final InterruptedException ex)
            {
                interrupted = true;
            }
        }
        if (interrupted)
        {
            Thread.currentThread().interrupt();
        }
    }

    /** One second's latency and age histograms, and what to do with them. */
    private static final class Interval
    {
        static final Interval STOP = new Interval(null, null);

        final Histogram latency;
        final Histogram age;
        long startMs;
        long endMs;
        boolean measured;

        Interval()
        {
            this(FrameRecorder.newHistogram(), FrameRecorder.newHistogram());
        }

        Interval(final Histogram latency, final Histogram age)
        {
            this.latency = latency;
            this.age = age;
        }
    }
}

package io.tickgate.gateway.session;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.xnio.OptionMap;
import org.xnio.Options;
import org.xnio.Xnio;
import org.xnio.XnioIoThread;
import org.xnio.XnioWorker;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The hand-over a saturated IO thread uses to keep selecting, on a real XNIO worker with one IO thread.
 */
class AfterNextSelectTest
{
    private final XnioWorker worker = Xnio.getInstance().createWorker(OptionMap.create(Options.WORKER_IO_THREADS, 1));
    private final XnioIoThread ioThread = worker.getIoThread();
    private final AtomicReference<Throwable> error = new AtomicReference<>();

    AfterNextSelectTest() throws Exception
    {
    }

    @AfterEach
    void tearDown() throws Exception
    {
        worker.shutdownNow();
        worker.awaitTermination(5, TimeUnit.SECONDS);
        assertThat(error.get()).as("errors reported").isNull();
    }

    @Test
    void shouldRunTheActionOnceOnTheIoThreadForRequestsMadeBeforeItRuns() throws Exception
    {
        final AtomicInteger runs = new AtomicInteger();
        final CompletableFuture<Thread> ranOn = new CompletableFuture<>();
        final CountDownLatch firstRun = new CountDownLatch(1);
        final AtomicReference<AfterNextSelect> afterSelect = new AtomicReference<>();
        ioThread.execute(() ->
        {
            afterSelect.set(new AfterNextSelect(ioThread, () ->
            {
                runs.incrementAndGet();
                ranOn.complete(Thread.currentThread());
                firstRun.countDown();
            }, error::set));
            afterSelect.get().request();
            afterSelect.get().request();
            afterSelect.get().request();
        });

        assertThat(firstRun.await(5, TimeUnit.SECONDS)).isTrue();
        assertThat(ranOn.get()).isSameAs(ioThread);
        quiesce();
        assertThat(runs.get()).as("three requests before the run are one run").isEqualTo(1);

        ioThread.execute(() -> afterSelect.get().request());
        quiesce();
        assertThat(runs.get()).as("a request after the run is another run").isEqualTo(2);
        ioThread.execute(() -> afterSelect.get().close());
    }

    @Test
    void shouldLetTimersRunWhileAnActionKeepsRequestingItself() throws Exception
    {
        // An action that always finds more to do, as drains do on a saturated thread. Had it re-queued itself as a
        // task, XNIO would run it forever before selecting again, and no timer would ever fire.
        final AtomicInteger runs = new AtomicInteger();
        final CountDownLatch timerFired = new CountDownLatch(1);
        final AtomicReference<AfterNextSelect> afterSelect = new AtomicReference<>();
        ioThread.execute(() ->
        {
            afterSelect.set(new AfterNextSelect(ioThread, () ->
            {
                runs.incrementAndGet();
                if (timerFired.getCount() > 0)
                {
                    afterSelect.get().request();
                }
            }, error::set));
            afterSelect.get().request();
            ioThread.executeAfter(timerFired::countDown, 20, TimeUnit.MILLISECONDS);
        });

        assertThat(timerFired.await(5, TimeUnit.SECONDS)).as("the timer fired while the action kept running").isTrue();
        assertThat(runs.get()).as("the action ran again and again meanwhile").isGreaterThan(1);
        ioThread.execute(() -> afterSelect.get().close());
    }

    /**
     * Waits until the IO thread has been through two more loops: whatever was due to run after a select ran.
     */
    private void quiesce() throws Exception
    {
        for (int i = 0; i < 2; i++)
        {
            final CountDownLatch passed = new CountDownLatch(1);
            ioThread.executeAfter(passed::countDown, 5, TimeUnit.MILLISECONDS);
            assertThat(passed.await(5, TimeUnit.SECONDS)).isTrue();
        }
    }
}

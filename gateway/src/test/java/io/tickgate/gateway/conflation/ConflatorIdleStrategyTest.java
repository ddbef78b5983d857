package io.tickgate.gateway.conflation;

import io.tickgate.gateway.Tests;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.assertj.core.api.Assertions.assertThat;

class ConflatorIdleStrategyTest
{
    @Test
    void shouldWakeParkedConflatorWhenProducerPublishes() throws InterruptedException
    {
        // A park far longer than the test's deadline: only wake() can end it in time.
        final ConflatorIdleStrategy idle = new ConflatorIdleStrategy(TimeUnit.SECONDS.toNanos(60));
        final AtomicBoolean work = new AtomicBoolean();
        final AtomicBoolean seen = new AtomicBoolean();
        idle.workCheck(work::get);
        final Thread conflator = new Thread(() ->
        {
            while (!work.get())
            {
                idle.idle(0);
            }
            seen.set(true);
        }, "test-conflator");
        conflator.setDaemon(true);
        conflator.start();

        Tests.await(Duration.ofSeconds(10), () -> LockSupportBlocker.isParkedOn(conflator, idle),
            () -> "conflator never parked");
        work.set(true);
        idle.wake();
        Tests.await(Duration.ofSeconds(10), seen::get, () -> "wake() did not end the park");
        conflator.join(TimeUnit.SECONDS.toMillis(10));
        assertThat(conflator.isAlive()).isFalse();
    }

    private static final class LockSupportBlocker
    {
        static boolean isParkedOn(final Thread thread, final Object blocker)
        {
            return java.util.concurrent.locks.LockSupport.getBlocker(thread) == blocker &&
                Thread.State.TIMED_WAITING == thread.getState();
        }
    }
}

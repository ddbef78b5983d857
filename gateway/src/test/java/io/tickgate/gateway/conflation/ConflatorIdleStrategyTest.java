package io.tickgate.gateway.conflation;

import io.tickgate.gateway.Tests;
import org.junit.jupiter.api.Test;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

class ConflatorIdleStrategyTest
{
    @Test
    void shouldWakeParkedConflatorWhenProducerPublishes() throws InterruptedException
    {
        // A park far longer than the test's deadline: only wake() can end it in time.
        final ConflatorIdleStrategy idle = ConflatorIdleStrategy.parking(TimeUnit.SECONDS.toNanos(60));
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

    @Test
    void shouldEndASelectOnTheFeedSocketWhenAProducerWakesOrADatagramArrives() throws Exception
    {
        try (DatagramChannel feed = DatagramChannel.open();
            DatagramChannel sender = DatagramChannel.open())
        {
            feed.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0)).configureBlocking(false);
            // A select far longer than the test's deadline: only a wake-up or a datagram can end it in time.
            final ConflatorIdleStrategy idle = ConflatorIdleStrategy.selecting(feed, TimeUnit.SECONDS.toNanos(60));
            final AtomicBoolean work = new AtomicBoolean();
            final AtomicInteger rounds = new AtomicInteger();
            idle.workCheck(work::get);
            final Thread conflator = new Thread(() ->
            {
                while (rounds.get() < 2)
                {
                    while (!work.get())
                    {
                        idle.idle(0);
                    }
                    work.set(false);
                    rounds.incrementAndGet();
                    idle.reset();
                }
            }, "test-ingest");
            conflator.setDaemon(true);
            conflator.start();

            Tests.await(Duration.ofSeconds(10), () -> isInSelect(conflator), () -> "never blocked in select");
            work.set(true);
            idle.wake();
            Tests.await(Duration.ofSeconds(10), () -> 1 == rounds.get(), () -> "wake() did not end the select");

            Tests.await(Duration.ofSeconds(10), () -> isInSelect(conflator), () -> "never blocked in select again");
            work.set(true);
            sender.send(ByteBuffer.wrap(new byte[]{1}), feed.getLocalAddress());
            Tests.await(Duration.ofSeconds(10), () -> 2 == rounds.get(), () -> "a datagram did not end the select");
            conflator.join(TimeUnit.SECONDS.toMillis(10));
            assertThat(conflator.isAlive()).isFalse();
        }
    }

    private static boolean isInSelect(final Thread thread)
    {
        for (final StackTraceElement frame : thread.getStackTrace())
        {
            if ("select".equals(frame.getMethodName()) && frame.getClassName().contains("Selector"))
            {
                return true;
            }
        }
        return false;
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

package io.tickgate.gateway;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.time.Duration;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/**
 * Waiting without sleeps: poll a condition until a deadline, then fail with a message and a thread dump.
 */
public final class Tests
{
    private Tests()
    {
    }

    public static void await(final Duration timeout, final BooleanSupplier condition, final Supplier<String> message)
    {
        final long deadlineNs = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean())
        {
            if (System.nanoTime() - deadlineNs > 0)
            {
                throw new AssertionError("timed out after " + timeout + ": " + message.get() + "\n" + threadDump());
            }
            Thread.onSpinWait();
            Thread.yield();
            java.util.concurrent.locks.LockSupport.parkNanos(1_000_000);
        }
    }

    public static String threadDump()
    {
        final StringBuilder dump = new StringBuilder("thread dump:\n");
        for (final ThreadInfo info : ManagementFactory.getThreadMXBean().dumpAllThreads(false, false))
        {
            dump.append(info);
        }
        return dump.toString();
    }
}

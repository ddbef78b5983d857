package io.tickgate.client;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.time.Duration;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/**
 * Waiting without sleeps: poll a condition until a deadline, then fail with a message and a thread dump.
 * (The gateway's test tree has the same helper; this module cannot see it.)
 */
final class Tests
{
    private Tests()
    {
    }

    static void await(final Duration timeout, final BooleanSupplier condition, final Supplier<String> message)
    {
        final long deadlineNs = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean())
        {
            if (System.nanoTime() - deadlineNs > 0)
            {
                final StringBuilder dump = new StringBuilder("thread dump:\n");
                for (final ThreadInfo info : ManagementFactory.getThreadMXBean().dumpAllThreads(false, false))
                {
                    dump.append(info);
                }
                throw new AssertionError("timed out after " + timeout + ": " + message.get() + "\n" + dump);
            }
            LockSupport.parkNanos(1_000_000);
        }
    }
}

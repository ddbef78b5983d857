package io.tickgate.gateway;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
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

    /**
     * The command that runs {@code tickgate ARGS} in a child JVM with this test JVM's class path and the module
     * flags the libraries need: for tests that kill or signal the process.
     */
    public static List<String> tickgateCommand(final List<String> args)
    {
        final List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        for (final String argument : ManagementFactory.getRuntimeMXBean().getInputArguments())
        {
            if (argument.startsWith("--add-") || argument.startsWith("--enable-native-access") ||
                argument.startsWith("--sun-misc") || argument.startsWith("-Dchronicle") ||
                argument.startsWith("-Ddisable") || argument.startsWith("-Dorg.jboss"))
            {
                command.add(argument);
            }
        }
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add("io.tickgate.gateway.cli.TickgateCommand");
        command.addAll(args);
        return command;
    }
}

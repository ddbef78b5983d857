package io.tickgate.gateway.cli;

import sun.misc.Signal;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * Runs {@code tickgate ARGS} and raises SIGTERM at itself once its main thread is inside {@code Gateway.launch}:
 * before Chronicle's runtime is up, the window a person's Ctrl-C or a supervisor's SIGTERM can hit on a busy
 * host, made certain. For tests in a child JVM.
 */
public final class SignalWhileStartingMain
{
    private SignalWhileStartingMain()
    {
    }

    public static void main(final String[] args)
    {
        final Thread main = Thread.currentThread();
        final Thread signaller = new Thread(() ->
        {
            while (!isLaunching(main))
            {
                LockSupport.parkNanos(TimeUnit.MICROSECONDS.toNanos(100));
            }
            Signal.raise(new Signal("TERM"));
        }, "test-signaller");
        signaller.setDaemon(true);
        signaller.start();
        TickgateCommand.main(args);
    }

    private static boolean isLaunching(final Thread main)
    {
        for (final StackTraceElement frame : main.getStackTrace())
        {
            if ("io.tickgate.gateway.Gateway".equals(frame.getClassName()) && "launch".equals(frame.getMethodName()))
            {
                return true;
            }
        }
        return false;
    }
}

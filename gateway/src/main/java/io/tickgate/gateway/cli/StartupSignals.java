package io.tickgate.gateway.cli;

import sun.misc.Signal;
import sun.misc.SignalHandler;

import java.util.concurrent.atomic.AtomicReference;

/**
 * Holds Ctrl-C and SIGTERM while a gateway starts. The JVM answers either by running its shutdown hooks, after
 * which no library may add one; Chronicle adds its own when it first loads (seconds on a busy host), so a signal
 * then made its start-up fail with two stack traces. Held, the first signal is only noted, and the caller stops
 * the gateway once it has started; a second one halts the JVM at once with that signal's exit status (its
 * shutdown hooks would wait for the start-up to end, and print the very stack traces held back), so a start-up
 * that hangs can still be interrupted.
 * <p>
 * Thread-safe: the handlers run on the JVM's signal thread.
 */
final class StartupSignals
{
    private static final String[] NAMES = {"INT", "TERM"};
    private static final int[] NUMBERS = {2, 15};

    private final SignalHandler[] previous = new SignalHandler[NAMES.length];
    private final AtomicReference<String> received = new AtomicReference<>();

    private StartupSignals()
    {
    }

    /**
     * Replaces the JVM's handlers of INT and TERM until {@link #release()}. A signal the JVM keeps for itself
     * ({@code -Xrs}) is left alone.
     */
    static StartupSignals hold()
    {
        final StartupSignals signals = new StartupSignals();
        for (int i = 0; i < NAMES.length; i++)
        {
            final int index = i;
            try
            {
                signals.previous[i] = Signal.handle(new Signal(NAMES[i]), signal ->
                {
                    if (!signals.received.compareAndSet(null, NAMES[index]))
                    {
                        System.err.println("tickgate: SIG" + NAMES[index] + " again while starting: stopped at once");
                        System.err.flush();
                        Runtime.getRuntime().halt(128 + NUMBERS[index]);
                    }
                });
            }
            catch (final IllegalArgumentException ex)
            {
                signals.previous[i] = null;
            }
        }
        return signals;
    }

    /**
     * Gives INT and TERM back to the JVM.
     */
    void release()
    {
        for (int i = 0; i < NAMES.length; i++)
        {
            if (null != previous[i])
            {
                Signal.handle(new Signal(NAMES[i]), previous[i]);
            }
        }
    }

    /**
     * The signal that came while held ("TERM"), or null.
     */
    String received()
    {
        return received.get();
    }

    /**
     * The exit status a process stopped by that signal has by convention: 143 for TERM, 130 for INT.
     */
    int exitStatus()
    {
        for (int i = 0; i < NAMES.length; i++)
        {
            if (NAMES[i].equals(received.get()))
            {
                return 128 + NUMBERS[i];
            }
        }
        return 0;
    }
}

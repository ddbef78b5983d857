package io.tickgate.simulator.recording;

import net.openhft.chronicle.core.Jvm;

/**
 * Brings Chronicle's runtime up on the calling thread. Its first use does heavy static set-up (seconds on a busy
 * host) and registers a shutdown hook; done lazily on tickgate-recorder or tickgate-replay it could still be
 * running when the gateway is asked to stop, and then fail with "Shutdown in progress". A gateway started with
 * {@code --record} or {@code --replay} calls this while it launches, before it says it is listening.
 * <p>
 * Thread-safe; idempotent.
 */
public final class ChronicleRuntime
{
    private ChronicleRuntime()
    {
    }

    public static void init()
    {
        Jvm.init();
        try
        {
            // The releaser's static set-up is where the shutdown hook is added.
            Class.forName("net.openhft.chronicle.core.io.BackgroundResourceReleaser", true,
                ChronicleRuntime.class.getClassLoader());
        }
        catch (final ClassNotFoundException ex)
        {
            throw new IllegalStateException("Chronicle core is missing from the class path", ex);
        }
    }
}
